"""The worker's review and employment statuses: legal moves only, reasons where they matter, the
worker told, the history kept, and `verified` / `active` (what the booking SQL reads) following."""
import pytest
from sqlalchemy import text

from anjia.workforce import hooks
from tests.conftest import auth, staff_token
from tests.support import next_weekday


async def _submitted(session, world, phone="13710000001"):
    from anjia.accounts.models import User
    from anjia.workforce import service

    w = User(kind="worker", phone=phone, nickname="新师傅", roles=[])
    session.add(w)
    await session.flush()
    await service.add_profile(session, w.id, region_id=world["region_id"], review_status="submitted")
    await session.commit()
    return w.id


async def _slots(client, world, service="厨房清洁"):
    day = next_weekday(2, 10).date().isoformat()
    params = {"service_id": world["services"][service], "address_id": world["address_id"], "from": day, "to": day}
    r = await client.get("/api/v1/availability", params=params, headers=auth(world["token"]))
    assert r.status_code == 200, r.text
    return [s["available"] for s in r.json()["days"][0]["slots"]]


async def test_review_moves_need_reasons_tell_the_worker_and_keep_history(client, session, world, engine):
    staff = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    wid = await _submitted(session, world)
    url = f"/api/v1/admin/workers/{wid}/review"
    r = await client.post(url, headers=staff, json={"action": "reject"})
    assert r.status_code == 422 and r.json()["code"] == "reasons_required"
    r = await client.post(url, headers=staff, json={"action": "ask", "reasons": ["selfie_unclear"], "note": "光线太暗"})
    assert r.status_code == 200 and r.json()["review_status"] == "more_info" and not r.json()["verified"]
    r = await client.post(url, headers=staff, json={"action": "approve"})  # nothing new submitted yet
    assert r.status_code == 409 and r.json()["code"] == "worker_transition"
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT title, body, data FROM notifications WHERE user_id = :u"),
                                  {"u": wid})).one()
        assert await conn.scalar(text("SELECT review_status FROM worker_profiles WHERE user_id = :u"),
                                 {"u": wid}) == "more_info"
    assert row.title == "请补充资料" and "自拍照不清晰" in row.body and row.data["reasons"] == ["selfie_unclear"]
    history = (await client.get(f"/api/v1/admin/workers/{wid}/history", headers=staff)).json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [("submitted", "more_info")]
    assert history[0]["reasons"][0]["label"] == "自拍照不清晰" and history[0]["note"] == "光线太暗"
    assert history[0]["actor"] == "ops"


async def test_suspension_takes_the_worker_out_and_runs_the_withdrawn_hooks(client, session, world, monkeypatch):
    staff = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    called = []

    async def spy(session, worker_id, reason):
        called.append((worker_id, reason))

    monkeypatch.setitem(hooks._HOOKS, "withdrawn", [*hooks._HOOKS.get("withdrawn", []), spy])
    assert any(await _slots(client, world))
    for wid in world["workers"]:
        r = await client.post(f"/api/v1/admin/workers/{wid}/employment", headers=staff,
                              json={"action": "suspend", "reasons": ["complaints"]})
        assert r.status_code == 200 and r.json()["employment_status"] == "suspended" and not r.json()["active"]
    assert not any(await _slots(client, world))
    assert called == [(w, "投诉较多") for w in world["workers"]]
    r = await client.post(f"/api/v1/admin/workers/{world['workers'][0]}/employment", headers=staff,
                          json={"action": "reinstate"})
    assert r.status_code == 200 and r.json()["active"]
    assert any(await _slots(client, world))
    assert len(called) == 2  # reinstating withdraws nothing
    r = await client.post(f"/api/v1/admin/workers/{world['workers'][0]}/employment", headers=staff,
                          json={"action": "rehire"})
    assert r.status_code == 409


async def test_set_rating(session, world):
    from anjia.workforce import service
    from anjia.workforce.models import WorkerProfile

    await service.set_rating(session, world["workers"][0], 4.266)
    await session.commit()
    assert (await session.get(WorkerProfile, world["workers"][0])).rating == 4.27
    with pytest.raises(ValueError):
        await service.set_rating(session, world["workers"][0], 5.5)
