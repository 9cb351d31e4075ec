"""A local stand-in for Tencent Location Service's WebService API (apis.map.qq.com) on 127.0.0.1:
GET requests with `key` and the SN signature `sig = md5(path?sorted raw params + SK)`, which it
verifies as the real one does, answering in Tencent's shape (HTTP 200, `status` 0 with `result` /
`data`, or an error status: 311 bad key format, 110 unknown key, 111 signature failed, 120 the
per-second quota, 306/310 bad parameters, 347 nothing found).

It knows the places it is given (`add_place`); suggestions match their titles and addresses,
geocoding an exact address, reverse geocoding the nearest place within 1 km; driving routes go
via the corner of the two points (Manhattan distance) at 30 km/h. `fail_with = 120` makes every
request answer that status; `delay` sleeps before answering (timeouts)."""
import hashlib
import json
import math
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

MESSAGES = {110: "请求来源未被授权", 111: "签名验证失败", 120: "此key每秒请求量已达到上限",
            121: "此key每日调用量已达到上限", 306: "请求有护持信息请检查字符串", 310: "请求参数信息有误",
            311: "key格式错误", 347: "查询无结果"}


def sig(path: str, params: dict[str, str], sk: str) -> str:
    return hashlib.md5((path + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params)) + sk).encode()).hexdigest()


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat, dlng = math.radians(b[0] - a[0]), math.radians(b[1] - a[1])
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a[0])) * math.cos(math.radians(b[0])) * math.sin(dlng / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def compress(points: list[tuple[float, float]]) -> list[float]:
    flat = [v for p in points for v in p]
    return flat[:2] + [round((flat[i] - flat[i - 2]) * 1_000_000) for i in range(2, len(flat))]


def parse_ll(text: str) -> tuple[float, float]:
    lat, lng = (float(v) for v in text.split(","))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(text)
    return lat, lng


class FakeTencentLbs:
    def __init__(self, key: str = "OB4BZ-D4W3U-B7VVO-4PJWW-6TKDJ-WPB77", sk: str = "fake-lbs-sk-0001"):
        self.key, self.sk = key, sk
        self.places: list[dict] = []
        self.calls: list[dict] = []  # accepted requests: path and params
        self.refused: list[int] = []  # statuses answered to refused requests
        self.fail_with: int | None = None
        self.delay = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if fake.delay:
                    time.sleep(fake.delay)
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                try:
                    self._json(fake.answer(url.path, params))
                except BrokenPipeError:
                    pass

            def _json(self, payload: dict):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_place(self, title: str, address: str, lat: float, lng: float, *, province: str = "上海市",
                  city: str = "上海市", district: str = "", adcode: str = "310000") -> None:
        self.places.append({"title": title, "address": address, "lat": lat, "lng": lng, "province": province,
                            "city": city, "district": district, "adcode": adcode})

    # ------------------------------------------------------------ protocol
    def _error(self, status: int) -> dict:
        return {"status": status, "message": MESSAGES.get(status, "error"), "request_id": uuid.uuid4().hex}

    def answer(self, path: str, params: dict[str, str]) -> dict:
        given = params.pop("sig", None)
        key = params.get("key", "")
        if len(key) != 35 or key.count("-") != 5:
            status = 311
        elif key != self.key:
            status = 110
        elif given != sig(path, params, self.sk):
            status = 111
        elif self.fail_with:
            status = self.fail_with
        else:
            status = 0
        if status:
            self.refused.append(status)
            return self._error(status)
        self.calls.append({"path": path, "params": params})
        try:
            handler = {"/ws/place/v1/suggestion": self._suggestion, "/ws/geocoder/v1": self._geocoder,
                       "/ws/direction/v1/driving": self._driving}[path]
            return handler(params)
        except KeyError:
            return self._error(306)
        except ValueError:
            return self._error(310)

    def _ok(self, **body) -> dict:
        return {"status": 0, "message": "query ok", "request_id": uuid.uuid4().hex, **body}

    def _suggestion(self, p: dict) -> dict:
        word = p["keyword"]
        found = [x for x in self.places if word in x["title"] or word in x["address"]]
        if p.get("region") and p.get("region_fix") == "1":
            found = [x for x in found if p["region"] in (x["city"], x["province"])]
        if p.get("location"):
            near = parse_ll(p["location"])
            found.sort(key=lambda x: km(near, (x["lat"], x["lng"])))
        found = found[: int(p.get("page_size", 10))]
        data = [{"id": str(abs(hash(x["title"]))), "title": x["title"], "address": x["address"], "category": "房产小区",
                 "type": 0, "location": {"lat": x["lat"], "lng": x["lng"]}, "adcode": int(x["adcode"]),
                 "province": x["province"], "city": x["city"], "district": x["district"]} for x in found]
        return self._ok(count=len(data), data=data)

    def _geocoder(self, p: dict) -> dict:
        if "location" in p:
            at = parse_ll(p["location"])
            near = sorted(self.places, key=lambda x: km(at, (x["lat"], x["lng"])))
            if not near or km(at, (near[0]["lat"], near[0]["lng"])) > 1:
                return self._error(347)
            x = near[0]
            return self._ok(result={
                "location": {"lat": at[0], "lng": at[1]}, "address": x["address"],
                "formatted_addresses": {"recommend": x["title"], "rough": x["title"]},
                "address_component": {"nation": "中国", "province": x["province"], "city": x["city"],
                                      "district": x["district"], "street": "", "street_number": ""},
                "ad_info": {"nation_code": "156", "adcode": x["adcode"], "name": f"中国,{x['province']},{x['city']}"}})
        address = p["address"]
        x = next((x for x in self.places if address in (x["address"], x["title"])), None)
        if x is None:
            return self._error(347)
        return self._ok(result={
            "title": x["title"], "location": {"lng": x["lng"], "lat": x["lat"]}, "ad_info": {"adcode": x["adcode"]},
            "address_components": {"province": x["province"], "city": x["city"], "district": x["district"],
                                   "street": "", "street_number": ""},
            "similarity": 0.8, "deviation": 1000, "reliability": 7, "level": 9})

    def _driving(self, p: dict) -> dict:
        a, b = parse_ll(p["from"]), parse_ll(p["to"])
        corner = (a[0], b[1])
        metres = round((km(a, corner) + km(corner, b)) * 1000)
        minutes = max(1, math.ceil(metres / 1000 / 30 * 60))
        return self._ok(result={"routes": [{"mode": "DRIVING", "distance": metres, "duration": minutes,
                                            "polyline": compress([a, corner, b]), "steps": []}]})
