"""A new worker signs up in the worker app: identity (GB 11643 check, sealed, unique, masked),
photos, skills and area, certificates; submits; operators review from the queue; the worker sees
each decision with its reasons and is told. Bad input answers problem+json and stores nothing."""
import io
from datetime import date, timedelta

from PIL import Image
from sqlalchemy import text

from anjia.core import storage
from anjia.workforce import certificates, identity
from tests.conftest import auth, sms_login, staff_token


def id_number(birth: str = "19880512", seq: str = "124", area: str = "310104") -> str:
    first17 = area + birth + seq
    return first17 + identity.check_character(first17)


def photo(colour=(200, 120, 90), size=(480, 320), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def files() -> int:
    root = storage.root()
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


async def new_worker(client, phone="13712340001") -> dict:
    return auth((await sms_login(client, phone, app="worker"))["access_token"])


async def add_certificate(client, me, kind="health", days=400, data: bytes | None = None, **extra):
    form = {"kind": kind, "number": f"NO-{kind}-1", "expires_on": (date.today() + timedelta(days=days)).isoformat(),
            **extra}
    return await client.post("/api/v1/worker/me/certificates", headers=me, data=form,
                             files={"file": ("cert.jpg", data if data is not None else photo(), "image/png")})


async def complete_file(client, me, world, skills=("cleaning",), number=None) -> dict:
    r = await client.put("/api/v1/worker/me/file/identity", headers=me,
                         json={"real_name": "王秀兰", "id_number": number or id_number()})
    assert r.status_code == 200, r.text
    for which, colour in (("id_photo", (180, 150, 90)), ("selfie", (90, 150, 180))):
        r = await client.post(f"/api/v1/worker/me/file/photos/{which}", headers=me,
                              files={"file": (f"{which}.png", photo(colour), "image/png")})
        assert r.status_code == 200, r.text
    r = await client.patch("/api/v1/worker/me/file", headers=me, json={
        "declared_skills": list(skills), "region_id": world["region_id"], "home_lat": 31.2, "home_lng": 121.44,
        "radius_km": 15, "experience_years": 4, "experience": "四年家庭保洁经验"})
    assert r.status_code == 200, r.text
    for kind in sorted(await_kinds(skills)):
        r = await add_certificate(client, me, kind)
        assert r.status_code == 201, r.text
    return r.json()


def await_kinds(skills) -> set[str]:
    need = {"nanny": "nanny", "maternity": "maternity", "elderly_care": "elderly", "patient_care": "elderly"}
    return {"health", *(need[s] for s in skills if s in need)}


def test_id_numbers_follow_gb_11643():
    good = id_number("19880512", "124")
    n = identity.parse(good, date(2026, 12, 2))
    assert n and n.birth_date == date(1988, 5, 12) and n.gender == "female" and n.masked == good[:3] + "*" * 11 + good[-4:]
    assert identity.parse(id_number("19900101", "011"), date(2026, 12, 2)).gender == "male"
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert identity.parse(wrong, date(2026, 12, 2)) is None  # wrong check character
    assert identity.parse(id_number("19880231", "123"), date(2026, 12, 2)) is None  # no 31 February
    assert identity.parse(id_number("20300101", "123"), date(2026, 12, 2)) is None  # born in the future
    assert identity.parse(good[:17], date(2026, 12, 2)) is None
    assert identity.parse("11010519491231002x", date(2026, 12, 2)).number == "11010519491231002X"  # GB 11643 sample


async def test_identity_is_checked_sealed_unique_and_masked(client, engine, world):
    me = await new_worker(client)
    good = id_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    r = await client.put("/api/v1/worker/me/file/identity", headers=me, json={"real_name": "王秀兰", "id_number": wrong})
    assert r.status_code == 422 and r.json()["code"] == "invalid_id_number"
    assert r.headers["content-type"].startswith("application/problem+json")
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM worker_profiles WHERE id_number_hash IS NOT NULL")) == 0

    r = await client.put("/api/v1/worker/me/file/identity", headers=me, json={"real_name": "王秀兰", "id_number": good})
    body = r.json()
    assert r.status_code == 200 and body["id_number_masked"] == good[:3] + "*" * 11 + good[-4:]
    assert body["gender"] == "female" and body["birth_date"] == "1988-05-12" and good not in r.text
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT id_number_sealed, id_number_hash FROM worker_profiles "
                                       "WHERE real_name = '王秀兰'"))).one()
    assert good not in row.id_number_sealed and good not in row.id_number_hash

    other = await new_worker(client, "13712340002")
    r = await client.put("/api/v1/worker/me/file/identity", headers=other, json={"real_name": "李四", "id_number": good})
    assert r.status_code == 409 and r.json()["code"] == "id_number_taken"
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM worker_profiles WHERE real_name = '李四'")) == 0


async def test_bad_uploads_and_certificates_store_nothing(client, world):
    me = await new_worker(client)
    before = files()
    r = await client.post("/api/v1/worker/me/file/photos/selfie", headers=me,
                          files={"file": ("x.png", b"%PDF-1.4 not a photo", "image/png")})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media"
    r = await client.post("/api/v1/worker/me/file/photos/selfie", headers=me,
                          files={"file": ("x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")})  # unreadable
    assert r.status_code == 415
    r = await client.post("/api/v1/worker/me/file/photos/selfie", headers=me,
                          files={"file": ("big.jpg", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 + 10), "image/jpeg")})
    assert r.status_code == 413 and r.json()["code"] == "upload_too_large"
    r = await add_certificate(client, me, days=0)
    assert r.status_code == 422 and r.json()["code"] == "certificate_expired"
    r = await add_certificate(client, me, days=-30)
    assert r.status_code == 422 and r.json()["code"] == "certificate_expired"
    r = await add_certificate(client, me, days=100, issued_on=(date.today() + timedelta(days=200)).isoformat())
    assert r.status_code == 422 and r.json()["code"] == "certificate_dates"
    r = await add_certificate(client, me, data=b"GIF89a-not-really")
    assert r.status_code == 415
    r = await add_certificate(client, me, kind="driving")
    assert r.status_code == 422
    r = await client.patch("/api/v1/worker/me/file", headers=me, json={"declared_skills": ["juggling"]})
    assert r.status_code == 422 and r.json()["code"] == "unknown_skill"
    assert files() == before
    r = await client.get("/api/v1/worker/me/file", headers=me)
    assert r.json()["certificates"] == [] and r.json()["selfie_url"] is None and r.json()["declared_skills"] == []


async def test_submit_review_and_resubmit(client, session, engine, world):
    me = await new_worker(client)
    r = await client.get("/api/v1/worker/me/file", headers=me)
    assert r.json()["review_status"] == "draft" and r.json()["editable"]
    assert set(r.json()["missing"]) == {"identity", "id_photo", "selfie", "skills", "area", "certificate:health"}
    r = await client.post("/api/v1/worker/me/file/submit", headers=me)
    assert r.status_code == 422 and r.json()["code"] == "file_incomplete"

    await complete_file(client, me, world, skills=("cleaning", "nanny"))
    r = await client.get("/api/v1/worker/me/file", headers=me)
    assert r.json()["missing"] == [] and {c["kind"] for c in r.json()["certificates"]} == {"health", "nanny"}
    assert all(c["status"] == "pending" and c["photo_url"] for c in r.json()["certificates"])
    r = await client.post("/api/v1/worker/me/file/submit", headers=me)
    assert r.status_code == 200 and r.json()["review_status"] == "submitted" and not r.json()["editable"]
    assert r.json()["face"]["provider"] == "manual" and r.json()["face"]["status"] == "manual"
    r = await client.patch("/api/v1/worker/me/file", headers=me, json={"experience_years": 5})
    assert r.status_code == 409 and r.json()["code"] == "file_locked"

    staff = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    r = await client.get("/api/v1/admin/workers", headers=staff, params={"review_status": "submitted"})
    assert r.status_code == 200 and r.json()["total"] == 1
    wid = r.json()["items"][0]["id"]
    r = await client.get(f"/api/v1/admin/workers/{wid}/file", headers=staff)
    assert r.status_code == 200 and r.json()["id_photo_url"] and r.json()["selfie_url"]
    assert r.json()["worker"]["review_status"] == "submitted" and len(r.json()["certificates"]) == 2

    r = await client.post(f"/api/v1/admin/workers/{wid}/review", headers=staff,
                          json={"action": "ask", "reasons": ["certificate_unclear"], "note": "育婴员证反光"})
    assert r.status_code == 200
    r = await client.get("/api/v1/worker/me/file", headers=me)
    assert r.json()["review_status"] == "more_info" and r.json()["editable"]
    assert r.json()["review_reasons"][0]["label"] == "证书照片不清晰" and r.json()["review_note"] == "育婴员证反光"
    r = await client.post("/api/v1/worker/me/file/submit", headers=me)
    assert r.status_code == 200 and r.json()["review_status"] == "submitted"
    r = await client.post(f"/api/v1/admin/workers/{wid}/review", headers=staff, json={"action": "approve"})
    assert r.status_code == 200 and r.json()["verified"] and r.json()["skills"] == ["cleaning", "nanny"]
    r = await client.get("/api/v1/worker/me/file", headers=me)
    assert r.json()["review_status"] == "approved" and all(c["status"] == "approved" for c in r.json()["certificates"])
    async with engine.connect() as conn:
        kinds = [k for (k,) in await conn.execute(text(
            "SELECT title FROM notifications WHERE user_id = :w ORDER BY id"), {"w": wid})]
        history = [tuple(r) for r in await conn.execute(text(
            "SELECT from_status, to_status FROM worker_status_events WHERE worker_id = :w ORDER BY id"), {"w": wid})]
    assert kinds == ["资料已提交", "请补充资料", "资料已提交", "审核通过"]
    assert history == [("draft", "submitted"), ("submitted", "more_info"), ("more_info", "submitted"),
                       ("submitted", "approved")]


async def test_operators_keep_training_and_notes_audited(client, session, engine, world):
    staff = auth(await staff_token(client, session, "ops", ["admin"]))
    wid = world["workers"][0]
    r = await client.post(f"/api/v1/admin/workers/{wid}/trainings", headers=staff, json={
        "course": "母婴护理进阶", "taken_on": "2026-10-10", "hours": 16, "result": "passed",
        "certificate_number": "TR-2026-001"})
    assert r.status_code == 201, r.text
    r = await client.post(f"/api/v1/admin/workers/{wid}/trainings", headers=staff, json={
        "course": "x", "taken_on": "2026-10-10", "hours": 0, "result": "passed"})
    assert r.status_code == 422
    r = await client.post(f"/api/v1/admin/workers/{wid}/notes", headers=staff, json={"text": "客户反馈守时、细心"})
    assert r.status_code == 201
    r = await client.get(f"/api/v1/admin/workers/{wid}/file", headers=staff)
    f = r.json()
    assert f["trainings"][0]["course"] == "母婴护理进阶" and f["notes"][0]["text"] == "客户反馈守时、细心"
    assert {c["action"] for c in f["changes"]} >= {"worker.training.add", "worker.note.add"}
    assert f["certificates"][0]["kind"] == "health" and f["certificates"][0]["standing"] == "valid"


async def test_the_certificate_kinds_and_what_needs_them(client, world):
    me = await new_worker(client)
    r = await client.get("/api/v1/worker/certificate-kinds", headers=me)
    kinds = {k["kind"]: k for k in r.json()}
    assert kinds["health"]["required_for"] == ["*"] and kinds["health"]["label"] == "健康证"
    assert kinds["maternity"]["required_for"] == ["maternity"] and kinds["maternity"]["label"] == "母婴护理师证"
    assert set(kinds["elderly"]["required_for"]) == {"elderly_care", "patient_care"}
    assert certificates.REMIND_DAYS == 30


async def test_the_skills_a_worker_can_sign_up_for(client, world):
    me = await new_worker(client)
    r = await client.get("/api/v1/worker/skills", headers=me)
    skills = {s["code"]: s["services"] for s in r.json()}
    assert r.status_code == 200 and "全屋清洁" in skills["cleaning"] and skills["maternity"] == ["金牌月嫂"]
