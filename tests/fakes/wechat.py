"""A local stand-in for api.weixin.qq.com, speaking its protocol:
GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code ->
{"openid", "session_key", "unionid"} or {"errcode": 40029, "errmsg": "invalid code"};
GET /cgi-bin/token?grant_type=client_credential&appid&secret -> {"access_token", "expires_in"};
POST /cgi-bin/message/subscribe/send?access_token -> {"errcode": 0, "errmsg": "ok"} (40001 on a bad token;
43101 "user refuse to accept the msg" when the user has no subscription left for the template —
`allow()` grants them as the user's taps in the mini program would; without any, every send is taken).
Failures as WeChat answers them: `refuse_template[template_id] = 40037` answers that errcode for every
send of the template (an invalid or deleted template); `next_errors` answers its errcodes, one per send,
before serving normally (-1 system busy, 45009 daily quota, 45011 frequency ...)."""
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeWechat:
    def __init__(self, appid: str = "wx-test-appid", secret: str = "wx-test-secret"):
        self.appid, self.secret = appid, secret
        self.used_codes: set[str] = set()
        self.requests: list[dict] = []
        self.messages: list[dict] = []
        self.token_requests = 0
        self.token = "ACCESS-" + appid
        self.allowed: dict[tuple[str, str], int] | None = None
        self.refuse_template: dict[str, int] = {}
        self.next_errors: list[int] = []
        self.failed: list[int] = []  # errcodes answered to sends
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(q)
                if url.path == "/cgi-bin/token":
                    if q.get("appid") != fake.appid or q.get("secret") != fake.secret or \
                            q.get("grant_type") != "client_credential":
                        return self._json(200, {"errcode": 40013, "errmsg": "invalid appid"})
                    fake.token_requests += 1
                    return self._json(200, {"access_token": fake.token, "expires_in": 7200})
                if url.path != "/sns/jscode2session":
                    return self._json(404, {"errcode": -1, "errmsg": "not found"})
                if q.get("appid") != fake.appid or q.get("secret") != fake.secret:
                    return self._json(200, {"errcode": 40125, "errmsg": "invalid appsecret"})
                code = q.get("js_code", "")
                if q.get("grant_type") != "authorization_code" or not code.startswith("ok-") or code in fake.used_codes:
                    return self._json(200, {"errcode": 40029, "errmsg": "invalid code"})
                fake.used_codes.add(code)  # a wx.login code is good once
                person = code.split("-")[1]
                openid = "o" + hashlib.sha256(f"{fake.appid}:{person}".encode()).hexdigest()[:27]
                self._json(200, {"openid": openid, "session_key": "c2Vzc2lvbmtleQ==",
                                 "unionid": "u" + hashlib.sha256(person.encode()).hexdigest()[:27]})

            def do_POST(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if url.path != "/cgi-bin/message/subscribe/send":
                    return self._json(404, {"errcode": -1, "errmsg": "not found"})
                if q.get("access_token") != fake.token:
                    return self._json(200, {"errcode": 40001, "errmsg": "invalid credential"})
                if not body.get("touser") or not body.get("template_id") or not isinstance(body.get("data"), dict):
                    return self._json(200, {"errcode": 47003, "errmsg": "argument invalid"})
                errcode = fake.refuse_template.get(body["template_id"]) or (fake.next_errors and fake.next_errors.pop(0))
                if errcode:
                    fake.failed.append(errcode)
                    msg = {40037: "invalid template_id", -1: "system error", 45009: "reach max api daily quota limit",
                           45011: "api minute-quota reach limit"}.get(errcode, "error")
                    return self._json(200, {"errcode": errcode, "errmsg": msg})
                if fake.allowed is not None:
                    key = (body["touser"], body["template_id"])
                    if fake.allowed.get(key, 0) <= 0:
                        return self._json(200, {"errcode": 43101, "errmsg": "user refuse to accept the msg"})
                    fake.allowed[key] -= 1
                fake.messages.append(body)
                self._json(200, {"errcode": 0, "errmsg": "ok"})

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def allow(self, openid: str, template_id: str, n: int = 1) -> None:
        """The user accepted `n` one-time subscriptions of this template in WeChat's dialog."""
        self.allowed = self.allowed or {}
        self.allowed[(openid, template_id)] = self.allowed.get((openid, template_id), 0) + n

    def close(self):
        self.server.shutdown()
