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


async def access_token(client: httpx.AsyncClient) -> str:
    global _token
    if _token and _token[1] > time.time():
        return _token[0]
    s = get_settings()
    data = (await client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": s.wechat_appid,
                                                       "secret": s.wechat_secret})).json()
    if not data.get("access_token"):
        raise RuntimeError(f"wechat token: {data.get('errcode')} {data.get('errmsg')}")
    _token = (data["access_token"], time.time() + int(data.get("expires_in", 7200)) - 300)
    return _token[0]


async def send_subscribe(openid: str, template_id: str, page: str, fields: dict[str, str]) -> bool:
    """POST /cgi-bin/message/subscribe/send. False when the user has no subscription left (43101:
    refused, or each accepted one used); raises on other WeChat errors so the job retries."""
    global _token
    s = get_settings()
    async with httpx.AsyncClient(base_url=s.wechat_api_base, timeout=5) as client:
        for attempt in range(2):
            token = await access_token(client)
            body = {"touser": openid, "template_id": template_id, "page": page,
                    "data": {k: {"value": v[:20]} for k, v in fields.items()}}
            data = (await client.post("/cgi-bin/message/subscribe/send", params={"access_token": token},
                                      json=body)).json()
            if data.get("errcode", 0) == 0:
                return True
            if data.get("errcode") in (40001, 42001) and attempt == 0:  # token expired: fetch anew once
                _token = None
                continue
            if data.get("errcode") == 43101:
                return False
            raise RuntimeError(f"wechat subscribe: {data.get('errcode')} {data.get('errmsg')}")
    return False
