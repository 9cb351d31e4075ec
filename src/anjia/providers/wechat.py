"""WeChat mini program sign-in: `code2session` (GET /sns/jscode2session)."""
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
