"""The ledger's own guarantees, enforced by the database: entries balance, postings are
append-only, corrections are reversing entries, balances are sums."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from anjia.ledger import service as ledger
from anjia.ledger.service import Leg, credit, debit


async def test_a_balanced_entry_posts_and_balances_are_sums(session):
    await ledger.post(session, "payment", [debit("clearing:wechatpay", 12_345), credit("unearned", 12_345)])
    await ledger.post(session, "refund_request", [debit("unearned", 345), credit("refunds_payable", 345)])
    await session.commit()
    assert await ledger.balance(session, "clearing:wechatpay") == 12_345
    assert await ledger.balance(session, "unearned") == 12_000
    assert await ledger.balance(session, "refunds_payable") == 345
    assert sum((await ledger.balances(session)).values()) != 0  # normal sides differ...
    raw = await session.scalar(text("SELECT sum(amount) FROM postings"))
    assert raw == 0  # ...but every fen debited is credited


async def test_the_database_refuses_an_unbalanced_entry_at_commit(session):
    with pytest.raises(ValueError):
        await ledger.post(session, "bad", [Leg("unearned", 100), Leg("revenue", -99)])
    await session.rollback()
    entry_id = await ledger.post(session, "ok", [debit("cash", 100), credit("revenue", 100)])
    await session.execute(text("INSERT INTO postings (entry_id, account_id, amount, currency) "
                               "SELECT :e, id, 1, 'CNY' FROM ledger_accounts WHERE code = 'cash'"), {"e": entry_id})
    with pytest.raises(DBAPIError, match="does not balance"):
        await session.commit()
    await session.rollback()
    assert await session.scalar(text("SELECT count(*) FROM journal_entries")) == 0  # nothing half-written


async def test_postings_are_append_only_and_corrections_reverse(session):
    entry_id = await ledger.post(session, "payment", [debit("clearing:alipay", 5_000), credit("unearned", 5_000)])
    await session.commit()
    for sql in ("UPDATE postings SET amount = amount * 2", "DELETE FROM postings", "UPDATE journal_entries SET memo = 'x'"):
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text(sql))
        await session.rollback()
    reversal = await ledger.reverse(session, entry_id, memo="录入错误")
    await session.commit()
    assert await session.scalar(text("SELECT reverses_id FROM journal_entries WHERE id = :r"), {"r": reversal}) \
        == entry_id
    assert await ledger.balance(session, "clearing:alipay") == 0 and await ledger.balance(session, "unearned") == 0
    with pytest.raises(DBAPIError):  # an entry is reversed once
        await ledger.reverse(session, entry_id, memo="again")
        await session.commit()
    await session.rollback()


async def test_zero_legs_post_nothing_and_unknown_accounts_are_refused(session):
    assert await ledger.post(session, "nothing", [debit("cash", 0), credit("revenue", 0)]) is None
    with pytest.raises(ValueError):
        await ledger.post(session, "x", [debit("petty_cash", 1), credit("revenue", 1)])
