"""Earnings of orders completed in the past, loaded in bulk (the demo's history): the same figures
and entry as `service.record_earning` at check-out — gross = final total + the coupon, commission by
the rule in force then — dated at the check-out."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.commission import service as commission
from anjia.core import bulk
from anjia.ledger import service as ledger
from anjia.ledger.service import Entry, credit, debit
from anjia.settlement.models import Earning
from anjia.settlement.service import _payable


@dataclass
class Completed:
    order_id: int
    order_number: str
    worker_id: int
    service_id: int
    region_id: int
    final_total: int
    discount: int
    checked_out_at: datetime


async def insert_history(session: AsyncSession, done: list[Completed]) -> int:
    """One earning and one `completion` entry per completed order; the earnings written."""
    if not done:
        return 0
    rules: dict[tuple[int, int, int], tuple] = {}
    rows = []
    for c in done:
        key = (c.service_id, c.region_id, c.worker_id)
        if key not in rules:  # the rules do not change within the history: one look-up per combination
            rules[key] = await commission.applicable(session, service_id=c.service_id, region_id=c.region_id,
                                                     worker_id=c.worker_id, at=c.checked_out_at)
        rule, kind, value = rules[key]
        gross = c.final_total + c.discount
        fee = commission.commission_of(kind, value, gross)
        rows.append({"order_id": c.order_id, "worker_id": c.worker_id, "service_id": c.service_id,
                     "region_id": c.region_id, "gross": gross, "discount": c.discount, "commission": fee,
                     "net": gross - fee, "rule_id": rule.id if rule else None, "rule_kind": kind, "rule_value": value,
                     "computed_at": c.checked_out_at})
    ids = await bulk.insert_rows(session, Earning.__table__, rows)
    entry_ids = await ledger.post_many(session, [
        Entry("completion", [debit("unearned", c.final_total), debit("coupon_expense", c.discount),
                             credit(_payable(c.worker_id), r["net"]), credit("revenue", r["commission"])],
              c.checked_out_at, memo=f"完工 {c.order_number}", order_id=c.order_id, reference=f"earning:{i}")
        for c, r, i in zip(done, rows, ids, strict=True)])
    await session.execute(text("UPDATE earnings SET entry_id = x.e FROM unnest(CAST(:i AS bigint[]), "
                               "CAST(:e AS bigint[])) AS x(i, e) WHERE earnings.id = x.i"),
                          {"i": ids, "e": entry_ids})
    return len(ids)
