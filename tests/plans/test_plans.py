from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from tests.conftest import auth
from tests.support import next_weekday

SH = ZoneInfo("Asia/Shanghai")


def plan_body(world, start: date, **extra):
    return {"service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
            "items": [{"code": "kitchen", "quantity": 1}], "options": {}, "frequency": "weekly",
            "weekdays": ["TU"], "start_date": start.isoformat(), "time": "14:00", **extra}


async def test_weekly_plan_creates_orders_on_the_horizon_with_the_same_worker(client, world):
    h = auth(world["token"])
    start = next_weekday(1, 14).date()
    r = await client.post("/api/v1/plans", json=plan_body(world, start), headers=h)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["rrule"] == "FREQ=WEEKLY;BYDAY=TU" and plan["status"] == "active"
    starts = [datetime.fromisoformat(o["start"]).astimezone(SH) for o in plan["orders"]]
    assert starts and all(s.weekday() == 1 and (s.hour, s.minute) == (14, 0) for s in starts)
    assert all(s.date() <= datetime.now(SH).date() + timedelta(days=14) for s in starts)
    assert len(plan["next_occurrences"]) >= 3
    # every order of the plan went to the plan's worker
    orders = [(await client.get(f"/api/v1/orders/{o['id']}", headers=h)).json() for o in plan["orders"]]
    assert all(o["plan_id"] == plan["id"] for o in orders)
    assert plan["preferred_worker_id"] in world["workers"]


async def test_materialise_is_idempotent(client, world, engine):
    from anjia.plans.tasks import materialise_plans

    h = auth(world["token"])
    await client.post("/api/v1/plans", json=plan_body(world, next_weekday(1, 14).date()), headers=h)
    async with engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM orders"))).scalar()
    await materialise_plans()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM orders"))).scalar() == before


async def test_skip_pause_resume_change_end(client, world):
    h = auth(world["token"])
    plan = (await client.post("/api/v1/plans", json=plan_body(world, next_weekday(1, 14).date()), headers=h)).json()
    first = datetime.fromisoformat(plan["orders"][0]["start"]).astimezone(SH).date()

    r = await client.post(f"/api/v1/plans/{plan['id']}/skip", json={"date": first.isoformat()}, headers=h)
    assert r.status_code == 200 and first.isoformat() in r.json()["skipped_dates"]
    skipped = [o for o in r.json()["orders"] if datetime.fromisoformat(o["start"]).astimezone(SH).date() == first]
    assert skipped and skipped[0]["status"] == "cancelled"
    bad = await client.post(f"/api/v1/plans/{plan['id']}/skip", json={"date": (first + timedelta(days=1)).isoformat()},
                            headers=h)
    assert bad.status_code == 422

    assert (await client.post(f"/api/v1/plans/{plan['id']}/pause", headers=h)).json()["status"] == "paused"
    assert (await client.post(f"/api/v1/plans/{plan['id']}/resume", headers=h)).json()["status"] == "active"

    change_from = first + timedelta(days=7)
    r = await client.patch(f"/api/v1/plans/{plan['id']}", json={"from_date": change_from.isoformat(), "time": "10:00"},
                           headers=h)
    assert r.status_code == 200, r.text
    successor = r.json()
    assert successor["previous_plan_id"] == plan["id"] and successor["time"] == "10:00"
    assert all(datetime.fromisoformat(o["start"]).astimezone(SH).hour == 10 for o in successor["orders"])
    old = (await client.get(f"/api/v1/plans/{plan['id']}", headers=h)).json()
    assert old["status"] == "ended" and old["end_date"] == (change_from - timedelta(days=1)).isoformat()

    r = await client.post(f"/api/v1/plans/{successor['id']}/end", headers=h)
    assert r.json()["status"] == "ended"
    assert all(o["status"] == "cancelled" for o in r.json()["orders"])
    assert (await client.post(f"/api/v1/plans/{successor['id']}/pause", headers=h)).status_code == 409


async def test_plan_frequencies_and_bad_rules(client, world):
    h = auth(world["token"])
    start = next_weekday(1, 14).date()
    r = await client.post("/api/v1/plans", json=plan_body(world, start, frequency="biweekly"), headers=h)
    assert r.json()["rrule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    r = await client.post("/api/v1/plans", json=plan_body(world, start, frequency="custom", weekdays=None,
                                                          rrule="FREQ=WEEKLY;BYDAY=MO,TH"), headers=h)
    assert r.status_code == 201 and r.json()["rrule"] == "FREQ=WEEKLY;BYDAY=MO,TH"
    for rule in ["FREQ=HOURLY", "NOT A RULE", "FREQ=MINUTELY;INTERVAL=5"]:
        r = await client.post("/api/v1/plans", json=plan_body(world, start, frequency="custom", rrule=rule), headers=h)
        assert r.status_code == 422 and r.json()["code"] == "invalid_rrule", rule
    r = await client.post("/api/v1/plans", json=plan_body(world, date(2020, 1, 1)), headers=h)
    assert r.status_code == 422 and r.json()["code"] == "start_in_past"
