"""Checking and cleaning uploads: the content decides the type (not the name), photos are
re-encoded (which drops EXIF, GPS included) with a thumbnail, videos must be MP4/MOV ≤ 60 s."""
import io
import struct

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from anjia.core.errors import AppError

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/quicktime"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 30 * 1024 * 1024
MAX_VIDEO_SECONDS = 60
MAX_SIDE = 2048
THUMB_SIDE = 320


def clean_image(data: bytes) -> tuple[bytes, bytes]:
    if len(data) > MAX_IMAGE_BYTES:
        raise AppError("upload_too_large", status=413)
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise AppError("unsupported_media") from None
    img = ImageOps.exif_transpose(img).convert("RGB")  # keep the orientation, then forget the EXIF
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    out, thumb = io.BytesIO(), io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True)
    small = img.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    small.save(thumb, "JPEG", quality=80)
    return out.getvalue(), thumb.getvalue()


def mp4_seconds(data: bytes) -> float | None:
    """Duration from the movie header box (moov/mvhd) of an MP4/MOV file."""
    def boxes(buf: bytes, start: int, end: int):
        i = start
        while i + 8 <= end:
            size, kind = struct.unpack(">I4s", buf[i:i + 8])
            header = 8
            if size == 1 and i + 16 <= end:
                size, header = struct.unpack(">Q", buf[i + 8:i + 16])[0], 16
            elif size == 0:
                size = end - i
            if size < header:
                return
            yield kind, i + header, min(i + size, end)
            i += size

    for kind, s, e in boxes(data, 0, len(data)):
        if kind == b"moov":
            for k2, s2, _ in boxes(data, s, e):
                if k2 == b"mvhd":
                    version = data[s2]
                    if version == 1:
                        timescale, duration = struct.unpack(">IQ", data[s2 + 20:s2 + 32])
                    else:
                        timescale, duration = struct.unpack(">II", data[s2 + 12:s2 + 20])
                    return duration / timescale if timescale else None
    return None


def check_video(data: bytes) -> None:
    if len(data) > MAX_VIDEO_BYTES:
        raise AppError("upload_too_large", status=413)
    seconds = mp4_seconds(data)
    if seconds is None:
        raise AppError("unsupported_media")
    if seconds > MAX_VIDEO_SECONDS:
        raise AppError("video_too_long", extra={"seconds": round(seconds, 1)})


def sniff(data: bytes) -> str:
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime in IMAGE_TYPES:
        return "image"
    if mime in VIDEO_TYPES:
        return "video"
    raise AppError("unsupported_media")
