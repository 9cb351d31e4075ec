from tests.conftest import auth
from tests.orders.test_orders import order_body
from tests.support import next_weekday


async def test_availability(client, world):
    h = auth(world["token"])
    day = next_weekday(1, 14)
    params = {"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
              "from": day.date().isoformat(), "to": day.date().isoformat(), "items": "kitchen_deep:1",
              "options": '{"focus_areas": ["stove", "hood"], "depth": "deep"}'}
    r = await client.get("/api/v1/availability", params=params, headers=h)
    assert r.status_code == 200, r.text
    slots = r.json()["days"][0]["slots"]
    assert r.json()["duration_minutes"] == 300
    starts = [s["start"] for s in slots]
    assert day.isoformat().replace("+08:00", "") in " ".join(starts) or any(s["available"] for s in slots)
    assert all(s["available"] for s in slots)  # nobody booked yet
    # the last slot ends by closing time (20:00): 5 h job -> 15:00 is the last start
    from datetime import datetime
    last = datetime.fromisoformat(slots[-1]["start"]).astimezone(day.tzinfo)
    assert (last.hour, last.minute) == (15, 0)
    # book both workers at 14:00: 14:00 and its neighbours within 5h + 30 min buffer go
    for _ in range(2):
        await client.post("/api/v1/orders", json=order_body(world, day), headers=h)
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    free = {datetime.fromisoformat(s["start"]).astimezone(day.tzinfo).strftime("%H:%M") for s in slots if s["available"]}
    assert "14:00" not in free and "09:00" not in free and "08:30" in free and "08:00" in free
    far = await client.get("/api/v1/availability", params={**params, "to": "2099-01-01"}, headers=h)
    assert far.status_code == 422
