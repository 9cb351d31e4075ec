import io
import struct

from PIL import Image

from tests.conftest import auth
from tests.dispatch.helpers import paid_order, worker_auth


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (1200, 900), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825)[2] = (31.0, 12.0, 0.0)  # GPS latitude
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def mp4(seconds: int) -> bytes:
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    mvhd_body = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov


async def in_service(client, session, world):
    order, staff = await paid_order(client, session, world)
    wh = worker_auth(world["workers"][0])
    await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.195, "lng": 121.438}, headers=wh)
    return order, wh, staff


async def test_photo_is_cleaned_and_visible_to_customer_and_operators(client, session, world):
    order, wh, staff = await in_service(client, session, world)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh,
                          data={"stage": "before", "note": "油烟机很脏"},
                          files={"file": ("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")})
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["media_type"] == "image" and rec["url"].startswith("/api/v1/media/")
    photo = await client.get(rec["url"])
    assert photo.status_code == 200
    stored = Image.open(io.BytesIO(photo.content))
    assert stored.format == "JPEG" and not stored.getexif()  # no EXIF, no GPS
    thumb = Image.open(io.BytesIO((await client.get(rec["thumb_url"])).content))
    assert max(thumb.size) <= 320
    mine = (await client.get(f"/api/v1/orders/{order['id']}/records", headers=auth(world["token"]))).json()
    assert [x["note"] for x in mine] == ["油烟机很脏"]
    assert (await client.get(f"/api/v1/admin/orders/{order['id']}/records", headers=staff)).json()[0]["id"] == rec["id"]
    assert (await client.get(rec["url"].replace("sig=", "sig=0"))).status_code == 404


async def test_bad_uploads(client, session, world):
    order, wh, _ = await in_service(client, session, world)
    url = f"/api/v1/worker/orders/{order['id']}/records"
    r = await client.post(url, headers=wh, data={"stage": "during"},
                          files={"file": ("photo.jpg", b"MZ\x90\x00 this is not an image", "image/jpeg")})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media"
    r = await client.post(url, headers=wh, data={"stage": "during"}, files={"file": ("v.mp4", mp4(90), "video/mp4")})
    assert r.status_code == 422 and r.json()["code"] == "video_too_long"
    r = await client.post(url, headers=wh, data={"stage": "during"}, files={"file": ("v.mp4", mp4(20), "video/mp4")})
    assert r.status_code == 201 and r.json()["media_type"] == "video"
    r = await client.post(url, headers=wh, data={"stage": "later"})
    assert r.status_code == 422
    r = await client.post(url, headers=wh, data={"stage": "after"})
    assert r.status_code == 422  # neither a note nor a file
    big = b"\xff\xd8\xff" + b"0" * (33 * 1024 * 1024)
    r = await client.post(url, headers=wh, data={"stage": "after"}, files={"file": ("big.jpg", big, "image/jpeg")})
    assert r.status_code == 413
    other = worker_auth(world["workers"][1])
    r = await client.post(url, headers=other, data={"stage": "after", "note": "x"})
    assert r.status_code == 404
