"""Opening tickets (ownership, one open complaint per order, photos), working them through the one
state machine, and the interfaces reviews and performance call."""
import asyncio
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.support import service
from tests.conftest import auth, sms_login
from tests.tickets.helpers import complain, finished, png, resolve, support_staff, upload, work


async def _count(session, table: str) -> int:
    await session.rollback()
    return await session.scalar(text(f"SELECT count(*) FROM {table}"))


async def test_a_complaint_on_a_finished_order_captures_its_worker_service_and_region(client, session, world):
    order, worker = await finished(client, session, world)
    photo = await upload(client, world, png())
    t = await complain(client, world, order["id"], photo_ids=[photo["id"]])
    assert t["status"] == "new" and t["kind"] == "complaint" and t["order"]["number"] == order["number"]
    assert [p["id"] for p in t["photos"]] == [photo["id"]] and t["photos"][0]["thumb_url"].startswith("/api/v1/media/")
    assert [e["type"] for e in t["timeline"]] == ["opened"]
    row = (await session.execute(text("SELECT worker_id, service_id, region_id FROM tickets"))).one()
    assert row == (worker, world["services"]["厨房深度清洁"], world["region_id"])
    inbox = (await client.get("/api/v1/notifications", headers=auth(world["token"]))).json()["items"]
    assert inbox[0]["kind"] == "ticket" and t["number"] in inbox[0]["body"]
    # the customer's list and page
    mine = (await client.get("/api/v1/support/tickets", headers=auth(world["token"]))).json()
    assert mine["total"] == 1 and mine["items"][0]["category_label"] == "服务质量"
    # the order page's card asks for that order's tickets only
    await complain(client, world, kind="suggestion", category="other", content="希望增加晚间时段")
    of_order = (await client.get("/api/v1/support/tickets", params={"order_id": order["id"]},
                                 headers=auth(world["token"]))).json()
    assert [x["id"] for x in of_order["items"]] == [t["id"]] and of_order["total"] == 1
    everything = (await client.get("/api/v1/support/tickets", headers=auth(world["token"]))).json()
    assert everything["total"] == 2


async def test_a_complaint_on_someone_elses_order_is_refused_and_nothing_is_stored(client, session, world):
    order, _ = await finished(client, session, world)
    other = await sms_login(client, "13800009999")
    r = await client.post("/api/v1/support/tickets", headers=auth(other["access_token"]), json={
        "kind": "complaint", "order_id": order["id"], "category": "attitude", "content": "不是我的订单"})
    assert r.status_code == 404 and r.json()["code"] == "ticket_order"
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await _count(session, "tickets") == 0 and await _count(session, "notifications") > 0
    # nor can they read the owner's ticket
    t = await complain(client, world, order["id"])
    r = await client.get(f"/api/v1/support/tickets/{t['id']}", headers=auth(other["access_token"]))
    assert r.status_code == 404 and r.json()["code"] == "ticket_not_found"
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/confirm", headers=auth(other["access_token"]))
    assert r.status_code == 404


async def test_one_open_complaint_per_order_even_when_two_arrive_at_once(client, session, world):
    order, _ = await finished(client, session, world)
    results = await asyncio.gather(*[client.post("/api/v1/support/tickets", headers=auth(world["token"]), json={
        "kind": "complaint", "order_id": order["id"], "category": "quality", "content": f"第{i}次投诉"})
        for i in range(4)])
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    assert {r.json()["code"] for r in results if r.status_code == 409} == {"ticket_open_exists"}
    assert await _count(session, "tickets") == 1
    # a suggestion about the same order and a general complaint are fine
    await complain(client, world, order["id"], kind="suggestion", category="other", content="希望能提前电话联系")
    await complain(client, world, None, category="other", content="客服电话很难打通")
    # once closed, the order may be complained about again
    staff, staff_id = await support_staff(client, session)
    first = next(r.json() for r in results if r.status_code == 201)
    await work(client, staff, staff_id, first["id"])
    await resolve(client, staff, first["id"], upheld=False, root_cause="customer", result="经核实服务符合标准")
    assert (await client.post(f"/api/v1/support/tickets/{first['id']}/confirm", headers=auth(world["token"]))
            ).status_code == 200
    await complain(client, world, order["id"], content="又出现了问题")


async def test_photos_must_be_images_of_your_own_and_at_most_nine(client, session, world):
    r = await client.post("/api/v1/support/photos", headers=auth(world["token"]),
                          files={"file": ("photo.jpg", b"%PDF-1.4 not a photo at all")})
    assert r.status_code == 415 and r.json()["code"] == "ticket_photo_not_image"
    assert await _count(session, "ticket_photos") == 0
    mine = [await upload(client, world, png((i * 20, 10, 10))) for i in range(10)]
    other = await sms_login(client, "13800009998")
    theirs = (await client.post("/api/v1/support/photos", headers=auth(other["access_token"]),
                                files={"file": ("a.png", png())})).json()
    r = await client.post("/api/v1/support/tickets", headers=auth(world["token"]), json={
        "kind": "suggestion", "category": "other", "content": "建议", "photo_ids": [theirs["id"]]})
    assert r.status_code == 422 and r.json()["code"] == "ticket_photos"
    r = await client.post("/api/v1/support/tickets", headers=auth(world["token"]), json={
        "kind": "suggestion", "category": "other", "content": "建议", "photo_ids": [p["id"] for p in mine]})
    assert r.status_code == 422  # ten
    t = await complain(client, world, None, photo_ids=[p["id"] for p in mine[:9]], content="九张照片")
    assert len(t["photos"]) == 9
    r = await client.post("/api/v1/support/tickets", headers=auth(world["token"]), json={
        "kind": "suggestion", "category": "other", "content": "再用一次", "photo_ids": [mine[0]["id"]]})
    assert r.status_code == 422 and r.json()["code"] == "ticket_photos"  # attached already
    assert await _count(session, "tickets") == 1


async def test_tickets_move_only_forward_and_reopen_once(client, session, world, engine):
    order, _ = await finished(client, session, world)
    t = await complain(client, world, order["id"])
    staff, staff_id = await support_staff(client, session)
    path = f"/api/v1/admin/support/tickets/{t['id']}"
    r = await client.post(f"{path}/start", headers=staff)
    assert r.status_code == 409 and r.json()["code"] == "ticket_transition"  # not assigned yet
    r = await client.post(f"{path}/resolve", headers=staff, json={"result": "已处理", "root_cause": "other",
                                                                  "upheld": False})
    assert r.status_code == 409
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/confirm", headers=auth(world["token"]))
    assert r.status_code == 409
    await work(client, staff, staff_id, t["id"])
    r = await client.post(f"{path}/notes", headers=staff, json={"note": "已联系师傅了解情况"})
    assert r.status_code == 200
    await resolve(client, staff, t["id"])
    r = await client.post(f"{path}/start", headers=staff)
    assert r.status_code == 409  # resolved: staff cannot move it back
    h = auth(world["token"])
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/reopen", headers=h, json={"reason": "油污还在"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress" and not r.json()["can_reopen"]
    await resolve(client, staff, t["id"], result="二次上门已清洁干净")
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/reopen", headers=h, json={"reason": "还是不满意"})
    assert r.status_code == 409 and r.json()["code"] == "ticket_reopen_limit"
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/confirm", headers=h)
    body = r.json()
    assert r.status_code == 200 and body["status"] == "closed" and body["close_reason"] == "confirmed"
    assert [e["type"] for e in body["timeline"]] == ["opened", "assigned", "started", "note", "resolved", "reopened",
                                                      "resolved", "confirmed"]
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/reopen", headers=h, json={"reason": "再开"})
    assert r.status_code == 409 and r.json()["code"] == "ticket_transition"
    async with engine.connect() as conn:
        actions = list(await conn.scalars(text("SELECT action FROM audit_logs WHERE target_type = 'ticket' ORDER BY id")))
    assert actions == ["ticket.assign", "ticket.start", "ticket.note", "ticket.resolve", "ticket.resolve"]
    kinds = list(await session.scalars(text("SELECT title FROM notifications WHERE user_id = :c ORDER BY id"),
                                       {"c": world["customer_id"]}))
    assert {"已收到您的投诉", "客服已接手", "正在处理", "处理进展", "处理结果已出", "工单已重新打开", "工单已关闭"} <= set(kinds)


async def test_only_support_staff_can_be_assigned(client, session, world):
    t = await complain(client, world, None, content="总体建议")
    staff, _ = await support_staff(client, session)
    from tests.conftest import make_staff

    fin = await make_staff(session, "fin1", ["finance"])
    r = await client.post(f"/api/v1/admin/support/tickets/{t['id']}/assign", headers=staff,
                          json={"assignee_id": fin.id})
    assert r.status_code == 422 and r.json()["code"] == "ticket_assignee"
    r = await client.post(f"/api/v1/admin/support/tickets/{t['id']}/assign", headers=staff,
                          json={"assignee_id": world["customer_id"]})
    assert r.status_code == 422
    names = [a["name"] for a in (await client.get("/api/v1/admin/support/assignees", headers=staff)).json()]
    assert names == ["kefu"]


async def test_follow_up_for_a_low_review_is_opened_once(client, session, world):
    order, worker = await finished(client, session, world)
    t1 = await service.open_follow_up(session, order_id=order["id"], review_id=77, reason="评分 2 星：迟到半小时")
    t2 = await service.open_follow_up(session, order_id=order["id"], review_id=77, reason="评分 2 星：迟到半小时")
    await session.commit()
    assert t1.id == t2.id and t1.kind == "follow_up" and t1.worker_id == worker
    body = (await client.get(f"/api/v1/support/tickets/{t1.id}", headers=auth(world["token"]))).json()
    assert body["kind_label"] == "低分回访" and body["content"] == "评分 2 星：迟到半小时"
    inbox = (await client.get("/api/v1/notifications", headers=auth(world["token"]))).json()["items"]
    assert inbox[0]["title"] == "服务回访"
    # a complaint on the same order is still possible (a follow-up is not a complaint)
    await complain(client, world, order["id"])


async def test_upheld_complaints_by_worker_counts_resolutions_in_the_window(client, session, world):
    staff, staff_id = await support_staff(client, session)
    counted = {}
    for week, upheld in [(0, True), (1, True), (2, False)]:
        order, worker = await finished(client, session, world, week=week)
        t = await complain(client, world, order["id"])
        await work(client, staff, staff_id, t["id"])
        await resolve(client, staff, t["id"], upheld=upheld)
        counted[worker] = counted.get(worker, 0) + upheld
    general = await complain(client, world, None, content="整体服务一般")
    await work(client, staff, staff_id, general["id"])
    await resolve(client, staff, general["id"])  # upheld, but no worker
    t = now()
    got = await service.upheld_complaints_by_worker(session, t - timedelta(hours=1), t + timedelta(hours=1))
    assert got == {w: n for w, n in counted.items() if n}
    assert await service.upheld_complaints_by_worker(session, t + timedelta(hours=1), t + timedelta(days=30)) == {}
