"""Which payment providers this installation offers (PAYMENT_PROVIDERS), built once from settings."""
from functools import cache

from anjia.config import get_settings
from anjia.core.errors import AppError
from anjia.providers.payments.base import PaymentProvider

EXTERNAL = ("wechatpay", "alipay", "unionpay", "sandbox")
LABELS = {"wechatpay": ("微信支付", "WeChat Pay"), "alipay": ("支付宝", "Alipay"), "unionpay": ("银联卡", "UnionPay"),
          "sandbox": ("模拟支付（开发）", "Sandbox (development)"), "balance": ("余额", "Balance"),
          "offline": ("线下收款", "Offline")}


def enabled() -> list[str]:
    names = [n.strip() for n in get_settings().payment_providers.split(",") if n.strip()]
    return [n for n in names if n in EXTERNAL]


@cache
def _build(name: str) -> PaymentProvider:
    settings = get_settings()
    if name == "wechatpay":
        from anjia.providers.payments import wechatpay
        return wechatpay.from_settings(settings)
    if name == "alipay":
        from anjia.providers.payments import alipay
        return alipay.from_settings(settings)
    if name == "unionpay":
        from anjia.providers.payments import unionpay
        return unionpay.from_settings(settings)
    from anjia.payments.sandbox import Sandbox
    return Sandbox()


def get(name: str) -> PaymentProvider:
    if name not in enabled():
        raise AppError("payment_method_unavailable")
    return _build(name)


def reset() -> None:
    """Forget built providers (tests change the settings)."""
    _build.cache_clear()
