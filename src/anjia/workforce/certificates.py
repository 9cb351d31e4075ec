"""Certificates and what they allow: the one eligibility rule is the database function
`worker_certified_until(worker, skill)` (migration 0023, over `certificate_requirements` and
`worker_certificates`), read by scheduling's availability and candidate SQL (dispatch offers from
the latter) and here, where the profile's `skills` (eligible today) are recomputed from it.

A certificate counts while approved and before its `expires_on` (the day it expires it no longer
does). The daily job reminds the worker 30 days ahead, once, and on the day suspends the skills
that needed it (a status history row, a notice)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core import audit, media, storage
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.notifications import service as notifications
from anjia.workforce import hooks, schemas
from anjia.workforce.models import (
    CERTIFICATE_KINDS,
    CertificateRequirement,
    WorkerCertificate,
    WorkerProfile,
    WorkerStatusEvent,
)

REMIND_DAYS = 30


def today(at: datetime | None = None) -> date:
    """The business day (the region's local date) of `at`, or of now."""
    return (at or now()).astimezone(ZoneInfo(get_settings().region_timezone)).date()


def standing(c: WorkerCertificate, day: date) -> str:
    if c.status != "approved":
        return c.status if c.expires_on > day or c.status == "rejected" else "expired"
    if c.expires_on <= day:
        return "expired"
    return "expiring" if c.expires_on - day <= timedelta(days=REMIND_DAYS) else "valid"


def certificate_out(c: WorkerCertificate, day: date) -> schemas.CertificateOut:
    zh, en = CERTIFICATE_KINDS[c.kind]
    return schemas.CertificateOut(
        id=c.id, kind=c.kind, kind_label=zh, kind_label_en=en, number=c.number, issued_on=c.issued_on,
        expires_on=c.expires_on, status=c.status, standing=standing(c, day), days_left=(c.expires_on - day).days,
        review_note=c.review_note, photo_url=storage.signed_url(c.photo_key or None),
        thumb_url=storage.signed_url(c.thumb_key or None), created_at=c.created_at)


async def of_worker(session: AsyncSession, worker_id: int) -> list[WorkerCertificate]:
    return list(await session.scalars(select(WorkerCertificate).where(WorkerCertificate.worker_id == worker_id)
                                      .order_by(WorkerCertificate.kind, WorkerCertificate.expires_on.desc())))


async def kinds(session: AsyncSession) -> list[schemas.CertificateKindOut]:
    needs: dict[str, list[str]] = {}
    for r in await session.scalars(select(CertificateRequirement).order_by(CertificateRequirement.skill)):
        needs.setdefault(r.kind, []).append(r.skill)
    return [schemas.CertificateKindOut(kind=k, label=zh, label_en=en, required_for=needs.get(k, []))
            for k, (zh, en) in CERTIFICATE_KINDS.items()]


async def required_kinds(session: AsyncSession, skills: list[str]) -> list[str]:
    """The certificate kinds these skills need (every skill needs the `*` ones)."""
    rows = await session.scalars(select(CertificateRequirement.kind).distinct().where(
        CertificateRequirement.skill.in_(["*", *skills])))
    return sorted(rows)


# ---------------------------------------------------------------- eligibility (the one rule)
async def certified(session: AsyncSession, worker_id: int, skill: str, day: date) -> bool:
    """Whether the worker's certificates allow `skill` on `day` (dispatch's manual assignment)."""
    return bool(await session.scalar(text("SELECT worker_certified_until(:w, :s) > :d"),
                                     {"w": worker_id, "s": skill, "d": day}))


async def eligible_skills(session: AsyncSession, worker_id: int, declared: list[str], day: date) -> list[str]:
    if not declared:
        return []
    rows = await session.scalars(text(
        "SELECT s FROM unnest(CAST(:declared AS varchar[])) WITH ORDINALITY AS d(s, i) "
        "WHERE worker_certified_until(:w, s) > :d ORDER BY i"), {"declared": declared, "w": worker_id, "d": day})
    return list(rows)


async def recompute_skills(session: AsyncSession, p: WorkerProfile, day: date | None = None
                           ) -> tuple[list[str], list[str]]:
    """The profile's eligible `skills` from its declared ones and the certificates; (lost, gained)."""
    before = list(p.skills or [])
    after = await eligible_skills(session, p.user_id, list(p.declared_skills or []), day or today())
    if after != before:
        p.skills = after
        await session.flush()
    return [s for s in before if s not in after], [s for s in after if s not in before]


async def _skill_events(session: AsyncSession, worker_id: int, skills: list[str], to: str, reason: str, note: str,
                        actor: User | None) -> None:
    for skill in skills:
        session.add(WorkerStatusEvent(worker_id=worker_id, kind="skill", from_status=skill, to_status=to,
                                      reasons=[reason], note=note, actor_id=actor.id if actor else None))
    await session.flush()


# ---------------------------------------------------------------- adding and deciding
async def add(session: AsyncSession, worker_id: int, kind: str, number: str, issued_on: date | None,
              expires_on: date, photo: bytes) -> WorkerCertificate:
    """A certificate with its photo (sniffed and rebuilt by core.media), pending an operator's
    check. Bad dates, an expired certificate or a bad photo store nothing."""
    day = today()
    if issued_on is not None and (issued_on >= expires_on or issued_on > day):
        raise AppError("certificate_dates", errors=[{"field": "issued_on", "message": "must be before expires_on"}])
    if expires_on <= day:
        raise AppError("certificate_expired", errors=[{"field": "expires_on", "message": "expired"}])
    if media.sniff(photo) != "image":
        raise AppError("unsupported_media")
    clean, thumb = await media.clean_image_off_loop(photo)
    folder = f"certificates/{worker_id}"
    c = WorkerCertificate(worker_id=worker_id, kind=kind, number=number.strip(), issued_on=issued_on,
                          expires_on=expires_on, photo_key=await storage.save(clean, "jpg", folder),
                          thumb_key=await storage.save(thumb, "jpg", folder), status="pending")
    session.add(c)
    await session.flush()
    return c


async def remove(session: AsyncSession, worker_id: int, cert_id: int) -> None:
    """The worker takes back a certificate not yet approved."""
    c = await session.get(WorkerCertificate, cert_id)
    if c is None or c.worker_id != worker_id:
        raise AppError("not_found")
    if c.status == "approved":
        raise AppError("certificate_transition", extra={"current_status": c.status, "action": "remove"})
    await session.delete(c)
    await session.flush()
    await storage.remove(c.photo_key)
    await storage.remove(c.thumb_key)


async def approve_pending(session: AsyncSession, worker_id: int) -> None:
    """Approving the file approves the certificates reviewed with it."""
    await session.execute(update(WorkerCertificate).where(WorkerCertificate.worker_id == worker_id,
                                                          WorkerCertificate.status == "pending")
                          .values(status="approved"))


async def decide(session: AsyncSession, actor: User, worker_id: int, cert_id: int, action: str, note: str
                 ) -> WorkerCertificate:
    """An operator approves or rejects one certificate (a renewal, or one found wrong later); the
    skills follow at once, each change kept in the history; audited."""
    c = await session.scalar(select(WorkerCertificate).where(WorkerCertificate.id == cert_id).with_for_update())
    if c is None or c.worker_id != worker_id:
        raise AppError("not_found")
    to = {"approve": "approved", "reject": "rejected"}[action]
    if c.status == to:
        raise AppError("certificate_transition", extra={"current_status": c.status, "action": action})
    before = {"status": c.status, "review_note": c.review_note}
    c.status, c.review_note = to, note
    await session.flush()
    p = await session.get(WorkerProfile, worker_id)
    if p is not None and p.review_status == "approved":
        lost, gained = await recompute_skills(session, p)
        label = CERTIFICATE_KINDS[c.kind][0]
        await _skill_events(session, worker_id, lost, "suspended", "certificate_invalid", label, actor)
        if lost:
            await hooks.run(session, "skills_lost", worker_id, f"{label}未通过审核")
        await _skill_events(session, worker_id, gained, "restored", "certificate_renewed", label, actor)
    zh = CERTIFICATE_KINDS[c.kind][0]
    title, body = (("证书已审核通过", f"您的{zh}已审核通过。") if to == "approved"
                   else ("证书未通过审核", f"您的{zh}未通过审核{('：' + note) if note else ''}。"))
    await notifications.notify(session, worker_id, "worker.certificate", title, body,
                               {"certificate_id": c.id, "status": to}, sms=to == "rejected")
    await audit.record(session, actor, f"worker.certificate.{action}", "user", worker_id,
                       {"certificate_id": c.id, **before}, {"certificate_id": c.id, "status": to, "review_note": note})
    return c


# ---------------------------------------------------------------- the daily expiry job
async def sweep(session: AsyncSession, at: datetime | None = None) -> dict[str, int]:
    """Remind 30 days ahead (once per certificate, unless a later one of the kind is already in),
    and on the day a certificate expires suspend the skills it allowed: the worker stops being
    available and offered for them. Reruns act on nothing twice (`reminded_at`, `lapsed_at`)."""
    day = today(at)
    stamp = at or now()
    due = (await session.execute(text("""
        SELECT c.id, c.worker_id, c.kind, c.expires_on FROM worker_certificates c
        WHERE c.status = 'approved' AND c.reminded_at IS NULL AND c.lapsed_at IS NULL
          AND c.expires_on > :day AND c.expires_on <= :day + :days
          AND NOT EXISTS (SELECT 1 FROM worker_certificates n WHERE n.worker_id = c.worker_id AND n.kind = c.kind
                          AND n.id <> c.id AND n.status IN ('approved', 'pending') AND n.expires_on > c.expires_on)
        ORDER BY c.id FOR UPDATE OF c SKIP LOCKED"""), {"day": day, "days": REMIND_DAYS})).all()
    for cid, worker_id, kind, expires_on in due:
        zh = CERTIFICATE_KINDS[kind][0]
        await notifications.notify(
            session, worker_id, "worker.certificate_expiring", "证书即将到期",
            f"您的{zh}将于 {expires_on:%Y-%m-%d} 到期，请及时更新并上传新证书，以免影响接单。",
            {"certificate_id": cid, "expires_on": expires_on.isoformat()}, sms=True)
        await session.execute(update(WorkerCertificate).where(WorkerCertificate.id == cid).values(reminded_at=stamp))

    lapsed = list(await session.scalars(
        select(WorkerCertificate).where(WorkerCertificate.status == "approved", WorkerCertificate.lapsed_at.is_(None),
                                        WorkerCertificate.expires_on <= day)
        .order_by(WorkerCertificate.worker_id, WorkerCertificate.id).with_for_update(skip_locked=True)))
    suspended = 0
    for worker_id in sorted({c.worker_id for c in lapsed}):
        mine = [c for c in lapsed if c.worker_id == worker_id]
        for c in mine:
            c.lapsed_at = stamp
        p = await session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == worker_id).with_for_update())
        if p is None:
            continue
        lost, _ = await recompute_skills(session, p, day)
        labels = "、".join(sorted({CERTIFICATE_KINDS[c.kind][0] for c in mine}))
        await _skill_events(session, worker_id, lost, "suspended", "certificate_expired", labels, None)
        suspended += len(lost)
        if lost:
            await notifications.notify(
                session, worker_id, "worker.skill_suspended", "证书已过期，相关服务已暂停接单",
                f"您的{labels}已过期，需要该证书的服务已暂停接单。上传新证书并通过审核后即可恢复。",
                {"skills": lost}, sms=True)
            await hooks.run(session, "skills_lost", worker_id, f"{labels}已过期")
            await audit.record(session, None, "worker.skills.suspend", "user", worker_id, {"skills": p.skills + lost},
                               {"skills": p.skills, "lost": lost, "certificates": [c.id for c in mine]})
    await session.flush()
    return {"reminded": len(due), "lapsed": len(lapsed), "skills_suspended": suspended}
