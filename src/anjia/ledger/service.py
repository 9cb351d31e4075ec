"""Posting to the ledger. Balances are sums of postings, never stored or edited; the database
refuses an entry whose postings do not sum to zero per currency (a deferred constraint trigger,
checked at commit) and any change to a posted entry.

Sign: debit > 0, credit < 0. Assets and expenses normally carry debit balances; liabilities and
revenue credit balances (`balance()` returns them positive)."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import bulk
from anjia.core.errors import AppError
from anjia.ledger.models import JournalEntry, LedgerAccount, Posting

# kind: (normal side, 名称, name). Per-person kinds take the owner id: "customer_balance:42".
CHART: dict[str, tuple[str, str, str]] = {
    "clearing": ("debit", "支付渠道待清算", "Provider clearing"),  # :wechatpay, :alipay, :unionpay, :sandbox
    "cash": ("debit", "银行存款及现金", "Bank and cash (offline receipts, payouts to workers)"),
    "receivable": ("debit", "客户应收（补差价）", "Customer receivable"),  # :customer
    "customer_balance": ("credit", "客户余额", "Customer balance"),  # :customer
    "unearned": ("credit", "预收服务款", "Prepaid service (not yet delivered)"),
    "refunds_payable": ("credit", "待退款", "Refunds in flight"),
    "worker_payable": ("credit", "应付服务人员", "Payable to workers"),  # :worker
    "revenue": ("credit", "平台收入（佣金）", "Platform revenue (commission)"),
    "cancel_fees": ("credit", "取消费收入", "Cancellation fees"),
    "coupon_expense": ("debit", "优惠券支出", "Coupon expense"),
    "provider_fees": ("debit", "支付手续费", "Provider fees"),
    "rewards_expense": ("debit", "奖励支出", "Rewards and compensation"),
    "refund_expense": ("debit", "售后退款支出", "After-sales refunds of delivered services"),
}


@dataclass(frozen=True)
class Leg:
    account: str  # account code, e.g. "clearing:wechatpay"
    amount: int  # fen: debit > 0, credit < 0


def debit(account: str, amount: int) -> Leg:
    return Leg(account, amount)


def credit(account: str, amount: int) -> Leg:
    return Leg(account, -amount)


def _kind(code: str) -> tuple[str, int | None]:
    kind, _, owner = code.partition(":")
    if kind not in CHART:
        raise ValueError(f"no such account kind: {code}")
    return kind, int(owner) if owner.isdigit() else None


async def account_ids(session: AsyncSession, codes: list[str]) -> dict[str, int]:
    """Ids of these accounts, opening the missing ones (concurrently safe). Accounts almost always
    exist already: one SELECT then, the insert only for what it did not find (a hot path: every
    posting goes through here)."""
    wanted = sorted(set(codes))
    for c in wanted:
        _kind(c)
    found = dict((await session.execute(select(LedgerAccount.code, LedgerAccount.id)
                                        .where(LedgerAccount.code.in_(wanted)))).all())
    missing = [c for c in wanted if c not in found]
    if missing:
        rows = [{"code": c, "kind": _kind(c)[0], "owner_id": _kind(c)[1]} for c in missing]
        await session.execute(pg_insert(LedgerAccount).values(rows).on_conflict_do_nothing(index_elements=["code"]))
        found |= dict((await session.execute(select(LedgerAccount.code, LedgerAccount.id)
                                             .where(LedgerAccount.code.in_(missing)))).all())
    return found


# Built once (a hot path): an entry and its postings by account code (nothing when one is missing) or id.
_POST_BY_CODE = text("""
        WITH acc AS (SELECT id, code FROM ledger_accounts WHERE code = ANY(CAST(:codes AS text[]))),
        entry AS (
          INSERT INTO journal_entries (kind, memo, order_id, payment_id, refund_id, reference, actor_id, reverses_id)
          SELECT CAST(:kind AS text), CAST(:memo AS text), CAST(:order_id AS bigint), CAST(:payment_id AS bigint),
                 CAST(:refund_id AS bigint), CAST(:reference AS text), CAST(:actor_id AS bigint),
                 CAST(:reverses_id AS bigint)
          WHERE (SELECT count(*) FROM acc) = :distinct RETURNING id)
        INSERT INTO postings (entry_id, account_id, amount, currency)
        SELECT entry.id, acc.id, leg.amount, 'CNY'
        FROM entry, unnest(CAST(:codes AS text[]), CAST(:amounts AS bigint[])) AS leg(code, amount)
        JOIN acc ON acc.code = leg.code
        RETURNING entry_id""")
_POST_BY_ID = text("""
        WITH entry AS (
          INSERT INTO journal_entries (kind, memo, order_id, payment_id, refund_id, reference, actor_id, reverses_id)
          VALUES (:kind, :memo, :order_id, :payment_id, :refund_id, :reference, :actor_id, :reverses_id) RETURNING id)
        INSERT INTO postings (entry_id, account_id, amount, currency)
        SELECT entry.id, leg.account_id, leg.amount, 'CNY'
        FROM entry, unnest(CAST(:accounts AS bigint[]), CAST(:amounts AS bigint[])) AS leg(account_id, amount)
        RETURNING entry_id""")


async def post(session: AsyncSession, kind: str, legs: list[Leg], *, memo: str = "", order_id: int | None = None,
               payment_id: int | None = None, refund_id: int | None = None, reference: str | None = None,
               actor_id: int | None = None, reverses_id: int | None = None) -> int | None:
    """One journal entry; its id. Zero legs are dropped; nothing left posts nothing (returns None).
    The sum is checked here for a clear error and again by the database at commit."""
    legs = [leg for leg in legs if leg.amount]
    if not legs:
        return None
    if sum(leg.amount for leg in legs):
        raise ValueError(f"unbalanced entry {kind}: {legs}")
    values = {"kind": kind, "memo": memo[:200], "order_id": order_id, "payment_id": payment_id, "refund_id": refund_id,
              "reference": reference, "actor_id": actor_id, "reverses_id": reverses_id,
              "amounts": [leg.amount for leg in legs]}
    codes = [leg.account for leg in legs]
    for c in codes:
        _kind(c)
    # Accounts almost always exist: their ids, the entry and its postings in one statement (a hot
    # path); it posts nothing when an account is missing, and then the accounts are opened first.
    entry_id = await session.scalar(_POST_BY_CODE, {**values, "codes": codes, "distinct": len(set(codes))})
    if entry_id is not None:
        return entry_id
    ids = await account_ids(session, codes)
    return await session.scalar(_POST_BY_ID, {**values, "accounts": [ids[c] for c in codes]})


@dataclass(frozen=True)
class Entry:
    """One entry for `post_many`: what `post` takes, plus when it was posted."""
    kind: str
    legs: list[Leg]
    at: datetime
    memo: str = ""
    order_id: int | None = None
    payment_id: int | None = None
    refund_id: int | None = None
    reference: str | None = None


async def post_many(session: AsyncSession, entries: list[Entry]) -> list[int | None]:
    """Many entries at once, each dated `at` (loading history: the demo's three months). The same
    rules as `post` — zero legs dropped, each entry balanced here and by the database at commit —
    in two statements instead of two per entry. Ids in the order given (None: nothing to post)."""
    kept = [(i, e, [leg for leg in e.legs if leg.amount]) for i, e in enumerate(entries)]
    kept = [(i, e, legs) for i, e, legs in kept if legs]
    for _, e, legs in kept:
        if sum(leg.amount for leg in legs):
            raise ValueError(f"unbalanced entry {e.kind}: {legs}")
    out: list[int | None] = [None] * len(entries)
    if not kept:
        return out
    ids = await account_ids(session, [leg.account for _, _, legs in kept for leg in legs])
    rows = await bulk.insert_rows(session, JournalEntry.__table__, [
        {"kind": e.kind, "memo": e.memo[:200], "order_id": e.order_id, "payment_id": e.payment_id,
         "refund_id": e.refund_id, "reference": e.reference, "created_at": e.at} for _, e, _ in kept])
    postings = []
    for entry_id, (i, _, legs) in zip(rows, kept, strict=True):
        out[i] = entry_id
        postings += [{"entry_id": entry_id, "account_id": ids[leg.account], "amount": leg.amount, "currency": "CNY"}
                     for leg in legs]
    await bulk.insert_rows(session, Posting.__table__, postings, ids=False)
    return out


async def reverse(session: AsyncSession, entry_id: int, *, memo: str, actor_id: int | None = None) -> int:
    """A correction: the same postings with opposite signs, linked to what it reverses (once)."""
    entry = await session.get(JournalEntry, entry_id)
    rows = await session.execute(select(LedgerAccount.code, Posting.amount).join(
        LedgerAccount, LedgerAccount.id == Posting.account_id).where(Posting.entry_id == entry_id))
    return await post(session, "reversal", [Leg(code, -amount) for code, amount in rows.all()], memo=memo,
                      order_id=entry.order_id, payment_id=entry.payment_id, refund_id=entry.refund_id,
                      reference=entry.reference, actor_id=actor_id, reverses_id=entry.id)


async def balance(session: AsyncSession, code: str, *, lock: bool = False) -> int:
    """The account's balance on its normal side, in fen. `lock`: hold the account row until commit
    (serialises debits of a customer's balance)."""
    kind, _ = _kind(code)
    if lock:
        await account_ids(session, [code])
        await session.execute(select(LedgerAccount.id).where(LedgerAccount.code == code).with_for_update())
    total = await session.scalar(select(func.coalesce(func.sum(Posting.amount), 0)).join(
        LedgerAccount, LedgerAccount.id == Posting.account_id).where(LedgerAccount.code == code))
    return int(total) if CHART[kind][0] == "debit" else -int(total)


async def spend(session: AsyncSession, code: str, amount: int) -> None:
    """Refuse (409) when the credit-normal account `code` holds less than `amount`; the account
    stays locked until commit, so two spends cannot both see the same balance."""
    if await balance(session, code, lock=True) < amount:
        raise AppError("insufficient_balance")


async def balances(session: AsyncSession, kind: str | None = None) -> dict[str, int]:
    """Every account's balance on its normal side (finance overview, tests)."""
    q = select(LedgerAccount.code, LedgerAccount.kind, func.coalesce(func.sum(Posting.amount), 0)).outerjoin(
        Posting, Posting.account_id == LedgerAccount.id).group_by(LedgerAccount.id)
    if kind:
        q = q.where(LedgerAccount.kind == kind)
    return {code: int(s) if CHART[k][0] == "debit" else -int(s) for code, k, s in (await session.execute(q)).all()}


async def history(session: AsyncSession, code: str, page: int, size: int) -> list[dict]:
    """The account's postings, newest first, signed on its normal side (+ in, - out)."""
    kind, _ = _kind(code)
    sign = 1 if CHART[kind][0] == "debit" else -1
    rows = await session.execute(
        select(JournalEntry.id, JournalEntry.kind, JournalEntry.memo, JournalEntry.order_id, JournalEntry.created_at,
               Posting.amount).join(Posting, Posting.entry_id == JournalEntry.id)
        .join(LedgerAccount, LedgerAccount.id == Posting.account_id).where(LedgerAccount.code == code)
        .order_by(JournalEntry.id.desc()).offset((page - 1) * size).limit(size))
    return [{"entry_id": r.id, "kind": r.kind, "memo": r.memo, "order_id": r.order_id, "at": r.created_at,
             "amount": sign * r.amount} for r in rows]
