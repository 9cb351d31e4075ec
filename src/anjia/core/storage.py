"""Media storage behind one interface, chosen by STORAGE_BACKEND:

- `local` (default): a directory (DATA_DIR/media), served by /api/v1/media/... through short-lived
  links signed with our own key, so private photos never sit behind a guessable path;
- `s3`: an S3-compatible bucket (AWS S3, MinIO, Aliyun OSS, Tencent COS) through boto3; links are
  S3 presigned GET URLs (SigV4) that expire like ours, and the bucket stays private.

Uploads always pass through media.py first (type sniffed, photos re-encoded without EXIF); what is
stored is our own output only, with a fixed content type. boto3 is synchronous: every call that
talks to the bucket runs in a worker thread. Signing a URL is local computation (no request)."""
import hashlib
import hmac
import re
import secrets
import time
from functools import lru_cache
from pathlib import Path

import structlog
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse

from anjia.config import get_settings
from anjia.core import security
from anjia.core.errors import AppError, define

log = structlog.get_logger()

URL_SECONDS = 3600
INLINE_TYPES = {".jpg": "image/jpeg", ".mp4": "video/mp4"}  # what uploads are stored as; shown in place
STORAGE_UNAVAILABLE = define("storage_unavailable", 503, "文件存储暂不可用，请稍后再试",
                             "File storage is unavailable; try again later")
DIRECT_UPLOAD_UNAVAILABLE = define("direct_upload_unavailable", 409, "当前存储不支持直传，请直接上传文件",
                                   "Direct uploads need the s3 storage backend; send the file itself")
UPLOAD_MISSING = define("upload_missing", 422, "未找到已上传的文件，请重新上传",
                        "The uploaded file was not found; upload it again")
# Direct uploads land under incoming/ (give the bucket a lifecycle rule expiring it after a day):
# never served, read back once by the server, checked and cleaned like any upload, then deleted.
INCOMING = "incoming"
UPLOAD_SECONDS = 600


def root() -> Path:
    return Path(get_settings().data_dir) / "media"


def _headers_of(key: str) -> tuple[str, str]:
    media_type = INLINE_TYPES.get(Path(key).suffix.lower())
    return media_type or "application/octet-stream", "inline" if media_type else "attachment"


# ---------------------------------------------------------------- the S3 backend
@lru_cache(maxsize=4)
def _s3_client(endpoint_url: str, region: str, access_key: str, secret_key: str, addressing_style: str):
    import boto3
    from botocore.config import Config

    # Checksums only where the API requires them: OSS and COS refuse the CRC headers newer SDKs add.
    config = Config(signature_version="s3v4", s3={"addressing_style": addressing_style},
                    retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                    request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region, aws_access_key_id=access_key or None,
                        aws_secret_access_key=secret_key or None, config=config)


def _s3():
    s = get_settings()
    return _s3_client(s.s3_endpoint_url, s.s3_region, s.s3_access_key_id, s.s3_secret_access_key,
                      s.s3_addressing_style), s.s3_bucket


def _s3_public():
    """The client that signs links: for S3_PUBLIC_ENDPOINT_URL when set (SigV4 signs the host)."""
    s = get_settings()
    return _s3_client(s.s3_public_endpoint_url or s.s3_endpoint_url, s.s3_region, s.s3_access_key_id,
                      s.s3_secret_access_key, s.s3_addressing_style), s.s3_bucket


def _s3_put(key: str, data: bytes) -> None:
    client, bucket = _s3()
    content_type, disposition = _headers_of(key)
    client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type, ContentDisposition=disposition,
                      CacheControl="private, max-age=3600")


def _s3_get(key: str, max_bytes: int | None = None) -> bytes | None:
    from botocore.exceptions import ClientError

    client, bucket = _s3()
    try:
        obj = client.get_object(Bucket=bucket, Key=key)
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    if max_bytes is not None and obj["ContentLength"] > max_bytes:
        obj["Body"].close()
        raise AppError("upload_too_large", status=413)
    return obj["Body"].read()


def _s3_delete(key: str) -> None:
    client, bucket = _s3()
    client.delete_object(Bucket=bucket, Key=key)


def _is_s3() -> bool:
    return get_settings().storage_backend == "s3"


# ---------------------------------------------------------------- the interface
async def save(data: bytes, ext: str, folder: str) -> str:
    """Store our own (cleaned) bytes under a new unguessable key; 503 `storage_unavailable` when the
    bucket cannot be reached."""
    key = f"{folder}/{secrets.token_hex(16)}.{ext}"
    if _is_s3():
        try:
            await run_in_threadpool(_s3_put, key, data)
        except Exception as e:  # botocore's ClientError, EndpointConnectionError, timeouts
            log.warning("storage_put_failed", backend="s3", key=key, error=f"{type(e).__name__}: {e}"[:300])
            raise AppError(STORAGE_UNAVAILABLE) from e
        return key
    path = root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    await run_in_threadpool(path.write_bytes, data)
    return key


async def remove(key: str | None) -> None:
    """Delete a stored file (gone already is fine; a bucket that cannot be reached is logged: the
    row that named the object is gone either way and the object stays private)."""
    if not key:
        return
    if _is_s3():
        try:
            await run_in_threadpool(_s3_delete, key)
        except Exception as e:
            log.warning("storage_delete_failed", backend="s3", key=key, error=f"{type(e).__name__}: {e}"[:300])
        return
    path = path_of(key)
    if path is not None:
        path.unlink(missing_ok=True)


async def read(key: str | None) -> bytes | None:
    """A stored file's bytes (None when there is none)."""
    if not key:
        return None
    if _is_s3():
        try:
            return await run_in_threadpool(_s3_get, key)
        except Exception as e:
            log.warning("storage_get_failed", backend="s3", key=key, error=f"{type(e).__name__}: {e}"[:300])
            raise AppError(STORAGE_UNAVAILABLE) from e
    path = path_of(key)
    return await run_in_threadpool(path.read_bytes) if path else None


def presigned_upload(folder: str, max_bytes: int) -> dict:
    """Direct to the bucket (s3 only): a presigned POST for one new object under incoming/<folder>/,
    at most `max_bytes`, valid UPLOAD_SECONDS. The client posts `fields` and then `file` to `url`
    and hands `key` back; `take_upload` gets it."""
    if not _is_s3():
        raise AppError(DIRECT_UPLOAD_UNAVAILABLE)
    client, bucket = _s3_public()
    key = f"{INCOMING}/{folder}/{secrets.token_hex(16)}"
    post = client.generate_presigned_post(bucket, key, Conditions=[["content-length-range", 1, max_bytes]],
                                          ExpiresIn=UPLOAD_SECONDS)
    return {"url": post["url"], "fields": post["fields"], "key": key, "expires_in": UPLOAD_SECONDS}


async def take_upload(key: str, folder: str, max_bytes: int) -> bytes:
    """The bytes a client posted with `presigned_upload(folder)`, read once and deleted from the bucket:
    the caller checks and cleans them like an upload and stores its own output. A key of another
    folder, one already taken or never posted is 422 `upload_missing`."""
    if not _is_s3():
        raise AppError(DIRECT_UPLOAD_UNAVAILABLE)
    if not re.fullmatch(rf"{INCOMING}/{re.escape(folder)}/[0-9a-f]{{32}}", key):
        raise AppError(UPLOAD_MISSING, errors=[{"field": "upload_key", "message": "unknown"}])
    try:
        data = await run_in_threadpool(_s3_get, key, max_bytes)
    except AppError:
        await remove(key)
        raise
    except Exception as e:
        log.warning("storage_get_failed", backend="s3", key=key, error=f"{type(e).__name__}: {e}"[:300])
        raise AppError(STORAGE_UNAVAILABLE) from e
    if data is None:
        raise AppError(UPLOAD_MISSING, errors=[{"field": "upload_key", "message": "missing"}])
    await remove(key)
    return data


def path_of(key: str) -> Path | None:
    """The local backend's file for a key (None for the s3 backend, whose links go to the bucket)."""
    if _is_s3():
        return None
    path = (root() / key).resolve()
    if root().resolve() not in path.parents or not path.is_file():
        return None
    return path


def _mac(secret: str, key: str, exp: int) -> str:
    return hmac.new(secret.encode(), f"{key}:{exp}".encode(), hashlib.sha256).hexdigest()[:32]


def signed_url(key: str | None) -> str | None:
    """An expiring link. Local: `sig` is `<kid>.<mac>` (the key id lets a rotated key's links work
    until they expire). S3: a presigned GET URL on the bucket, valid URL_SECONDS."""
    if not key:
        return None
    if _is_s3():
        client, bucket = _s3_public()
        return client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                             ExpiresIn=URL_SECONDS)
    exp = int(time.time()) + URL_SECONDS
    kid, secret = security.signing_key()
    return f"/api/v1/media/{key}?exp={exp}&sig={kid}.{_mac(secret, key, exp)}"


def verify(key: str, exp: int, sig: str) -> bool:
    kid, _, mac = sig.partition(".")
    secret = security.verification_keys().get(kid)
    return secret is not None and exp >= time.time() and hmac.compare_digest(_mac(secret, key, exp), mac)


def file_response(path: Path) -> FileResponse:
    """A stored file with a fixed type: browsers must not sniff it into something else (nosniff),
    and anything but our own JPEG and MP4 output is downloaded, never rendered."""
    media_type, disposition = _headers_of(path.name)
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
               "Content-Disposition": disposition}
    return FileResponse(path, media_type=media_type, headers=headers)
