"""Media storage: local directory by default (S3-compatible storage is the production plan),
served through short-lived signed URLs so private photos never sit behind a guessable path."""
import hashlib
import hmac
import secrets
import time
from pathlib import Path

from starlette.responses import FileResponse

from anjia.config import get_settings
from anjia.core import security

URL_SECONDS = 3600
INLINE_TYPES = {".jpg": "image/jpeg", ".mp4": "video/mp4"}  # what uploads are stored as; shown in place


def root() -> Path:
    return Path(get_settings().data_dir) / "media"


def save(data: bytes, ext: str, folder: str) -> str:
    key = f"{folder}/{secrets.token_hex(16)}.{ext}"
    path = root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def remove(key: str | None) -> None:
    """Delete a stored file (gone already is fine)."""
    path = path_of(key) if key else None
    if path is not None:
        path.unlink(missing_ok=True)


def path_of(key: str) -> Path | None:
    path = (root() / key).resolve()
    if root().resolve() not in path.parents or not path.is_file():
        return None
    return path


def _mac(secret: str, key: str, exp: int) -> str:
    return hmac.new(secret.encode(), f"{key}:{exp}".encode(), hashlib.sha256).hexdigest()[:32]


def signed_url(key: str | None) -> str | None:
    """`sig` is `<kid>.<mac>`: the key id lets a rotated key's links work until they expire."""
    if not key:
        return None
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
    media_type = INLINE_TYPES.get(path.suffix.lower())
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
               "Content-Disposition": "inline" if media_type else "attachment"}
    return FileResponse(path, media_type=media_type or "application/octet-stream", headers=headers)
