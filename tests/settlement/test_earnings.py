"""Commission rules and the earning fixed (and posted) at check-out."""
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.settlement import service
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.settlement.helpers import account, completed_order, finance, unearned_of_order
from tests.support import next_weekday


async def _rule(client, h, **body):
    r = await client.post("/api/v1/admin/settlement/rules", headers=h, json={"name": "规则", "kind": "percent", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def test_the_most_specific_rule_in_force_wins(client, session, world):
    h = await finance(client, session)
    kitchen, aircon, region = world["services"]["厨房深度清洁"], world["services"]["空调清洗"], world["region_id"]
    default = await _rule(client, h, value=2000)
    by_level = await _rule(client, h, value=1900, worker_level=2)
    by_region = await _rule(client, h, value=1800, region_id=region)
    by_service = await _rule(client, h, value=1500, service_id=kitchen)
    exact = await _rule(client, h, kind="fixed", value=3000, service_id=kitchen, region_id=region, worker_level=3)
    later = await _rule(client, h, value=1000, service_id=kitchen,
                        valid_from=(now() + timedelta(days=3)).isoformat())  # not yet in force
    archived = await _rule(client, h, value=500, service_id=aircon, region_id=region, worker_level=1)
    assert (await client.delete(f"/api/v1/admin/settlement/rules/{archived['id']}", headers=h)).status_code == 204

    async def pick(service_id, level, at=None):
        rule = await service.matching_rule(session, service_id, region, level, at or now())
        return rule.id if rule else None

    assert await pick(kitchen, 3) == exact["id"]
    assert await pick(kitchen, 1) == by_service["id"]  # a service beats a region and a level
    assert await pick(aircon, 2) == by_region["id"]  # a region beats a level; the archived rule is out
    assert await pick(aircon + 10_000, 2) == by_region["id"]
    assert await pick(kitchen, 1, now() + timedelta(days=4)) == later["id"]  # newer among equals
    other_region = await service.matching_rule(session, aircon, region + 1, 2, now())
    assert other_region.id == by_level["id"]
    assert (await service.matching_rule(session, aircon, region + 1, 1, now())).id == default["id"]
    assert service.commission_of("percent", 2000, 12_345) == 2469  # rounded down: the worker keeps the fraction
    assert service.commission_of("fixed", 3000, 2000) == 2000  # never more than the order
    listed = (await client.get("/api/v1/admin/settlement/rules", headers=h)).json()
    assert archived["id"] not in [r["id"] for r in listed] and len(listed) == 6
    assert listed[-2]["service_name"] == "厨房深度清洁" and listed[-2]["region_name"]


async def test_rule_input_is_checked(client, session, world):
    h = await finance(client, session)
    for body in ({"value": -1}, {"value": 10_001}, {"value": 12.5}, {"value": "2000"},
                 {"value": 100, "worker_level": 0}, {"value": 100, "service_id": 999_999}):
        r = await client.post("/api/v1/admin/settlement/rules", headers=h, json={"name": "坏规则", "kind": "percent", **body})
        assert r.status_code == 422, (body, r.text)
    rule = await _rule(client, h, kind="fixed", value=20_000)
    r = await client.patch(f"/api/v1/admin/settlement/rules/{rule['id']}", headers=h, json={"kind": "percent"})
    assert r.status_code == 422  # 20000 bp would be 200 %
    r = await client.patch(f"/api/v1/admin/settlement/rules/{rule['id']}", headers=h, json={"value": 1200, "kind": "percent"})
    assert r.status_code == 200 and r.json()["value"] == 1200
    support = auth(await staff_token(client, session, "support", ["support"]))
    assert (await client.get("/api/v1/admin/settlement/rules", headers=support)).status_code == 403
    auditor = auth(await staff_token(client, session, "auditor", ["auditor"]))
    assert (await client.get("/api/v1/admin/settlement/rules", headers=auditor)).status_code == 200
    r = await client.post("/api/v1/admin/settlement/rules", headers=auditor, json={"name": "x", "kind": "fixed", "value": 1})
    assert r.status_code == 403


async def test_check_out_fixes_the_earning_and_posts_one_entry(client, session, world, engine):
    h = await finance(client, session)
    await _rule(client, h, value=2000)
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
    paid, _ = await paid_order(client, session, world, "全屋清洁", start=next_weekday(3, 9), hours=3)
    async with engine.begin() as conn:  # a coupon on the quote, as pricing writes it
        await conn.execute(text("UPDATE orders SET quote = jsonb_set(quote, '{discount_total}', to_jsonb(CAST(:d AS int))) "
                                "WHERE id = :o"), {"d": coupon, "o": paid["id"]})
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
    assert final == 4 * 5000
    async with engine.connect() as conn:
        e = (await conn.execute(text("SELECT * FROM earnings WHERE order_id = :o"), {"o": paid["id"]})).one()
        legs = dict((await conn.execute(text(
            "SELECT a.code, p.amount FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
            "WHERE p.entry_id = :e"), {"e": e.entry_id})).all())
    gross = final + coupon
    assert (e.gross, e.discount, e.commission, e.net) == (gross, coupon, gross // 10, gross - gross // 10)
    assert legs == {"unearned": final, "coupon_expense": coupon, f"worker_payable:{w}": -e.net, "revenue": -e.commission}
    assert await unearned_of_order(session, paid["id"]) == 0  # the supplement owed is booked through unearned too
    assert await unearned_of_order(session, order["id"]) == 0
    assert await account(session, "coupon_expense") == coupon
