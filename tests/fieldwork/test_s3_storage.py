"""Media in an S3-compatible bucket (STORAGE_BACKEND=s3) through boto3 against moto's S3 server on
127.0.0.1: a service-record photo uploaded through the real API is cleaned as before (re-encoded,
EXIF gone) and stored in the bucket, not on disk; its links are presigned GET URLs that expire, the
object itself is private; a worker's certificate taken back deletes its objects; the selfie for face
verification is read back from the bucket; an unreachable bucket is a 503 and stores nothing."""
import io
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from anjia.config import get_settings
from anjia.core import storage
from tests.fieldwork.test_records import in_service, jpeg_with_exif
from tests.workforce.test_signup import add_certificate, files, new_worker

BUCKET = "anjia-media"


@pytest.fixture(scope="module")
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(moto_endpoint, monkeypatch):
    s = get_settings()
    for k, v in {"storage_backend": "s3", "s3_bucket": BUCKET, "s3_endpoint_url": moto_endpoint,
                 "s3_region": "us-east-1", "s3_access_key_id": "AKIAFAKEANJIA0000001",
                 "s3_secret_access_key": "fake-s3-secret-key-0001", "s3_addressing_style": "path"}.items():
        monkeypatch.setattr(s, k, v)
    client, _ = storage._s3()
    client.create_bucket(Bucket=BUCKET)
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def key_of(url: str) -> str:
    return urlsplit(url).path.removeprefix(f"/{BUCKET}/")


async def test_a_record_photo_lives_in_the_bucket_behind_presigned_links(client, session, world, bucket, moto_endpoint):
    order, wh, staff = await in_service(client, session, world)
    on_disk = files()
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                          data={"stage": "before", "note": "油烟机很脏"},
                          files={"file": ("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")})
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["url"].startswith(f"{moto_endpoint}/{BUCKET}/orders/{order['id']}/")
    query = parse_qs(urlsplit(rec["url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Expires"] == ["3600"]
    assert query["X-Amz-Credential"][0].startswith("AKIAFAKEANJIA0000001/") and query["X-Amz-Signature"]
    assert keys(bucket) == sorted([key_of(rec["url"]), key_of(rec["thumb_url"])]) and files() == on_disk
    async with httpx.AsyncClient() as web:
        photo = await web.get(rec["url"])
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
        stored = Image.open(io.BytesIO(photo.content))
        assert stored.format == "JPEG" and stored.size == (1200, 900) and not stored.getexif()  # no EXIF, no GPS
        thumb = Image.open(io.BytesIO((await web.get(rec["thumb_url"])).content))
        assert max(thumb.size) <= 320
        # the object is private: without the signature the bucket refuses
        assert (await web.get(rec["url"].split("?")[0])).status_code == 403
    # the customer and operators get fresh presigned links to the same object
    mine = (await client.get(f"/api/v1/admin/orders/{order['id']}/records", headers=staff)).json()
    assert key_of(mine[0]["url"]) == key_of(rec["url"])
    # our own media route serves nothing from the bucket
    assert (await client.get(f"/api/v1/media/{key_of(rec['url'])}?exp=9999999999&sig=x.y")).status_code == 404
    # removing deletes the objects
    await storage.remove(key_of(rec["url"]))
    await storage.remove(key_of(rec["thumb_url"]))
    assert keys(bucket) == []
    assert await storage.read(key_of(rec["url"])) is None


async def test_certificates_and_selfies_in_the_bucket(client, world, bucket):
    me = await new_worker(client, "13712349001")
    r = await add_certificate(client, me)
    assert r.status_code == 201, r.text
    cert = r.json()
    assert len(keys(bucket)) == 2 and key_of(cert["photo_url"]) in keys(bucket)
    r = await client.delete(f"/api/v1/worker/me/certificates/{cert['id']}", headers=me)
    assert r.status_code == 204 and keys(bucket) == []
    # what face verification reads back is what was stored
    key = await storage.save(b"\xff\xd8 not really a jpeg", "jpg", "identity/1")
    assert await storage.read(key) == b"\xff\xd8 not really a jpeg"


async def test_an_unreachable_bucket_is_a_503_and_stores_nothing(client, session, world, bucket, moto_endpoint,
                                                                 monkeypatch):
    order, wh, _ = await in_service(client, session, world)
    monkeypatch.setattr(get_settings(), "s3_endpoint_url", "http://127.0.0.1:9")
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "before"},
                          files={"file": ("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")})
    assert r.status_code == 503 and r.json()["code"] == "storage_unavailable", r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    monkeypatch.setattr(get_settings(), "s3_endpoint_url", moto_endpoint)
    r = await client.get(f"/api/v1/worker/orders/{order['id']}/records", headers=wh)
    assert r.status_code == 200 and r.json() == []


async def test_links_are_signed_for_the_public_address(client, session, world, bucket, moto_endpoint, monkeypatch):
    public = moto_endpoint.replace("127.0.0.1", "localhost")
    monkeypatch.setattr(get_settings(), "s3_public_endpoint_url", public)
    order, wh, _ = await in_service(client, session, world)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "before"},
                          files={"file": ("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")})
    assert r.status_code == 201, r.text
    assert r.json()["url"].startswith(f"{public}/{BUCKET}/orders/")  # stored through the inside address
    async with httpx.AsyncClient() as web:
        assert (await web.get(r.json()["url"])).status_code == 200
    ticket = (await client.post(f"/api/v1/worker/orders/{order['id']}/records/uploads", headers=wh)).json()
    assert ticket["url"].startswith(public)


def test_local_is_the_default():
    assert get_settings().storage_backend == "local"
    assert storage.signed_url("orders/1/x.jpg").startswith("/api/v1/media/orders/1/x.jpg?exp=")


async def test_a_direct_upload_to_the_bucket_is_checked_and_cleaned_afterwards(client, session, world, bucket):
    order, wh, _ = await in_service(client, session, world)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records/uploads", headers=wh)
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["key"].startswith(f"incoming/orders/{order['id']}/") and ticket["expires_in"] == 600
    assert ticket["fields"]["key"] == ticket["key"] and ticket["fields"]["policy"]
    async with httpx.AsyncClient() as web:  # what the worker's app does: straight to the bucket
        r = await web.post(ticket["url"], data=ticket["fields"],
                           files={"file": ("IMG_0002.jpg", jpeg_with_exif(), "image/jpeg")})
        assert r.status_code in (200, 204), r.text
    assert keys(bucket) == [ticket["key"]]
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                          data={"stage": "during", "upload_key": ticket["key"]})
    assert r.status_code == 201, r.text
    rec = r.json()
    # the raw upload is gone; what is kept is our own re-encoding, without EXIF
    assert keys(bucket) == sorted([key_of(rec["url"]), key_of(rec["thumb_url"])])
    async with httpx.AsyncClient() as web:
        stored = Image.open(io.BytesIO((await web.get(rec["url"])).content))
    assert stored.format == "JPEG" and not stored.getexif()
    # a key taken already, one of another order, or made up: nothing is recorded
    for key in (ticket["key"], f"incoming/orders/{order['id'] + 1}/{'0' * 32}", "orders/1/../../etc"):
        r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                              data={"stage": "during", "upload_key": key})
        assert r.status_code == 422 and r.json()["code"] == "upload_missing", r.text
    # something that is not a photo or a video posted to the bucket: refused and deleted
    ticket = (await client.post(f"/api/v1/worker/orders/{order['id']}/records/uploads", headers=wh)).json()
    async with httpx.AsyncClient() as web:
        await web.post(ticket["url"], data=ticket["fields"], files={"file": ("x.html", b"<script>1</script>", "text/html")})
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                          data={"stage": "during", "upload_key": ticket["key"]})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media"
    assert ticket["key"] not in keys(bucket)
    records = (await client.get(f"/api/v1/worker/orders/{order['id']}/records", headers=wh)).json()
    assert [x["id"] for x in records] == [rec["id"]]


async def test_direct_uploads_need_the_bucket(client, session, world):
    order, wh, _ = await in_service(client, session, world)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records/uploads", headers=wh)
    assert r.status_code == 409 and r.json()["code"] == "direct_upload_unavailable"
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                          data={"stage": "during", "upload_key": f"incoming/orders/{order['id']}/{'0' * 32}"})
    assert r.status_code == 409


def test_the_pages_may_load_media_from_the_bucket(monkeypatch):
    """Record photos and videos are presigned links to the bucket: its public origin is in the pages' CSP
    (img-src and media-src), a named host also with its virtual-hosted `*.` form; local storage adds nothing."""
    from anjia.app import media_sources
    from anjia.core.middleware import SecurityHeaders

    s = get_settings()
    assert media_sources(s) == []
    monkeypatch.setattr(s, "storage_backend", "s3")
    monkeypatch.setattr(s, "s3_endpoint_url", "http://minio:9000")
    assert media_sources(s) == ["http://minio:9000", "http://*.minio:9000"]
    monkeypatch.setattr(s, "s3_public_endpoint_url", "http://127.0.0.1:9000")
    assert media_sources(s) == ["http://127.0.0.1:9000"]
    csp = SecurityHeaders(None, media_sources=media_sources(s)).csp("/")
    assert "img-src 'self' data: blob: https: http://127.0.0.1:9000;" in csp
    assert "media-src 'self' blob: http://127.0.0.1:9000;" in csp
    assert "127.0.0.1:9000" not in SecurityHeaders(None).csp("/")
