"""Face verification of a new worker: does the live selfie show the person the name and ID number
belong to? `manual` (the default) leaves it to operators, who compare the ID photo with the selfie
in the console; `tencent` asks Tencent Cloud FaceID (ImageRecognitionV2: the selfie against the
authority's ID photo of that name and number) through its official SDK. Either way operators
decide; the result is shown to them beside the photos."""
import base64
import json
from dataclasses import dataclass
from typing import Literal, Protocol

import structlog
from starlette.concurrency import run_in_threadpool

from anjia.config import get_settings

log = structlog.get_logger()

Status = Literal["manual", "passed", "failed", "error"]


@dataclass(frozen=True)
class FaceResult:
    status: Status
    score: float | None = None  # similarity 0..100
    detail: str = ""


class FaceVerifier(Protocol):
    name: str

    async def verify(self, real_name: str, id_number: str, selfie_jpeg: bytes) -> FaceResult: ...


class ManualFace:
    name = "manual"

    async def verify(self, real_name: str, id_number: str, selfie_jpeg: bytes) -> FaceResult:
        return FaceResult("manual", None, "请运营人员比对身份证照片与自拍")


class TencentFace:
    """Tencent Cloud FaceID through `tencentcloud-sdk-python-faceid` (TC3-HMAC-SHA256 signed; the
    SDK is synchronous, so it runs in a worker thread)."""

    name = "tencent"

    def __init__(self, secret_id: str, secret_key: str, region: str, endpoint: str = "", scheme: str = "https",
                 pass_score: float = 70.0, timeout: int = 10):
        self.secret_id, self.secret_key, self.region = secret_id, secret_key, region
        self.endpoint, self.scheme, self.pass_score, self.timeout = endpoint, scheme, pass_score, timeout

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.faceid.v20180301 import faceid_client

        http = HttpProfile(protocol=self.scheme, endpoint=self.endpoint or None, reqTimeout=self.timeout)
        return faceid_client.FaceidClient(credential.Credential(self.secret_id, self.secret_key), self.region,
                                          ClientProfile(httpProfile=http))

    def _call(self, real_name: str, id_number: str, selfie_jpeg: bytes) -> FaceResult:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.faceid.v20180301 import models

        req = models.ImageRecognitionV2Request()
        req.from_json_string(json.dumps({"IdCard": id_number, "Name": real_name,
                                         "ImageBase64": base64.b64encode(selfie_jpeg).decode()}))
        try:
            resp = self._client().ImageRecognitionV2(req)
        except TencentCloudSDKException as e:
            log.warning("faceid_failed", code=e.get_code(), request_id=e.get_request_id())
            return FaceResult("error", None, f"{e.get_code()}: {e.get_message()}"[:200])
        score = float(resp.Sim) if resp.Sim is not None else None
        if resp.Result == "Success" and score is not None and score >= self.pass_score:
            return FaceResult("passed", score, resp.Description or "")
        return FaceResult("failed", score, f"{resp.Result}: {resp.Description or ''}"[:200])

    async def verify(self, real_name: str, id_number: str, selfie_jpeg: bytes) -> FaceResult:
        return await run_in_threadpool(self._call, real_name, id_number, selfie_jpeg)


def get_face_verifier() -> FaceVerifier:
    s = get_settings()
    if s.face_provider == "manual":
        return ManualFace()
    if s.face_provider == "tencent":
        return TencentFace(s.tencent_secret_id, s.tencent_secret_key, s.tencent_region, s.faceid_endpoint,
                           s.faceid_scheme, s.faceid_pass_score)
    raise RuntimeError(f"unknown face provider {s.face_provider!r}")
