"""Uploads that could hurt: pixel bombs, hidden comments, trailing bytes, truncated headers."""
import asyncio
import io
import struct
import time
import zlib

from PIL import Image

from anjia.core import media
from tests.fieldwork.test_records import in_service, mp4


def png_bomb(width: int = 9600, height: int = 9600) -> bytes:
    """A valid grey PNG of width × height pixels (92 megapixels by default) that compresses to
    ~90 KB: decoding it would take 92 MB and seconds of CPU."""
    row = b"\x00" + b"\x00" * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def jpeg_with_comment(marker: bytes) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(buf, "JPEG")
    data = buf.getvalue()
    com = b"\xff\xfe" + struct.pack(">H", len(marker) + 2) + marker
    return data[:2] + com + data[2:]  # right after SOI


async def test_pixel_bomb_is_refused_before_decoding(client, session, world):
    bomb = png_bomb()
    assert len(bomb) < 120_000 and Image.open(io.BytesIO(bomb)).size == (9600, 9600)
    order, wh, _ = await in_service(client, session, world)
    started = time.perf_counter()
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "before"},
                          files={"file": ("p.png", bomb, "image/png")})
    assert r.status_code == 413 and r.json()["code"] == "upload_too_large", r.text
    assert time.perf_counter() - started < 1.0


async def test_images_are_decoded_off_the_event_loop(monkeypatch):
    """While a photo is being decoded, the event loop keeps answering."""
    def slow_clean(data: bytes):
        time.sleep(0.5)
        return b"x", b"y"

    monkeypatch.setattr(media, "clean_image", slow_clean)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    task = asyncio.create_task(ticker())
    assert await media.clean_image_off_loop(b"...") == (b"x", b"y")
    task.cancel()
    assert ticks >= 10


async def test_jpeg_comment_does_not_survive(client, session, world):
    order, wh, _ = await in_service(client, session, world)
    secret = b"ANJIA-HIDDEN-COMMENT-7f3a"
    photo = jpeg_with_comment(secret)
    assert secret in photo and Image.open(io.BytesIO(photo)).info.get("comment") == secret
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "before"},
                          files={"file": ("c.jpg", photo, "image/jpeg")})
    assert r.status_code == 201, r.text
    for url in (r.json()["url"], r.json()["thumb_url"]):
        stored = (await client.get(url)).content
        assert stored.startswith(b"\xff\xd8") and secret not in stored and b"\xff\xfe" not in stored


async def test_video_trailing_bytes_are_not_stored(client, session, world):
    order, wh, _ = await in_service(client, session, world)
    movie = mp4(10)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "during"},
                          files={"file": ("v.mp4", movie + b"<script>alert(1)</script>" * 40, "video/mp4")})
    assert r.status_code == 201, r.text
    served = await client.get(r.json()["url"])
    assert served.content == movie
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-type"] == "video/mp4"


async def test_truncated_video_headers_are_a_422(client, session, world):
    order, wh, _ = await in_service(client, session, world)
    movie = mp4(10)
    for cut in (len(movie) - 1, len(movie) - 60, 40, 30):
        r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "during"},
                              files={"file": ("v.mp4", movie[:cut], "video/mp4")})
        assert r.status_code == 422 and r.json()["code"] == "invalid_video", (cut, r.text)
    # an mvhd box too short for its version
    ftyp = movie[:24]
    mvhd = struct.pack(">I4s", 12, b"mvhd") + b"\x01\x00\x00\x00"
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/records", headers=wh, data={"stage": "during"},
                          files={"file": ("v.mp4", ftyp + moov, "video/mp4")})
    assert r.status_code == 422 and r.json()["code"] == "invalid_video", r.text


async def test_media_are_served_nosniff_and_unknown_types_download(client, session, world, tmp_path):
    from anjia.core import storage

    key = await storage.save(b"<html><script>alert(1)</script>", "html", "orders/1")
    url = storage.signed_url(key)
    r = await client.get(url)
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"] == "attachment"
    assert r.headers["content-type"] == "application/octet-stream"
