"""Demo accounts with known logins (see README)."""
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_columns, phone_is, phones_in
from anjia.core.security import hash_password, now

DEMO_PASSWORD = "demo1234"
STAFF = [("admin", "admin123", "系统管理员", ["admin"]), ("dispatcher1", DEMO_PASSWORD, "调度员小王", ["dispatcher"]),
         ("finance1", DEMO_PASSWORD, "财务小李", ["finance"]), ("support1", DEMO_PASSWORD, "客服小张", ["support"]),
         ("support2", DEMO_PASSWORD, "客服小陈", ["support"]),
         ("marketing1", DEMO_PASSWORD, "运营小周", ["marketing"]), ("auditor1", DEMO_PASSWORD, "审计员老周", ["auditor"])]
CUSTOMERS = [("13800000001", "张女士"), ("13800000002", "李先生"), ("13800000003", "王女士"),
             ("13800000004", "赵先生"), ("13800000005", "陈女士")]
WORKERS = [("13900000001", "刘阿姨"), ("13900000002", "孙阿姨"), ("13900000003", "周师傅"),
           ("13900000004", "吴阿姨"), ("13900000005", "郑师傅"),
           # applicants at each stage of sign-up (workforce.seed builds their files)
           ("13900000011", "钱阿姨"), ("13900000012", "冯阿姨"), ("13900000013", "陈阿姨"),
           ("13900000014", "褚师傅"), ("13900000015", "卫阿姨")]


async def seed(session: AsyncSession) -> int:
    """Create what is missing; never overwrite what a user changed. Returns rows created."""
    created = 0
    pw = hash_password(DEMO_PASSWORD)
    for username, password, nickname, roles in STAFF:
        if not await session.scalar(select(User.id).where(User.username == username)):
            session.add(User(kind="staff", username=username, nickname=nickname, roles=roles,
                             password_hash=hash_password(password)))
            created += 1
    for kind, people in (("customer", CUSTOMERS), ("worker", WORKERS)):
        for phone, nickname in people:
            if not await session.scalar(select(User.id).where(User.kind == kind, phone_is(phone))):
                session.add(User(kind=kind, phone=phone, nickname=nickname, roles=[], password_hash=pw,
                                 consent_version="2026-11", consent_at=now()))
                created += 1
    await session.flush()
    return created


async def add_people(session: AsyncSession, kind: str, people: list[dict]) -> dict[str, int]:
    """Many customers or workers at once (the demo's city): each {phone, nickname, source_channel?,
    created_at?}; those whose phone exists are left as they are. Phone -> id of every one."""
    phones = [p["phone"] for p in people]
    have = dict((await session.execute(select(User.phone, User.id).where(User.kind == kind,
                                                                         phones_in(phones)))).all())
    rows = [{"kind": kind, "roles": [], "source_channel": None, "consent_version": "2026-11", **p,
             **phone_columns(p["phone"]),
             "consent_at": p.get("created_at") or now(), "created_at": p.get("created_at") or now()}
            for p in people if p["phone"] not in have]
    if rows:
        ids = (await session.execute(insert(User).returning(User.id, sort_by_parameter_order=True), rows)).scalars()
        have |= {r["phone"]: i for r, i in zip(rows, ids, strict=True)}
    return have
