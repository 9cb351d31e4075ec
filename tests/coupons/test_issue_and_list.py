"""Issuing coupons (once per source reference, audited when staff do it), the customer's tabs,
the expiry job under a controllable clock, the console's issue / search / revoke."""
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.coupons import service
from tests.conftest import auth, make_staff, staff_token
from tests.coupons.helpers import give


async def test_issue_once_per_source_ref_and_audited_for_staff(world, session, engine):
    staff = await make_staff(session, "kefu", ["support"])
    first = await service.issue(session, staff, customer_id=world["customer_id"], kind="amount", value=3000,
                                min_spend=10000, source="compensation", source_ref="ticket:7", title="投诉补偿券")
    again = await service.issue(session, staff, customer_id=world["customer_id"], kind="amount", value=3000,
                                source="compensation", source_ref="ticket:7", title="投诉补偿券")
    other = await service.issue(session, None, customer_id=world["customer_id"], kind="percent", value=1500,
                                cap=5000, source="signup", title="新人券", valid_days=7)
    await session.commit()
    assert again.id == first.id != other.id
    assert first.status == "available" and first.min_spend == 10000 and first.source_ref == "ticket:7"
    local_end = other.valid_until.astimezone(world_tz())
    assert (local_end.hour, local_end.minute, local_end.second) == (23, 59, 59)
    assert (local_end.date() - now().astimezone(world_tz()).date()).days == 7
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM coupons"))).scalar() == 2
        audits = (await conn.execute(text("SELECT action, target_id FROM audit_logs"))).all()
    assert audits == [("coupon.issue", str(first.id))]  # the system's signup coupon is not a staff action


def world_tz():
    from zoneinfo import ZoneInfo
    return ZoneInfo("Asia/Shanghai")


async def test_issue_refuses_bad_coupons_and_stores_nothing(world, session, engine):
    from anjia.core.errors import AppError

    bad = [dict(kind="percent", value=12000), dict(kind="amount", value=0), dict(kind="amount", value=100, cap=50),
           dict(kind="fixed", value=100), dict(kind="amount", value=100, valid_days=0),
           dict(kind="amount", value=100, source="lottery"), dict(kind="amount", value=100, title=" "),
           dict(kind="amount", value=100, service_id=999_999)]
    for b in bad:
        args = {"source": "manual", "title": "券", **b}
        try:
            await service.issue(session, None, customer_id=world["customer_id"], **args)
        except AppError as e:
            assert e.code == "invalid_coupon", b
        else:
            raise AssertionError(f"accepted {b}")
    try:
        await service.issue(session, None, customer_id=world["workers"][0], kind="amount", value=100, source="manual",
                            title="券")
    except AppError as e:
        assert e.code == "coupon_customer_not_found"
    await session.rollback()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM coupons"))).scalar() == 0


async def test_my_coupons_tabs_and_the_expiry_job(client, world, session, engine):
    c = world["customer_id"]
    soon = await give(session, c, value=1000, valid_days=1, title="明天到期")
    later = await give(session, c, value=2000, valid_days=30, title="月底到期")
    gone = await give(session, c, value=3000, title="已作废")
    await session.execute(text("UPDATE coupons SET status = 'revoked' WHERE id = :i"), {"i": gone.id})
    await session.commit()
    h = auth(world["token"])
    page = (await client.get("/api/v1/me/coupons", headers=h)).json()
    assert [i["id"] for i in page["items"]] == [soon.id, later.id]  # the one expiring first comes first
    assert page["counts"] == {"available": 2, "used": 0, "expired": 1}
    assert [i["status"] for i in (await client.get("/api/v1/me/coupons?status=expired", headers=h)).json()["items"]] \
        == ["revoked"]

    # two days on (a controllable clock: the job takes `at`): the first has expired
    at = now() + timedelta(days=2, hours=1)
    assert await service.expire_due(session, at) == 1
    assert await service.expire_due(session, at) == 0  # idempotent
    await session.commit()
    async with engine.connect() as conn:
        rows = dict((await conn.execute(text("SELECT id, status FROM coupons"))).all())
    assert rows == {soon.id: "expired", later.id: "available", gone.id: "revoked"}
    page = (await client.get("/api/v1/me/coupons?status=expired", headers=h)).json()
    assert {i["id"] for i in page["items"]} == {soon.id, gone.id} and page["counts"]["available"] == 1

    # somebody else's list does not show them
    other = await client.get("/api/v1/me/coupons", headers=auth(await staff_token(client, session, "x", ["admin"])))
    assert other.status_code == 403


async def test_console_issues_searches_and_revokes(client, world, session, engine):
    h = auth(await staff_token(client, session, "caiwu", ["finance"]))
    body = {"customer_id": world["customer_id"], "kind": "percent", "value": 2000, "cap": 3000, "min_spend": 5000,
            "valid_days": 14, "title": "九月回馈券", "source": "compensation", "source_ref": "T-100"}
    r = await client.post("/api/v1/admin/coupons", json=body, headers=h)
    assert r.status_code == 201, r.text
    coupon = r.json()
    assert coupon["customer_phone"] == "138****1000" and coupon["cap"] == 3000 and coupon["status"] == "available"
    r = await client.post("/api/v1/admin/coupons", json={**body, "kind": "amount"}, headers=h)  # cap on an amount
    assert r.status_code == 422
    r = await client.post("/api/v1/admin/coupons", json={**body, "customer_id": world["workers"][0]}, headers=h)
    assert r.status_code == 404 and r.json()["code"] == "coupon_customer_not_found"

    found = (await client.get("/api/v1/admin/coupons?q=1000", headers=h)).json()
    assert [i["id"] for i in found["items"]] == [coupon["id"]]
    assert (await client.get("/api/v1/admin/coupons?q=nobody", headers=h)).json()["total"] == 0

    assert (await client.post(f"/api/v1/admin/coupons/{coupon['id']}/revoke", json={"reason": ""},
                              headers=h)).status_code == 422
    r = await client.post(f"/api/v1/admin/coupons/{coupon['id']}/revoke", json={"reason": "发错了"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "revoked" and r.json()["revoke_reason"] == "发错了"
    r = await client.post(f"/api/v1/admin/coupons/{coupon['id']}/revoke", json={"reason": "再来"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "coupon_not_revocable"

    dispatcher = auth(await staff_token(client, session, "diaodu", ["dispatcher"]))
    assert (await client.post("/api/v1/admin/coupons", json=body, headers=dispatcher)).status_code == 403
    async with engine.connect() as conn:
        actions = [a for (a,) in await conn.execute(text("SELECT action FROM audit_logs ORDER BY id"))]
    assert actions == ["coupon.issue", "coupon.revoke"]
