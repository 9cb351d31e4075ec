"""WeChat mini program: sign-in (`code2session`) and subscribe messages (server API with an
access token from /cgi-bin/token, cached until shortly before it expires)."""
import time
from dataclasses import dataclass

import httpx

from anjia.config import get_settings
from anjia.core.errors import AppError


@dataclass
class WechatSession:
    openid: str
    unionid: str | None


async def code2session(code: str) -> WechatSession:
    settings = get_settings()
    if not settings.wechat_appid or not settings.wechat_secret:
        raise AppError("wechat_not_configured")
    params = {"appid": settings.wechat_appid, "secret": settings.wechat_secret, "js_code": code,
              "grant_type": "authorization_code"}
    try:
        async with httpx.AsyncClient(base_url=settings.wechat_api_base, timeout=5) as client:
            resp = await client.get("/sns/jscode2session", params=params)
            data = resp.json()
    except (httpx.HTTPError, ValueError):
        raise AppError("wechat_code_invalid", status=502) from None
    if data.get("errcode") or not data.get("openid"):
        raise AppError("wechat_code_invalid")
    return WechatSession(openid=data["openid"], unionid=data.get("unionid"))


_token: tuple[str, float] | None = None


def configured() -> bool:
    s = get_settings()
    return bool(s.wechat_appid and s.wechat_secret)


class WechatError(Exception):
    """WeChat refused or did not answer. `transient`: worth trying again later (busy, a quota, the
    network); otherwise the request itself is wrong (template, page, openid, keys) and a retry would
    only fail the same way."""

    def __init__(self, errcode: int, errmsg: str, transient: bool):
        super().__init__(f"wechat {errcode}: {errmsg}")
        self.errcode, self.errmsg, self.transient = errcode, errmsg, transient


# WeChat's errcodes that clear by themselves: -1 system busy, 45009 the API's daily quota, 45011 its
# per-minute frequency. Everything else (40037 invalid template,
# 47003 bad argument, 41030 invalid page, 40003 invalid openid, 40013/40125 wrong appid/secret ...) is
# permanent. Network failures and answers that are not WeChat's JSON count as transient (-2).
TRANSIENT_ERRCODES = frozenset({-1, 45009, 45011})
NO_SUBSCRIPTION = 43101  # user refused, or each accepted subscription was used


def _answer(resp: httpx.Response) -> dict:
    if resp.status_code >= 500:
        raise WechatError(-2, f"HTTP {resp.status_code}", transient=True)
    try:
        data = resp.json()
    except ValueError:
        raise WechatError(-2, f"not JSON (HTTP {resp.status_code})", transient=True) from None
    if not isinstance(data, dict):
        raise WechatError(-2, "not an object", transient=True)
    return data


async def access_token(client: httpx.AsyncClient) -> str:
    global _token
    if _token and _token[1] > time.time():
        return _token[0]
    s = get_settings()
    data = _answer(await client.get("/cgi-bin/token", params={"grant_type": "client_credential",
                                                              "appid": s.wechat_appid, "secret": s.wechat_secret}))
    if not data.get("access_token"):
        code = int(data.get("errcode") or -2)
        raise WechatError(code, f"token: {data.get('errmsg', '')}", transient=code in TRANSIENT_ERRCODES)
    _token = (data["access_token"], time.time() + int(data.get("expires_in", 7200)) - 300)
    return _token[0]


async def send_subscribe(openid: str, template_id: str, page: str, fields: dict[str, str]) -> bool:
    """POST /cgi-bin/message/subscribe/send. False when the user has no subscription left (43101:
    refused, or each accepted one used); any other failure raises WechatError, transient or not."""
    global _token
    s = get_settings()
    try:
        async with httpx.AsyncClient(base_url=s.wechat_api_base, timeout=5) as client:
            for attempt in range(2):
                token = await access_token(client)
                body = {"touser": openid, "template_id": template_id, "page": page,
                        "data": {k: {"value": v[:20]} for k, v in fields.items()}}
                data = _answer(await client.post("/cgi-bin/message/subscribe/send", params={"access_token": token},
                                                 json=body))
                code = int(data.get("errcode") or 0)
                if code == 0:
                    return True
                if code in (40001, 42001) and attempt == 0:  # token expired: fetch anew once
                    _token = None
                    continue
                if code == NO_SUBSCRIPTION:
                    return False
                raise WechatError(code, str(data.get("errmsg", "")), transient=code in TRANSIENT_ERRCODES)
    except httpx.HTTPError as e:
        raise WechatError(-2, f"{type(e).__name__}: {e}", transient=True) from None
    raise WechatError(40001, "access token refused after a fresh one", transient=False)
