import asyncio

from sqlalchemy import text

from tests.conftest import auth
from tests.dispatch.helpers import paid_order, worker_auth


async def test_paid_order_is_offered_to_ranked_workers_with_an_explanation(client, session, world):
    order, staff = await paid_order(client, session, world)
    offers = {w: (await client.get("/api/v1/worker/offers", headers=worker_auth(w))).json() for w in world["workers"]}
    assert all(len(o) == 1 and o[0]["order_id"] == order["id"] for o in offers.values())
    one = offers[world["workers"][0]][0]
    assert "详细地址" in one["address_text"] and one["expected_pay"] == order["total"] - order["total"] * 2000 // 10000
    assert {"label": "重点区域", "value": "灶台、抽油烟机"} in one["requirements"]
    why = (await client.get(f"/api/v1/admin/orders/{order['id']}/dispatch", headers=staff)).json()
    cands = why["rounds"][0]["candidates"]
    assert {c["worker_id"] for c in cands} == set(world["workers"])
    assert all(set(c["breakdown"]) == {"distance", "rating", "acceptance", "load", "previous", "favourite"} for c in cands)
    assert cands[0]["score"] >= cands[1]["score"]
    assert abs(sum(cands[0]["breakdown"].values()) - cands[0]["score"]) < 1e-3


async def test_exactly_one_concurrent_accept_wins(client, session, world, engine):
    from anjia.accounts.models import User
    from anjia.workforce import seed as workforce_seed

    extra = []
    for i in range(8):
        w = User(kind="worker", phone=f"1390000300{i}", nickname=f"师傅{i}", roles=[])
        session.add(w)
        await session.flush()
        await workforce_seed.seed_worker(session, w.id, world["region_id"], ["cleaning"], 31.2 + i / 500, 121.44)
        extra.append(w.id)
    await session.commit()
    order, _ = await paid_order(client, session, world)
    everyone = world["workers"] + extra
    async with engine.begin() as conn:  # offer it to all ten at once
        await conn.execute(text(
            "INSERT INTO offers (order_id, worker_id, region_id, round, status, score, distance_km, expires_at) "
            "SELECT :o, w, :r, 1, 'offered', 0.5, 1.0, now() + interval '5 minutes' FROM unnest(CAST(:ws AS bigint[])) w "
            "ON CONFLICT (order_id, worker_id) DO UPDATE SET status = 'offered'"),
            {"o": order["id"], "r": world["region_id"], "ws": everyone})
    results = await asyncio.gather(*[client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(w))
                                     for w in everyone])
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * (len(everyone) - 1), [r.text for r in results if r.status_code >= 500]
    winner = everyone[[r.status_code for r in results].index(200)]
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT status, worker_id, held_worker_id FROM orders WHERE id=:o"),
                                  {"o": order["id"]})).one()
        bookings = (await conn.execute(text("SELECT worker_id FROM worker_bookings WHERE active AND order_id=:o"),
                                       {"o": order["id"]})).scalars().all()
        statuses = (await conn.execute(text("SELECT status, count(*) FROM offers WHERE order_id=:o GROUP BY 1"),
                                       {"o": order["id"]})).all()
    assert tuple(row) == ("accepted", winner, winner) and bookings == [winner]
    assert dict(statuses) == {"accepted": 1, "withdrawn": len(everyone) - 1}


async def test_worker_flow_to_completion_with_gps_check_and_hourly_price(client, session, world, engine):
    order, _ = await paid_order(client, session, world, "全屋清洁", hours=3)
    w = world["workers"][0]
    wh = worker_auth(w)
    other = worker_auth(world["workers"][1])
    # before acceptance: the district, no street, coordinates, phone or navigation
    view = (await client.get(f"/api/v1/worker/orders/{order['id']}", headers=wh)).json()
    assert "detail" not in view["address"] and view["customer"]["phone"] is None and view["navigation"] == {}
    assert (await client.post("/api/v1/worker/location", json={"lat": 31.2, "lng": 121.44}, headers=wh)).status_code == 409
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert r.json()["customer"]["phone"] == "13800001000" and r.json()["address"]["detail"] == "漕溪北路 88 号"
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=other)).status_code == 409
    assert (await client.get("/api/v1/worker/offers", headers=other)).json() == []
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)).status_code == 409
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).json()["status"] == "on_the_way"
    loc = await client.post("/api/v1/worker/location", json={"lat": 31.25, "lng": 121.45}, headers=wh)
    assert loc.status_code == 200 and loc.json()["eta_minutes"] > 0
    far = await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.25, "lng": 121.45},
                            headers=wh)
    assert far.status_code == 422 and far.json()["code"] == "check_in_too_far" and far.json()["distance_m"] > 5000
    near = await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.1951, "lng": 121.4381},
                             headers=wh)
    assert near.status_code == 200 and near.json()["status"] == "in_service"
    again = await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.1951, "lng": 121.4381},
                              headers=wh)
    assert again.status_code == 409
    async with engine.begin() as conn:  # three hours and ten minutes on site
        await conn.execute(text("UPDATE orders SET checked_in_at = now() - interval '190 minutes' WHERE id=:o"),
                           {"o": order["id"]})
    done = await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["final_total"] == 4 * 5000  # rounded up to 4 hours at ¥50
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=auth(world["token"]))).json()
    assert mine["status_label"] == "已完成" and mine["price_difference"] == 4 * 5000 - 3 * 5000
    assert [e["type"] for e in mine["timeline"]] == ["created", "paid", "accepted", "departed", "checked_in",
                                                     "checked_out", "supplement_requested"]
    assert mine["worker"]["id"] == w


async def test_rejections_move_to_the_next_round_then_fail(client, session, world, engine):
    order, staff = await paid_order(client, session, world)
    for w in world["workers"]:
        r = await client.post(f"/api/v1/worker/orders/{order['id']}/reject", json={"reason_code": "busy"},
                              headers=worker_auth(w))
        assert r.status_code == 204
    # nobody left to ask: the order failed dispatch and operators were alerted
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=auth(world["token"]))).json()
    assert mine["status"] == "dispatch_failed" and mine["status_label"] == "待接单"
    async with engine.connect() as conn:
        alerts = (await conn.execute(text("SELECT count(*) FROM events WHERE type='alert.dispatch_failed' AND topic='role:dispatcher'"))).scalar()
    assert alerts == 1
    # an operator assigns by hand
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/assign", json={"worker_id": world["workers"][1]},
                          headers=staff)
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["worker"]["id"] == world["workers"][1]


async def test_expired_offers_open_the_next_round(client, session, world, engine):
    from anjia.dispatch.tasks import expire_offers

    order, _ = await paid_order(client, session, world)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE offers SET expires_at = now() - interval '1 second'"))
    assert await expire_offers() == 2
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=auth(world["token"]))).json()
    assert mine["status"] == "dispatch_failed"  # both workers were asked in round one; no one else exists


async def test_stranger_cannot_see_or_accept(client, session, world):
    from anjia.accounts.models import User

    order, _ = await paid_order(client, session, world)
    stranger = User(kind="worker", phone="13900009999", nickname="路人", roles=[])
    session.add(stranger)
    await session.commit()
    h = worker_auth(stranger.id)
    assert (await client.get(f"/api/v1/worker/orders/{order['id']}", headers=h)).status_code == 404
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=h)).status_code == 404
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=h)).status_code == 404


async def test_assign_mode_region_offers_to_the_best_one_only(client, session, world):
    from sqlalchemy import update

    from anjia.scheduling.models import Region

    await session.execute(update(Region).values(dispatch_mode="assign"))
    await session.commit()
    order, staff = await paid_order(client, session, world)
    offered = [w for w in world["workers"]
               if (await client.get("/api/v1/worker/offers", headers=worker_auth(w))).json()]
    assert len(offered) == 1
    why = (await client.get(f"/api/v1/admin/orders/{order['id']}/dispatch", headers=staff)).json()
    assert why["mode"] == "assign" and sum(c["offered"] for c in why["rounds"][0]["candidates"]) == 1


async def test_late_start_and_overrun_alerts(client, session, world, engine):
    from anjia.dispatch.tasks import watch_progress

    order, _ = await paid_order(client, session, world)
    wh = worker_auth(world["workers"][0])
    await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)
    assert await watch_progress() == 0
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE orders SET scheduled_start = now() - interval '15 minutes', "
                                "scheduled_end = now() + interval '2 hours' WHERE id=:o"), {"o": order["id"]})
    assert await watch_progress() == 1
    assert await watch_progress() == 0  # once per order
    await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.195, "lng": 121.438}, headers=wh)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE orders SET scheduled_end = now() - interval '45 minutes' WHERE id=:o"),
                           {"o": order["id"]})
    assert await watch_progress() == 1
    async with engine.connect() as conn:
        kinds = (await conn.execute(text("SELECT type, payload FROM events WHERE type LIKE 'alert.%' "
                                         "AND topic='role:dispatcher' ORDER BY id"))).all()
    assert [k[0] for k in kinds] == ["alert.late_start", "alert.overrun"]
    assert kinds[0][1]["minutes_late"] >= 15 and kinds[1][1]["minutes_over"] >= 45
