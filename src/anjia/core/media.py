"""Checking and cleaning uploads: the content decides the type (not the name); photos are
bounded by pixels before anything decodes them, then rebuilt from their pixels alone (EXIF, GPS,
comments, ICC profiles and anything else in the file are gone) with a thumbnail; videos must be
MP4/MOV <= 60 s by their `mvhd` header and are stored up to their last top-level box.
Decoding runs in a worker thread (`clean_image_off_loop`), never on the event loop."""
import io
import struct

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from starlette.concurrency import run_in_threadpool

from anjia.core.errors import AppError, define
from anjia.core.storage import STORAGE_UNAVAILABLE

# The codes an upload endpoint can answer (list them in its `responses=`).
ERRORS = (
    define("unsupported_media", 415, "文件格式不支持，请上传照片（JPG/PNG/WebP）或视频（MP4）",
           "Upload a photo (JPG/PNG/WebP) or a video (MP4)"),
    define("upload_too_large", 413, "文件太大", "The file is too large"),
    define("video_too_long", 422, "视频不能超过 60 秒", "Videos may be 60 seconds at most"),
    define("invalid_video", 422, "视频文件已损坏或不完整", "The video is damaged or incomplete"),
    STORAGE_UNAVAILABLE,
)
IMAGE_ERRORS = (*ERRORS[:2], STORAGE_UNAVAILABLE)  # an endpoint that takes photos only

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/quicktime"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel phone photo; a decoded RGB image is 3 bytes a pixel
MAX_VIDEO_BYTES = 30 * 1024 * 1024
MAX_VIDEO_SECONDS = 60
MAX_SIDE = 2048
THUMB_SIDE = 320


def clean_image(data: bytes) -> tuple[bytes, bytes]:
    if len(data) > MAX_IMAGE_BYTES:
        raise AppError("upload_too_large", status=413)
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
        width, height = img.size
        if width * height > MAX_IMAGE_PIXELS:
            raise AppError("upload_too_large", status=413, extra={"max_pixels": MAX_IMAGE_PIXELS})
        img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale when it can
        img.load()
        img = ImageOps.exif_transpose(img).convert("RGB")  # keep the orientation, then forget the EXIF
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise AppError("unsupported_media") from None
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    pixels = Image.new("RGB", img.size)
    pixels.paste(img)  # a new image from the pixels alone: no comment, profile or metadata comes along
    out, thumb = io.BytesIO(), io.BytesIO()
    pixels.save(out, "JPEG", quality=85, optimize=True)
    small = pixels.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    small.save(thumb, "JPEG", quality=80)
    return out.getvalue(), thumb.getvalue()


async def clean_image_off_loop(data: bytes) -> tuple[bytes, bytes]:
    return await run_in_threadpool(clean_image, data)


TOP_LEVEL_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"pdin", b"moof", b"mfra",
                   b"meta", b"sidx", b"styp", b"emsg", b"prft", b"pnot"}


def _boxes(buf: bytes, start: int, end: int):
    """(type, body start, box end) of the complete boxes in buf[start:end]; stops at the first
    box that is malformed or runs past `end`."""
    i = start
    while i + 8 <= end:
        size, kind = struct.unpack(">I4s", buf[i:i + 8])
        header = 8
        if size == 1:
            if i + 16 > end:
                return
            size, header = struct.unpack(">Q", buf[i + 8:i + 16])[0], 16
        elif size == 0:
            size = end - i
        if size < header or i + size > end:
            return
        yield kind, i + header, i + size
        i += size


def _mvhd_seconds(buf: bytes, s: int, e: int) -> float | None:
    version = buf[s] if s < e else None
    if version == 1 and s + 32 <= e:
        timescale, duration = struct.unpack(">IQ", buf[s + 20:s + 32])
    elif version == 0 and s + 20 <= e:
        timescale, duration = struct.unpack(">II", buf[s + 12:s + 20])
    else:
        return None
    return duration / timescale if timescale else None


def mp4_seconds(data: bytes) -> float | None:
    """Duration from the movie header box (moov/mvhd) of an MP4/MOV file."""
    for kind, s, e in _boxes(data, 0, len(data)):
        if kind == b"moov":
            for k2, s2, e2 in _boxes(data, s, e):
                if k2 == b"mvhd":
                    return _mvhd_seconds(data, s2, e2)
    return None


def video_end(data: bytes) -> int:
    """Where the last complete top-level box of a known type ends: bytes after it are not part
    of the movie and are not stored."""
    end = 0
    for kind, _, box_end in _boxes(data, 0, len(data)):
        if kind not in TOP_LEVEL_BOXES:
            break
        end = box_end
    return end


def check_video(data: bytes) -> bytes:
    """The video as it will be stored (trailing bytes cut), or a 4xx problem."""
    if len(data) > MAX_VIDEO_BYTES:
        raise AppError("upload_too_large", status=413)
    movie = data[:video_end(data)]
    seconds = mp4_seconds(movie)
    if seconds is None:
        raise AppError("invalid_video")
    if seconds > MAX_VIDEO_SECONDS:
        raise AppError("video_too_long", extra={"seconds": round(seconds, 1)})
    return movie


def sniff(data: bytes) -> str:
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime in IMAGE_TYPES:
        return "image"
    if mime in VIDEO_TYPES:
        return "video"
    raise AppError("unsupported_media")
