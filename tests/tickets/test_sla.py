"""SLA timers under a controllable clock: the sweep and the auto-close job take `at`. Each breached
step alerts support staff once; a reopened ticket gets a new resolution deadline; a resolved ticket
closes by itself after SUPPORT_AUTO_CLOSE_DAYS."""
from datetime import datetime, timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.support import service
from tests.conftest import auth, make_staff
from tests.tickets.helpers import complain, resolve, support_staff, work


async def sweep(session, at) -> int:
    n = await service.sweep_sla(session, at)
    await session.commit()
    return n


async def _alerts(session, user_id) -> list[str]:
    await session.rollback()
    return list(await session.scalars(text(
        "SELECT data->>'step' FROM notifications WHERE user_id = :u AND kind = 'ticket_overdue' ORDER BY id"),
        {"u": user_id}))


async def test_each_breached_step_alerts_support_once_and_a_reopening_restarts_the_clock(client, session, world):
    staff, staff_id = await support_staff(client, session)
    finance = await make_staff(session, "fin-sla", ["finance"])
    t = await complain(client, world, None, content="上门服务预约后一直没人联系")
    opened = datetime.fromisoformat(t["created_at"])
    assert await sweep(session, opened + timedelta(minutes=59)) == 0
    assert await sweep(session, opened + timedelta(minutes=61)) == 1  # not assigned within 60 minutes
    assert await sweep(session, opened + timedelta(minutes=62)) == 0  # once per breach
    assert await sweep(session, opened + timedelta(minutes=121)) == 1  # no first response within 2 hours
    assert await _alerts(session, staff_id) == ["assign", "response"]
    assert await _alerts(session, finance.id) == []
    await work(client, staff, staff_id, t["id"])
    assert await sweep(session, opened + timedelta(hours=47)) == 0
    assert await sweep(session, opened + timedelta(hours=48, minutes=1)) == 1  # not resolved within 48 hours
    assert await sweep(session, opened + timedelta(hours=60)) == 0
    await resolve(client, staff, t["id"], upheld=False, root_cause="scheduling", result="已致电说明并重新安排")
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/reopen", headers=auth(world["token"]),
                          json={"reason": "还是没人来"})
    assert r.status_code == 200
    reopened = datetime.fromisoformat(r.json()["timeline"][-1]["at"])
    assert await sweep(session, reopened + timedelta(hours=23)) == 0
    assert await sweep(session, reopened + timedelta(hours=24, minutes=1)) == 1  # the new deadline, alerted again
    assert await _alerts(session, staff_id) == ["assign", "response", "resolve", "resolve"]
    detail = (await client.get(f"/api/v1/admin/support/tickets/{t['id']}", headers=staff)).json()
    assert [(s["step"], s["breached"]) for s in detail["sla"]] == [("assign", False), ("response", False),
                                                                  ("resolve", False)]  # done in real time


async def test_overdue_tickets_show_in_the_console(client, session, world):
    staff, staff_id = await support_staff(client, session)
    late = await complain(client, world, None, content="迟迟没有处理")
    fresh = await complain(client, world, None, content="刚提交的", kind="suggestion", category="other")
    await session.execute(text("UPDATE tickets SET assign_due_at = now() - interval '5 minutes', "
                               "response_due_at = now() - interval '1 minute' WHERE id = :i"), {"i": late["id"]})
    await session.commit()
    everything = (await client.get("/api/v1/admin/support/tickets", headers=staff)).json()
    assert [x["id"] for x in everything["items"]] == [fresh["id"], late["id"]]
    # newest first by when they were opened, not by id (the demo seed places tickets back in time)
    await session.execute(text("UPDATE tickets SET created_at = now() + interval '1 minute' WHERE id = :i"),
                          {"i": late["id"]})
    await session.commit()
    for path in ("/api/v1/admin/support/tickets", "/api/v1/support/tickets"):
        r = (await client.get(path, headers=staff if "admin" in path else auth(world["token"]))).json()
        assert [x["id"] for x in r["items"]] == [late["id"], fresh["id"]], path
    r = (await client.get("/api/v1/admin/support/tickets?overdue=true", headers=staff)).json()
    assert [(x["id"], x["overdue"]) for x in r["items"]] == [(late["id"], ["assign", "response"])]
    # the countdown names the first step still to be done and its deadline
    assert r["items"][0]["due_step"] == "assign" and datetime.fromisoformat(r["items"][0]["due_at"]) < now()
    r = (await client.get("/api/v1/admin/support/tickets?overdue=false", headers=staff)).json()
    assert [x["id"] for x in r["items"]] == [fresh["id"]]
    assert r["items"][0]["due_step"] == "assign" and datetime.fromisoformat(r["items"][0]["due_at"]) > now()
    detail = (await client.get(f"/api/v1/admin/support/tickets/{late['id']}", headers=staff)).json()
    assert [s["breached"] for s in detail["sla"]] == [True, True, False]
    await work(client, staff, staff_id, late["id"])  # done late: still a breach in the record
    detail = (await client.get(f"/api/v1/admin/support/tickets/{late['id']}", headers=staff)).json()
    assert detail["overdue"] == [] and [s["breached"] for s in detail["sla"]] == [True, True, False]
    assert detail["due_step"] == "resolve" and detail["due_at"] == detail["sla"][2]["due_at"]
    await resolve(client, staff, late["id"])
    detail = (await client.get(f"/api/v1/admin/support/tickets/{late['id']}", headers=staff)).json()
    assert (detail["due_step"], detail["due_at"]) == (None, None)


async def test_resolved_tickets_close_by_themselves_after_seven_days(client, session, world):
    staff, staff_id = await support_staff(client, session)
    t = await complain(client, world, None, category="attitude", content="客服态度不好")
    await work(client, staff, staff_id, t["id"])
    done = await resolve(client, staff, t["id"], root_cause="platform", result="已对客服进行培训")
    resolved = datetime.fromisoformat(done["resolved_at"])
    assert datetime.fromisoformat(done["auto_close_at"]) == resolved + timedelta(days=7)
    assert await service.auto_close(session, resolved + timedelta(days=6, hours=23)) == 0
    assert await service.auto_close(session, resolved + timedelta(days=7, minutes=1)) == 1
    await session.commit()
    assert await service.auto_close(session, resolved + timedelta(days=8)) == 0
    mine = (await client.get(f"/api/v1/support/tickets/{t['id']}", headers=auth(world["token"]))).json()
    assert (mine["status"], mine["close_reason"], mine["timeline"][-1]["type"]) == ("closed", "auto", "auto_closed")
    assert not mine["can_confirm"] and not mine["can_reopen"]
    inbox = (await client.get("/api/v1/notifications", headers=auth(world["token"]))).json()["items"]
    assert inbox[0]["title"] == "工单已自动关闭"


async def test_unused_photos_are_purged_after_a_day(client, session, world):
    from anjia.core import storage
    from tests.tickets.helpers import png, upload

    p = await upload(client, world, png())
    key = (await session.execute(text("SELECT media_key, created_at FROM ticket_photos"))).one()
    assert storage.path_of(key.media_key) is not None
    assert await service.purge_photos(session, key.created_at + timedelta(hours=23)) == 0
    assert await service.purge_photos(session, key.created_at + timedelta(hours=25)) == 1
    await session.commit()
    assert storage.path_of(key.media_key) is None and p["id"]
