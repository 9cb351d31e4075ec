"""Commission rules and what they keep: the most specific rule in force for an order (service,
then region, then worker level; among equals the latest valid_from), else COMMISSION_DEFAULT_BP.
Finance's edits are audited here (the routes are settlement's, under /admin/settlement/rules)."""
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.commission import schemas
from anjia.commission.models import CommissionRule
from anjia.config import get_settings
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.scheduling.models import Region
from anjia.workforce import service as workforce

BP = 10_000


async def matching_rule(session: AsyncSession, service_id: int, region_id: int, level: int, at: datetime
                        ) -> CommissionRule | None:
    """The rule in force at `at` for this order: a rule with a scope beats one without (service
    first, then region, then level); among equals the latest valid_from."""
    return await session.scalar(select(CommissionRule).where(
        CommissionRule.active, CommissionRule.valid_from <= at,
        or_(CommissionRule.service_id.is_(None), CommissionRule.service_id == service_id),
        or_(CommissionRule.region_id.is_(None), CommissionRule.region_id == region_id),
        or_(CommissionRule.worker_level.is_(None), CommissionRule.worker_level == level),
    ).order_by(CommissionRule.service_id.is_(None), CommissionRule.region_id.is_(None),
               CommissionRule.worker_level.is_(None), CommissionRule.valid_from.desc(), CommissionRule.id.desc())
        .limit(1))


def commission_of(kind: str, value: int, gross: int) -> int:
    """Whole fen, rounded down (the worker keeps the fraction); never more than the order."""
    return min(gross, gross * value // BP if kind == "percent" else value)


async def _rule_out(session: AsyncSession, r: CommissionRule) -> schemas.RuleOut:
    service = await session.get(Service, r.service_id) if r.service_id else None
    region = await session.get(Region, r.region_id) if r.region_id else None
    return schemas.RuleOut(id=r.id, name=r.name, service_id=r.service_id, service_name=service.name if service else None,
                           region_id=r.region_id, region_name=region.name if region else None,
                           worker_level=r.worker_level, kind=r.kind, value=r.value, valid_from=r.valid_from,
                           active=r.active)


async def list_rules(session: AsyncSession, include_archived: bool) -> list[schemas.RuleOut]:
    q = select(CommissionRule).order_by(CommissionRule.id)
    if not include_archived:
        q = q.where(CommissionRule.active)
    return [await _rule_out(session, r) for r in await session.scalars(q)]


async def _check_scope(session: AsyncSession, service_id: int | None, region_id: int | None) -> None:
    errors = []
    if service_id is not None and await session.get(Service, service_id) is None:
        errors.append({"field": "service_id", "message": "no such service"})
    if region_id is not None and await session.get(Region, region_id) is None:
        errors.append({"field": "region_id", "message": "no such region"})
    if errors:
        raise AppError("validation_error", errors=errors)


async def create_rule(session: AsyncSession, actor: User, data: schemas.RuleIn, ip: str | None) -> schemas.RuleOut:
    await _check_scope(session, data.service_id, data.region_id)
    rule = CommissionRule(**data.model_dump(exclude={"valid_from"}), valid_from=data.valid_from or now())
    session.add(rule)
    await session.flush()
    out = await _rule_out(session, rule)
    await audit.record(session, actor, "commission_rule.create", "commission_rule", rule.id, None,
                       out.model_dump(mode="json"), ip=ip)
    return out


async def _rule(session: AsyncSession, rule_id: int) -> CommissionRule:
    rule = await session.scalar(select(CommissionRule).where(CommissionRule.id == rule_id).with_for_update())
    if rule is None:
        raise AppError("commission_rule_not_found")
    return rule


async def update_rule(session: AsyncSession, actor: User, rule_id: int, data: schemas.RuleUpdate, ip: str | None
                      ) -> schemas.RuleOut:
    """Scope is fixed once created (earnings name the rule): change what it keeps, or archive it
    and create another."""
    rule = await _rule(session, rule_id)
    before = (await _rule_out(session, rule)).model_dump(mode="json")
    for k, v in data.sent().items():
        setattr(rule, k, v)
    if rule.kind == "percent" and rule.value > BP:
        raise AppError("validation_error", errors=[{"field": "value", "message": "at most 10000 basis points"}])
    await session.flush()
    out = await _rule_out(session, rule)
    await audit.record(session, actor, "commission_rule.update", "commission_rule", rule.id, before,
                       out.model_dump(mode="json"), ip=ip)
    return out


async def archive_rule(session: AsyncSession, actor: User, rule_id: int, ip: str | None) -> None:
    rule = await _rule(session, rule_id)
    before = (await _rule_out(session, rule)).model_dump(mode="json")
    rule.active = False
    await session.flush()
    await audit.record(session, actor, "commission_rule.archive", "commission_rule", rule.id, before,
                       {**before, "active": False}, ip=ip)


async def applicable(session: AsyncSession, *, service_id: int, region_id: int, worker_id: int,
                     at: datetime | None = None) -> tuple[CommissionRule | None, str, int]:
    """(rule or None, kind, value) for an order done by this worker."""
    rule = await matching_rule(session, service_id, region_id, await workforce.level(session, worker_id), at or now())
    return (rule, rule.kind, rule.value) if rule else (None, "percent", get_settings().commission_default_bp)


async def worker_share(session: AsyncSession, *, service_id: int, region_id: int, worker_id: int, gross: int) -> int:
    """What the worker would earn of `gross` under the rules in force now (offers, order views)."""
    _, kind, value = await applicable(session, service_id=service_id, region_id=region_id, worker_id=worker_id)
    return gross - commission_of(kind, value, gross)
