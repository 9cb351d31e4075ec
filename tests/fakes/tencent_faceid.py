"""A local stand-in for Tencent Cloud FaceID's API (faceid.tencentcloudapi.com, version 2018-03-01)
speaking its protocol: JSON POSTs signed with TC3-HMAC-SHA256, which it verifies as the real one
does (canonical request over content-type and host, the date-scoped derived key, ±5 minutes);
answers `ImageRecognitionV2` from the people it was told about. A "face" here is a photo's mean
colour: re-encoding keeps it, a different photo does not."""
import base64
import binascii
import io
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageStat

from tests.fakes.tencent_cloud import check_tc3


def face_of(image: bytes) -> tuple[float, ...] | None:
    try:
        return tuple(ImageStat.Stat(Image.open(io.BytesIO(image)).convert("RGB")).mean)
    except Exception:
        return None


class FakeFaceId:
    def __init__(self, secret_id: str = "AKIDfake000000000001", secret_key: str = "fake-secret-key-0001"):
        self.secret_id, self.secret_key = secret_id, secret_key
        self.people: dict[str, str] = {}  # ID number -> name (the authority's records)
        self.faces: dict[str, tuple[float, ...]] = {}  # ID number -> that person's face
        self.calls: list[dict] = []
        self.refused: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                error = fake._check(self.headers, body)
                if error:
                    fake.refused.append(error[0])
                    return self._json({"Response": {"Error": {"Code": error[0], "Message": error[1]},
                                                    "RequestId": str(uuid.uuid4())}})
                params = json.loads(body)
                fake.calls.append({"action": self.headers["X-TC-Action"], "params": params})
                self._json({"Response": {**fake._recognise(params), "Extra": "", "RequestId": str(uuid.uuid4())}})

            def _json(self, payload: dict):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add_person(self, id_number: str, name: str, selfie: bytes) -> None:
        self.people[id_number], self.faces[id_number] = name, face_of(selfie)

    def _check(self, headers, body: bytes) -> tuple[str, str] | None:
        error = check_tc3(headers, body, secret_id=self.secret_id, secret_key=self.secret_key, service="faceid")
        if error:
            return error
        if headers.get("X-TC-Action") != "ImageRecognitionV2" or headers.get("X-TC-Version") != "2018-03-01":
            return "InvalidAction", "unsupported action"
        return None

    def _recognise(self, params: dict) -> dict:
        id_number, name = params.get("IdCard", ""), params.get("Name", "")
        try:
            image = base64.b64decode(params.get("ImageBase64", ""), validate=True)
        except (binascii.Error, ValueError):
            image = b""
        face = face_of(image) if image else None
        if face is None:
            return {"Sim": 0.0, "Result": "FailedOperation.ImageDecodeFailed", "Description": "图片解码失败"}
        if self.people.get(id_number) != name:
            return {"Sim": 0.0, "Result": "FailedOperation.IdNameMisMatch", "Description": "姓名和身份证号不一致"}
        known = self.faces.get(id_number)
        if known and all(abs(a - b) < 8 for a, b in zip(known, face, strict=True)):
            return {"Sim": 92.37, "Result": "Success", "Description": "成功"}
        return {"Sim": 31.5, "Result": "FailedOperation.CompareLowSimilarity", "Description": "比对相似度未达到通过标准"}

    def close(self):
        self.server.shutdown()
