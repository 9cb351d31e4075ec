"""Demo commission rules: the platform keeps 20 %, 10 % on the long 月嫂 and 保姆 packages."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.catalog.models import Service
from anjia.commission.models import CommissionRule
from anjia.core.security import now

# (name, service name or None for every service, basis points the platform keeps)
RULES = [("平台默认佣金 20%", None, 2000), ("金牌月嫂 10%", "金牌月嫂", 1000), ("住家保姆 10%", "住家保姆", 1000),
         ("白班保姆 10%", "白班保姆", 1000)]


async def seed(session: AsyncSession) -> int:
    if await session.scalar(select(CommissionRule.id).limit(1)):
        return 0
    services = dict((await session.execute(select(Service.name, Service.id))).all())
    since = now() - timedelta(days=365)
    for name, service_name, bp in RULES:
        if service_name is None or service_name in services:
            session.add(CommissionRule(name=name, service_id=services.get(service_name), kind="percent", value=bp,
                                       valid_from=since))
    await session.flush()
    return len(RULES)
