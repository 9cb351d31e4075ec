"""Browsing before sign-in (issue 13): a service's reviews and its availability preview answer
without a token; booking itself still asks for one."""
from datetime import datetime, timedelta

from tests.conftest import auth
from tests.orders.test_orders import order_body
from tests.reviews.helpers import reviewed
from tests.support import next_weekday


async def test_service_reviews_are_public_masked_and_exclude_hidden(client, session, world, app):
    order, _, first = await reviewed(client, session, world, quality=5, attitude=4, skill=3, text="很细致，厨房焕然一新")
    service_id = order["service"]["id"] if "service" in order else order["service_id"]
    r = await client.get(f"/api/v1/services/{service_id}/reviews")  # no Authorization header
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 1 and body["average"] == 4.0
    item = body["items"][0]
    assert item["text"] == "很细致，厨房焕然一新" and item["author"] == "顾**"  # the nickname 顾客, masked
    assert "customer_id" not in item and "order_id" not in item
    # a review operators hide leaves the public list
    from sqlalchemy import update

    from anjia.core.security import now
    from anjia.reviews.models import Review
    await session.execute(update(Review).where(Review.id == first["id"]).values(hidden_at=now(), hidden_reason="广告"))
    await session.commit()
    body = (await client.get(f"/api/v1/services/{service_id}/reviews")).json()
    assert body["total"] == 0 and body["items"] == [] and body["average"] is None


async def test_service_reviews_bad_input(client, world):
    assert (await client.get("/api/v1/services/999999/reviews")).status_code == 404
    r = await client.get(f"/api/v1/services/{world['services']['厨房深度清洁']}/reviews", params={"page_size": 500})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


async def test_availability_preview_without_sign_in(client, world):
    day = next_weekday(1, 14).date()
    params = {"service_id": world["services"]["厨房深度清洁"], "region_id": world["region_id"],
              "from": day.isoformat(), "to": day.isoformat()}
    r = await client.get("/api/v1/availability/preview", params=params)
    assert r.status_code == 200, r.text
    slots = r.json()["days"][0]["slots"]
    assert slots and all(s["available"] for s in slots)  # two free cleaners, nothing booked
    # both cleaners booked at 14:00 by a signed-in customer: the preview shows the same slot taken
    start = datetime.combine(day, datetime.min.time()).replace(hour=14, tzinfo=next_weekday(1, 14).tzinfo)
    for _ in range(2):
        assert (await client.post("/api/v1/orders", json=order_body(world, start),
                                  headers=auth(world["token"]))).status_code == 201
    slots = (await client.get("/api/v1/availability/preview", params=params)).json()["days"][0]["slots"]
    at = {datetime.fromisoformat(s["start"]).astimezone(start.tzinfo).strftime("%H:%M"): s["available"] for s in slots}
    assert at["14:00"] is False and at["08:00"] is True


async def test_availability_preview_bad_input(client, world):
    day = next_weekday(1, 14).date()
    base = {"service_id": world["services"]["厨房深度清洁"], "region_id": world["region_id"], "from": day.isoformat()}
    week = await client.get("/api/v1/availability/preview", params={**base, "to": (day + timedelta(days=7)).isoformat()})
    assert week.status_code == 422 and week.json()["code"] == "date_out_of_range"
    past = await client.get("/api/v1/availability/preview", params={**base, "from": "2020-01-01", "to": "2020-01-02"})
    assert past.status_code == 422
    assert (await client.get("/api/v1/availability/preview", params={**base, "to": day.isoformat(),
                                                                     "region_id": 999999})).status_code == 404
    assert (await client.get("/api/v1/availability/preview", params={**base, "to": day.isoformat(),
                                                                     "service_id": 999999})).status_code == 404
    missing = await client.get("/api/v1/availability/preview", params={"service_id": base["service_id"]})
    assert missing.status_code == 422
    # booking itself still needs a signed-in customer
    assert (await client.get("/api/v1/availability", params={**base, "to": day.isoformat(),
                                                             "address_id": world["address_id"]})).status_code == 401
