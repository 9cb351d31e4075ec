"""RFM segments: the rules at their boundaries (pure), the nightly run over real rows equal to the
rules, the membership history when a segment changes, reruns that change nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from anjia.core.security import now
from anjia.customers import rfm, segments
from anjia.customers.models import SegmentMembership
from tests.conftest import auth, staff_token
from tests.customers.helpers import customer, past_order

F = rfm.Figures


@pytest.mark.parametrize(("figures", "segment"), [
    (F(signed_up_days=0, recency_days=None, frequency=0, monetary=0, orders_ever=0), "new"),
    (F(signed_up_days=30, recency_days=2, frequency=1, monetary=500_000, orders_ever=1), "new"),
    (F(signed_up_days=30, recency_days=2, frequency=2, monetary=10_000, orders_ever=2), "active"),
    (F(signed_up_days=31, recency_days=None, frequency=0, monetary=0, orders_ever=0), "lost"),
    (F(signed_up_days=400, recency_days=90, frequency=1, monetary=200_000, orders_ever=3), "high_value"),
    (F(signed_up_days=400, recency_days=90, frequency=6, monetary=0, orders_ever=6), "high_value"),
    (F(signed_up_days=400, recency_days=90, frequency=5, monetary=199_999, orders_ever=5), "active"),
    (F(signed_up_days=400, recency_days=91, frequency=9, monetary=900_000, orders_ever=9), "at_risk"),
    (F(signed_up_days=400, recency_days=180, frequency=1, monetary=0, orders_ever=1), "at_risk"),
    (F(signed_up_days=400, recency_days=181, frequency=0, monetary=0, orders_ever=4), "lost"),
])
def test_rules_at_their_boundaries(figures, segment):
    assert rfm.classify(figures) == segment


async def _current(session):
    return dict((await session.execute(select(SegmentMembership.customer_id, SegmentMembership.segment)
                                       .where(SegmentMembership.until.is_(None)))).all())


async def test_the_run_puts_everyone_where_the_rules_say(session, world):
    c = {}
    c["new"] = await customer(session, "13900000101", "新客", days_ago=3)
    c["high_m"] = await customer(session, "13900000102", "大单", days_ago=300)
    c["high_f"] = await customer(session, "13900000103", "常客", days_ago=300)
    c["active"] = await customer(session, "13900000104", "活跃", days_ago=300)
    c["at_risk"] = await customer(session, "13900000105", "风险", days_ago=300)
    c["lost"] = await customer(session, "13900000106", "流失", days_ago=500)
    c["never"] = await customer(session, "13900000107", "没下单", days_ago=60)
    c["cancelled"] = await customer(session, "13900000108", "只取消", days_ago=300)
    await past_order(session, world, c["new"].id, days_ago=1, total=100_000)
    await past_order(session, world, c["high_m"].id, days_ago=5, total=250_000)
    await past_order(session, world, c["high_m"].id, days_ago=200, total=1_000)
    for d in range(6):
        await past_order(session, world, c["high_f"].id, days_ago=10 + d * 30, total=5_000)
    await past_order(session, world, c["active"].id, days_ago=60, total=50_000)
    await past_order(session, world, c["active"].id, days_ago=400, total=500_000)  # outside the window
    # refunds count against the money: 220,000 − 30,000 stays below the threshold
    await past_order(session, world, c["active"].id, days_ago=70, total=150_000, refunded=130_000)
    await past_order(session, world, c["at_risk"].id, days_ago=120, total=300_000)
    await past_order(session, world, c["lost"].id, days_ago=300, total=300_000)
    await past_order(session, world, c["cancelled"].id, days_ago=5, total=300_000, status="cancelled")
    await past_order(session, world, c["cancelled"].id, days_ago=5, total=300_000, status="pending_payment")
    moved = await segments.recompute(session)
    current = await _current(session)
    expect = {"new": "new", "high_m": "high_value", "high_f": "high_value", "active": "active", "at_risk": "at_risk",
              "lost": "lost", "never": "lost", "cancelled": "lost"}
    assert {k: current[u.id] for k, u in c.items()} == expect
    assert current[world["customer_id"]] == "new"  # signed up today
    assert sum(moved.values()) == len(c) + 1
    row = await session.scalar(select(SegmentMembership).where(SegmentMembership.customer_id == c["high_m"].id))
    assert (row.recency_days, row.frequency, row.monetary) == (5, 2, 251_000)


async def test_history_opens_and_closes_and_reruns_change_nothing(session, world):
    u = await customer(session, "13900000201", "回头客", days_ago=300)
    await past_order(session, world, u.id, days_ago=100, total=20_000)
    t0 = now()
    await segments.recompute(session, t0)
    assert (await segments.recompute(session, t0 + timedelta(hours=1))) == {}  # same figures: nothing moves
    await past_order(session, world, u.id, days_ago=0, total=20_000)
    t1 = t0 + timedelta(days=1)
    assert (await segments.recompute(session, t1)) == {"active": 1}
    rows = list(await session.scalars(select(SegmentMembership).where(SegmentMembership.customer_id == u.id)
                                      .order_by(SegmentMembership.since)))
    assert [(r.segment, r.since, r.until) for r in rows] == [("at_risk", t0, t1), ("active", t1, None)]
    # one open row per customer is the table's rule
    with pytest.raises(Exception, match="uq_customer_segments_current"):
        async with session.begin_nested():
            await session.execute(text("INSERT INTO customer_segments (customer_id, segment, since, frequency, monetary)"
                                       " VALUES (:c, 'lost', now(), 0, 0)"), {"c": u.id})


async def test_operators_run_it_now_and_see_the_sizes(client, session, world):
    await customer(session, "13900000301", "老客", days_ago=300)
    await session.commit()
    h = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.post("/api/v1/admin/customers/segments/recompute", headers=h)
    assert r.status_code == 200, r.text
    sizes = {s["segment"]: s["customers"] for s in r.json()["sizes"]}
    assert sizes == {"new": 1, "high_value": 0, "active": 0, "at_risk": 0, "lost": 1}
    assert r.json()["thresholds"]["high_value_fen"] == rfm.HIGH_VALUE_FEN
    assert (await client.get("/api/v1/admin/customers/segments", headers=h)).json()["sizes"] == r.json()["sizes"]
