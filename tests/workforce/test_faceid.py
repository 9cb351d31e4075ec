"""Face verification through Tencent Cloud FaceID's real SDK against a local fake that checks the
TC3-HMAC-SHA256 signature: the same person passes, another face fails, a wrong key is refused and
surfaces as an error for operators (never a 500); `manual` is the default."""
import pytest

from anjia.config import get_settings
from anjia.providers.faceid import ManualFace, TencentFace, get_face_verifier
from tests.conftest import sms_login
from tests.fakes.tencent_faceid import FakeFaceId
from tests.workforce.test_signup import complete_file, id_number, photo

SELFIE = photo((90, 150, 180))  # complete_file's selfie colour


@pytest.fixture
def fake():
    f = FakeFaceId()
    yield f
    f.close()


def tencent(fake, secret_key=None) -> TencentFace:
    return TencentFace(fake.secret_id, secret_key or fake.secret_key, "ap-guangzhou", fake.endpoint, "http")


async def test_the_sdk_signs_and_the_fake_answers(fake):
    number = id_number()
    fake.add_person(number, "王秀兰", SELFIE)
    ok = await tencent(fake).verify("王秀兰", number, SELFIE)
    assert ok.status == "passed" and ok.score == pytest.approx(92.37)
    assert fake.calls[0]["action"] == "ImageRecognitionV2" and fake.calls[0]["params"]["IdCard"] == number
    other = await tencent(fake).verify("王秀兰", number, photo((250, 20, 20)))
    assert other.status == "failed" and other.score == pytest.approx(31.5)
    assert "CompareLowSimilarity" in other.detail
    wrong_name = await tencent(fake).verify("李四", number, SELFIE)
    assert wrong_name.status == "failed" and "IdNameMisMatch" in wrong_name.detail
    forged = await tencent(fake, secret_key="not-the-key").verify("王秀兰", number, SELFIE)
    assert forged.status == "error" and "AuthFailure.SignatureFailure" in forged.detail
    assert fake.refused == ["AuthFailure.SignatureFailure"] and len(fake.calls) == 3


async def test_submitting_runs_the_configured_provider(client, world, fake, monkeypatch):
    assert isinstance(get_face_verifier(), ManualFace)
    s = get_settings()
    for k, v in {"face_provider": "tencent", "tencent_secret_id": fake.secret_id,
                 "tencent_secret_key": fake.secret_key, "faceid_endpoint": fake.endpoint, "faceid_scheme": "http"}.items():
        monkeypatch.setattr(s, k, v)
    number = id_number("19790101", "226")
    fake.add_person(number, "王秀兰", SELFIE)
    me = {"Authorization": "Bearer " + (await sms_login(client, "13712340009", app="worker"))["access_token"]}
    await complete_file(client, me, world, number=number)
    r = await client.post("/api/v1/worker/me/file/submit", headers=me)
    assert r.status_code == 200, r.text
    face = r.json()["face"]
    assert face["provider"] == "tencent" and face["status"] == "passed" and face["score"] > 90
    # the cleaned selfie (re-encoded, no metadata) is what was sent, with the name and the number
    assert fake.calls[-1]["params"]["Name"] == "王秀兰" and fake.calls[-1]["params"]["IdCard"] == number


async def test_an_unreachable_provider_leaves_it_to_operators(client, world, fake, monkeypatch):
    s = get_settings()
    for k, v in {"face_provider": "tencent", "tencent_secret_id": fake.secret_id, "tencent_secret_key": "x",
                 "faceid_endpoint": "127.0.0.1:9", "faceid_scheme": "http"}.items():
        monkeypatch.setattr(s, k, v)
    me = {"Authorization": "Bearer " + (await sms_login(client, "13712340010", app="worker"))["access_token"]}
    await complete_file(client, me, world, number=id_number("19790101", "246"))
    r = await client.post("/api/v1/worker/me/file/submit", headers=me)
    assert r.status_code == 200 and r.json()["review_status"] == "submitted"
    assert r.json()["face"]["status"] == "error"
