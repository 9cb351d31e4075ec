"""The earning fixed (and posted) at check-out, and the expected pay offers show."""
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from tests.commission.test_rules import add_rule as _rule
from tests.coupons.helpers import give
from tests.dispatch.helpers import paid_order, worker_auth
from tests.settlement.helpers import account, completed_order, finance, unearned_of_order
from tests.support import next_weekday


async def test_check_out_fixes_the_earning_and_posts_one_entry(client, session, world, engine):
    h = await finance(client, session)
    await _rule(client, h, value=2000)
    await _rule(client, h, value=1200, worker_level=2)
    async with engine.begin() as conn:  # the first worker is level 2: 12 % for them, 20 % for the other
        await conn.execute(text("UPDATE worker_profiles SET level = 2 WHERE user_id = :w"), {"w": world["workers"][0]})
    paid, _ = await paid_order(client, session, world, start=next_weekday(4, 10))
    offered = {w: (await client.get("/api/v1/worker/offers", headers=worker_auth(w))).json()[0]["expected_pay"]
               for w in world["workers"]}
    total = paid["total"]
    assert offered == {world["workers"][0]: total - total * 1200 // 10000,
                       world["workers"][1]: total - total * 2000 // 10000}
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE worker_profiles SET level = 1"))
    order, w = await completed_order(client, session, world)
    total = order["final_total"]
    async with engine.connect() as conn:
        e = (await conn.execute(text("SELECT * FROM earnings WHERE order_id = :o"), {"o": order["id"]})).one()
        legs = dict((await conn.execute(text(
            "SELECT a.code, p.amount FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
            "WHERE p.entry_id = :e"), {"e": e.entry_id})).all())
    assert (e.worker_id, e.gross, e.discount, e.commission, e.net) == (w, total, 0, total // 5, total - total // 5)
    assert legs == {"unearned": total, f"worker_payable:{w}": -e.net, "revenue": -e.commission}
    assert await unearned_of_order(session, order["id"]) == 0  # paid in, earned out
    assert await account(session, f"worker_payable:{w}") == -e.net
    summary = (await client.get("/api/v1/worker/earnings/summary", headers=worker_auth(w))).json()
    assert summary["today"] == {"orders": 1, "gross": total, "commission": e.commission, "net": e.net}
    assert summary["month"]["net"] == summary["week"]["net"] == e.net
    assert (summary["pending"], summary["settled"], summary["withdrawable"]) == (e.net, 0, 0)
    lines = (await client.get("/api/v1/worker/earnings?period=today", headers=worker_auth(w))).json()
    assert lines["total"] == 1 and lines["items"][0]["order_number"] == order["number"]
    assert lines["items"][0]["statement_id"] is None and not lines["items"][0]["settled"]
    gone = await client.get(f"/api/v1/worker/earnings?start={(now() - timedelta(days=9)).date()}"
                            f"&end={(now() - timedelta(days=8)).date()}", headers=worker_auth(w))
    assert gone.json()["total"] == 0
    other = [x for x in world["workers"] if x != w][0]
    assert (await client.get("/api/v1/worker/earnings", headers=worker_auth(other))).json()["total"] == 0


async def test_the_platform_bears_the_coupon_and_a_supplement_still_nets_unearned_to_zero(client, session, world,
                                                                                           engine):
    h = await finance(client, session)
    await _rule(client, h, value=1000)
    coupon = 1500
    order, _ = await completed_order(client, session, world, week=1)  # to compare the plain case
    await give(session, world["customer_id"], value=coupon)  # the next order uses it (the best one held)
    paid, _ = await paid_order(client, session, world, "全屋清洁", start=next_weekday(3, 9), hours=3)
    assert paid["quote"]["discount_total"] == coupon and paid["total"] == 3 * 5000 - coupon
    for w in world["workers"]:
        wh = worker_auth(w)
        if (await client.post(f"/api/v1/worker/orders/{paid['id']}/accept", headers=wh)).status_code == 200:
            break
    await client.post(f"/api/v1/worker/orders/{paid['id']}/depart", headers=wh)
    await client.post(f"/api/v1/worker/orders/{paid['id']}/check-in", json={"lat": 31.1951, "lng": 121.4381}, headers=wh)
    async with engine.begin() as conn:  # four hours on site: more than the three paid for
        await conn.execute(text("UPDATE orders SET checked_in_at = now() - interval '230 minutes' WHERE id=:o"),
                           {"o": paid["id"]})
    done = (await client.post(f"/api/v1/worker/orders/{paid['id']}/check-out", headers=wh)).json()
    final = done["final_total"]
    assert final == 4 * 5000 - coupon  # re-priced by the hour on site, the same coupon off
    async with engine.connect() as conn:
        e = (await conn.execute(text("SELECT * FROM earnings WHERE order_id = :o"), {"o": paid["id"]})).one()
        legs = dict((await conn.execute(text(
            "SELECT a.code, p.amount FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
            "WHERE p.entry_id = :e"), {"e": e.entry_id})).all())
    gross = final + coupon
    assert gross == 4 * 5000
    assert (e.gross, e.discount, e.commission, e.net) == (gross, coupon, gross // 10, gross - gross // 10)
    assert legs == {"unearned": final, "coupon_expense": coupon, f"worker_payable:{w}": -e.net, "revenue": -e.commission}
    assert await unearned_of_order(session, paid["id"]) == 0  # the supplement owed is booked through unearned too
    assert await unearned_of_order(session, order["id"]) == 0
    assert await account(session, "coupon_expense") == coupon
