"""Coupons for tests, issued through the service as support or a campaign would."""
from anjia.coupons import service


async def give(session, customer_id: int, *, kind: str = "amount", value: int = 2000, commit: bool = True, **extra):
    out = await service.issue(session, None, customer_id=customer_id, kind=kind, value=value,
                              source=extra.pop("source", "manual"), title=extra.pop("title", "测试券"), **extra)
    if commit:
        await session.commit()
    return out
