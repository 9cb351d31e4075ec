"""Tencent Cloud API 3.0's request signature (TC3-HMAC-SHA256), as the local fakes of its services
check it: the SDKs sign, the fakes recompute and compare, and answer Tencent's own error codes."""
import hashlib
import hmac
import time


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_signature(secret_key: str, *, method: str, content_type: str, host: str, body: bytes, timestamp: str,
                  service: str) -> str:
    day = time.strftime("%Y-%m-%d", time.gmtime(int(timestamp)))
    canonical = "\n".join([method, "/", "", f"content-type:{content_type}\nhost:{host}\n", "content-type;host",
                           hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, f"{day}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), day), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def check_tc3(headers, body: bytes, *, secret_id: str, secret_key: str, service: str) -> tuple[str, str] | None:
    """None when the request is signed by `secret_id`'s key for `service` within 5 minutes, else
    Tencent's (error code, message)."""
    auth = headers.get("Authorization", "")
    prefix = "TC3-HMAC-SHA256 Credential="
    if not auth.startswith(prefix):
        return "AuthFailure.SignatureFailure", "missing TC3 authorization"
    try:
        credential, signed, signature = (part.strip() for part in auth[len(prefix):].split(","))
        key_id, day, scope, terminator = credential.split("/")
    except ValueError:
        return "AuthFailure.SignatureFailure", "malformed authorization"
    if key_id != secret_id:
        return "AuthFailure.SecretIdNotFound", "unknown SecretId"
    timestamp = headers.get("X-TC-Timestamp", "0")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return "AuthFailure.SignatureExpire", "timestamp out of range"
    if (scope, terminator, signed) != (service, "tc3_request", "SignedHeaders=content-type;host") \
            or day != time.strftime("%Y-%m-%d", time.gmtime(int(timestamp))):
        return "AuthFailure.SignatureFailure", "bad credential scope"
    want = tc3_signature(secret_key, method="POST", content_type=headers.get("Content-Type", ""),
                         host=headers.get("Host", ""), body=body, timestamp=timestamp, service=service)
    if not hmac.compare_digest(signature, f"Signature={want}"):
        return "AuthFailure.SignatureFailure", "signature does not match"
    return None
