import asyncio
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.reviews import service
from tests.conftest import auth, sms_login, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.reviews.helpers import jpeg, review, reviewed, upload
from tests.settlement.helpers import completed_order


async def rating_of(engine, worker_id: int) -> float:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT rating FROM worker_profiles WHERE user_id = :w"), {"w": worker_id})


async def count(engine, table: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text(f"SELECT count(*) FROM {table}"))


async def test_a_review_with_a_photo_moves_the_workers_rating_and_shows_on_the_card(client, session, world, engine):
    order, worker, = await completed_order(client, session, world)
    assert await rating_of(engine, worker) == 4.9  # the seeded rating, before any review
    photo = await upload(client, world["token"])
    assert photo.status_code == 201, photo.text
    r = await review(client, world["token"], order["id"], quality=3, attitude=3, skill=3, text="厨房油污没擦干净",
                     photo_ids=[photo.json()["id"]])
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["score"] == 3 and body["editable"] and len(body["photos"]) == 1 and body["photos"][0]["thumb_url"]
    # Bayesian: (5 x 5.0 + 3) / (5 + 1)
    assert await rating_of(engine, worker) == 4.67
    card = (await client.get(f"/api/v1/workers/{worker}/card", headers=auth(world["token"]))).json()
    assert card["rating"] == 4.67 and card["review_count"] == 1 and card["stars"]["3"] == 1
    assert card["averages"] == {"quality": 3, "attitude": 3, "skill": 3}
    assert card["recent"][0]["author"] == "顾**" and card["recent"][0]["text"] == "厨房油污没擦干净"
    assert (await client.get(f"/api/v1/orders/{order['id']}/review", headers=auth(world["token"]))).json()["id"] \
        == body["id"]
    mine = (await client.get("/api/v1/reviews/mine", headers=auth(world["token"]))).json()
    assert mine["total"] == 1 and mine["items"][0]["worker"]["id"] == worker
    # the worker hears of it
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM notifications WHERE user_id = :w AND kind = 'review.created'"),
                                 {"w": worker}) == 1


async def test_anonymous_reviews_name_nobody(client, session, world):
    _, worker, _ = await reviewed(client, session, world, anonymous=True, text="准时，细致")
    card = (await client.get(f"/api/v1/workers/{worker}/card", headers=auth(world["token"]))).json()
    assert card["recent"][0]["author"] == "匿名用户"
    mine = (await client.get("/api/v1/worker/reviews", headers=worker_auth(worker))).json()
    assert mine["items"][0]["author"] == "匿名用户" and mine["items"][0]["order_number"] is None


async def test_only_your_own_completed_order_once(client, session, world, engine):
    paid, _ = await paid_order(client, session, world)
    r = await review(client, world["token"], paid["id"])
    assert r.status_code == 409 and r.json()["code"] == "order_not_reviewable"
    order, _ = await completed_order(client, session, world, week=1)
    other = (await sms_login(client, "13800009999"))["access_token"]
    r = await review(client, other, order["id"])
    assert r.status_code == 404 and r.json()["code"] == "order_not_found"
    assert (await client.get(f"/api/v1/orders/{order['id']}/review", headers=auth(other))).status_code == 404
    r = await review(client, world["token"], order["id"], quality=6)
    assert r.status_code == 422
    r = await review(client, world["token"], order["id"], photo_ids=list(range(1, 11)))
    assert r.status_code == 422
    theirs = (await upload(client, other)).json()["id"]
    r = await review(client, world["token"], order["id"], photo_ids=[theirs])
    assert r.status_code == 422 and r.json()["code"] == "review_photo_not_found"
    assert await count(engine, "reviews") == 0  # nothing stored by any refusal
    assert (await review(client, world["token"], order["id"])).status_code == 201
    r = await review(client, world["token"], order["id"], quality=1)
    assert r.status_code == 409 and r.json()["code"] == "review_exists"
    assert await count(engine, "reviews") == 1


async def test_concurrent_double_submit_stores_one(client, session, world, engine):
    order, worker = await completed_order(client, session, world)
    results = await asyncio.gather(*[review(client, world["token"], order["id"], quality=q) for q in (1, 2, 3, 4, 5)])
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 409, 409, 409, 409], [r.text for r in results]
    assert {r.json()["code"] for r in results if r.status_code == 409} == {"review_exists"}
    assert await count(engine, "reviews") == 1
    kept = next(r.json() for r in results if r.status_code == 201)
    assert await rating_of(engine, worker) == service.bayesian((kept["quality"] + kept["attitude"] + kept["skill"]) / 3, 1)


async def test_edits_for_seven_days_by_the_clock(client, session, world, engine, monkeypatch):
    _, worker, rv = await reviewed(client, session, world)
    assert await rating_of(engine, worker) == 5.0
    start = now()
    monkeypatch.setattr(service, "now", lambda: start + timedelta(days=6, hours=23))
    r = await client.patch(f"/api/v1/reviews/{rv['id']}", headers=auth(world["token"]),
                           json={"skill": 2, "text": "再想想，技术一般"})
    assert r.status_code == 200, r.text
    assert r.json()["skill"] == 2 and r.json()["edited_at"] and r.json()["text"] == "再想想，技术一般"
    assert await rating_of(engine, worker) == service.bayesian((5 + 5 + 2) / 3, 1)
    monkeypatch.setattr(service, "now", lambda: start + timedelta(days=7, minutes=1))
    r = await client.patch(f"/api/v1/reviews/{rv['id']}", headers=auth(world["token"]), json={"skill": 5})
    assert r.status_code == 409 and r.json()["code"] == "review_edit_closed"
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT skill FROM reviews")) == 2
    other = (await sms_login(client, "13800009999"))["access_token"]
    assert (await client.patch(f"/api/v1/reviews/{rv['id']}", headers=auth(other), json={"skill": 5})).status_code == 404


async def test_the_worker_replies_once(client, session, world, engine):
    _, worker, rv = await reviewed(client, session, world, text="很满意")
    other = next(w for w in world["workers"] if w != worker)
    url = f"/api/v1/worker/reviews/{rv['id']}/reply"
    assert (await client.post(url, headers=worker_auth(other), json={"text": "谢谢"})).status_code == 404
    results = await asyncio.gather(*[client.post(url, headers=worker_auth(worker), json={"text": f"谢谢您{i}"})
                                     for i in range(3)])
    assert sorted(r.status_code for r in results) == [204, 409, 409]
    r = await client.post(url, headers=worker_auth(worker), json={"text": "再谢"})
    assert r.status_code == 409 and r.json()["code"] == "review_already_replied"
    mine = (await client.get("/api/v1/worker/reviews", headers=worker_auth(worker))).json()
    assert mine["items"][0]["reply"].startswith("谢谢您") and not mine["items"][0]["can_reply"]
    assert mine["averages"] == {"quality": 5, "attitude": 5, "skill": 5} and mine["rating"] == 5.0


async def test_operators_hide_with_a_reason_audited_and_the_scores_keep_counting(client, session, world, engine):
    _, worker, rv = await reviewed(client, session, world, quality=1, attitude=1, skill=1, text="骂人的话")
    rating = await rating_of(engine, worker)
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    finance = auth(await staff_token(client, session, "caiwu", ["finance"]))
    url = f"/api/v1/admin/reviews/{rv['id']}/hide"
    assert (await client.post(url, headers=finance, json={"reason": "辱骂"})).status_code == 403
    assert (await client.post(url, headers=support, json={"reason": ""})).status_code == 422
    r = await client.post(url, headers=support, json={"reason": "含辱骂内容"})
    assert r.status_code == 200 and r.json()["hidden"] and r.json()["hidden_reason"] == "含辱骂内容"
    r = await client.post(url, headers=support, json={"reason": "再次"})
    assert r.status_code == 409 and r.json()["code"] == "review_already_hidden"
    card = (await client.get(f"/api/v1/workers/{worker}/card", headers=auth(world["token"]))).json()
    assert card["recent"] == [] and card["review_count"] == 1 and card["rating"] == rating
    assert await rating_of(engine, worker) == rating
    listed = (await client.get("/api/v1/admin/reviews?hidden=true&low=true", headers=support)).json()
    assert [x["id"] for x in listed["items"]] == [rv["id"]]
    assert (await client.get("/api/v1/admin/reviews?hidden=false", headers=support)).json()["total"] == 0
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT actor_name, before, after FROM audit_logs WHERE action = 'review.hide'"))).one()
    assert row.actor_name == "kefu" and row.before["hidden"] is False and row.after["hidden_reason"] == "含辱骂内容"
    mine = (await client.get("/api/v1/worker/reviews", headers=worker_auth(worker))).json()["items"][0]
    assert mine["hidden"] and mine["text"] == "" and not mine["can_reply"]


async def test_a_reminder_once_per_unreviewed_order(client, session, world, engine):
    done, _ = await completed_order(client, session, world)
    _, _, _ = await reviewed(client, session, world, week=1)
    async with engine.connect() as conn:
        done_at = await conn.scalar(text("SELECT checked_out_at FROM orders WHERE id = :o"), {"o": done["id"]})
    assert await service.remind(session, done_at + timedelta(hours=1)) == 0  # too early
    assert await service.remind(session, done_at + timedelta(hours=3)) == 1
    assert await service.remind(session, done_at + timedelta(hours=4)) == 0  # once
    await session.commit()
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT user_id, data FROM notifications WHERE kind = 'review.reminder'"))).all()
    assert [(u, d["order_id"]) for u, d in rows] == [(world["customer_id"], done["id"])]


async def test_ratings_by_worker_over_a_period(client, session, world, engine):
    _, w1, _ = await reviewed(client, session, world, quality=4, attitude=5, skill=3)
    _, w2, _ = await reviewed(client, session, world, week=1, quality=2, attitude=2, skill=2)
    got = await service.ratings_by_worker(session, now() - timedelta(hours=1), now() + timedelta(hours=1))
    if w1 == w2:
        assert got == {w1: (3.0, 2)}
    else:
        assert got == {w1: (4.0, 1), w2: (2.0, 1)}
    assert await service.ratings_by_worker(session, now() - timedelta(days=2), now() - timedelta(days=1)) == {}


async def test_photos_must_be_images(client, world):
    r = await upload(client, world["token"], b"%PDF-1.4 not an image at all")
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media"
    assert (await upload(client, world["token"], jpeg())).status_code == 201


async def test_a_low_score_opens_one_follow_up_ticket(client, session, world, engine, monkeypatch):
    _, _, good = await reviewed(client, session, world, text="很好")
    assert good["score"] == 5
    _, _, low = await reviewed(client, session, world, week=1, quality=2, attitude=4, skill=3, text="没拖干净")
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, review_id FROM tickets"))).all()
        linked = await conn.scalar(text("SELECT follow_up_ticket_id FROM reviews WHERE id = :r"), {"r": low["id"]})
    assert [r.review_id for r in rows] == [low["id"]] and linked == rows[0].id
    r = await client.patch(f"/api/v1/reviews/{low['id']}", headers=auth(world["token"]), json={"skill": 1})
    assert r.status_code == 200
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM tickets")) == 1  # still one
