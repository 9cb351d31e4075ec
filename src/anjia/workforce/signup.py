"""A new worker's sign-up: identity (sealed ID number, unique by its keyed hash), ID photo and
live selfie, experience, skills and area, certificates; then submitting for review (face
verification runs then) and seeing the decision and its reasons at every step."""
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.core import media, security, storage
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.notifications import service as notifications
from anjia.providers.faceid import get_face_verifier
from anjia.scheduling import service as scheduling
from anjia.workforce import certificates, identity, schemas, service, state
from anjia.workforce.models import WorkerProfile, WorkerStatusEvent

EDITABLE = {"draft", "more_info", "rejected"}
PHOTOS = {"id_photo": "id_photo_key", "selfie": "selfie_key"}


async def _own(session: AsyncSession, worker_id: int, *, lock: bool = False) -> WorkerProfile:
    """The worker's profile (created as a draft on the first write)."""
    stmt = select(WorkerProfile).where(WorkerProfile.user_id == worker_id)
    p = await session.scalar(stmt.with_for_update() if lock else stmt)
    return p if p is not None else await service.profile(session, worker_id)


def _editable(p: WorkerProfile) -> None:
    if p.review_status not in EDITABLE:
        raise AppError("file_locked", extra={"review_status": p.review_status})


async def missing(session: AsyncSession, p: WorkerProfile, certs) -> list[str]:
    """What submitting still needs; certificates: every kind the declared skills need, pending or
    approved and not expired."""
    out = []
    if not (p.real_name and p.id_number_sealed):
        out.append("identity")
    for name, column in PHOTOS.items():
        if not getattr(p, column):
            out.append(name)
    if not p.declared_skills:
        out.append("skills")
    if p.region_id is None or p.home_lat is None or p.home_lng is None:
        out.append("area")
    day = certificates.today()
    held = {c.kind for c in certs if c.status in ("pending", "approved") and c.expires_on > day}
    out += [f"certificate:{k}" for k in await certificates.required_kinds(session, list(p.declared_skills or []))
            if k not in held]
    return out


def face_out(p: WorkerProfile | None) -> schemas.FaceCheckOut:
    return schemas.FaceCheckOut(provider=p.face_provider if p else None, status=p.face_status if p else None,
                                score=p.face_score if p else None, detail=p.face_detail if p else "",
                                checked_at=p.face_checked_at if p else None)


async def file_view(session: AsyncSession, worker_id: int) -> schemas.WorkerFileOut:
    """Reading creates nothing: a worker who has not started reads an empty draft."""
    p = await session.get(WorkerProfile, worker_id)
    certs = await certificates.of_worker(session, worker_id)
    day = certificates.today()
    if p is None:
        p = WorkerProfile(user_id=worker_id, review_status="draft", review_reasons=[], review_note="",
                          experience_years=0, experience="", declared_skills=[], skills=[], radius_km=10,
                          face_detail="")
    return schemas.WorkerFileOut(
        review_status=p.review_status, review_reasons=[schemas.reason(r) for r in p.review_reasons or []],
        review_note=p.review_note or "", submitted_at=p.submitted_at, reviewed_at=p.reviewed_at,
        editable=p.review_status in EDITABLE, missing=await missing(session, p, certs), real_name=p.real_name,
        id_number_masked=p.id_number_masked, gender=p.gender, birth_date=p.birth_date,
        id_photo_url=storage.signed_url(p.id_photo_key), selfie_url=storage.signed_url(p.selfie_key),
        experience_years=p.experience_years or 0, experience=p.experience or "",
        declared_skills=list(p.declared_skills or []), skills=list(p.skills or []), region_id=p.region_id,
        home_lat=p.home_lat, home_lng=p.home_lng, radius_km=p.radius_km or 10,
        certificates=[certificates.certificate_out(c, day) for c in certs], face=face_out(p))


async def set_identity(session: AsyncSession, worker_id: int, real_name: str, raw_number: str) -> None:
    """Real name and ID number: the check digit and birth date are checked, the number sealed at
    rest and made unique by its keyed hash (a duplicate is 409, nothing stored); gender and birth
    date come from it."""
    p = await _own(session, worker_id, lock=True)
    _editable(p)
    number = identity.parse(raw_number, certificates.today())
    if number is None:
        raise AppError("invalid_id_number", errors=[{"field": "id_number", "message": "invalid"}])
    taken = await session.scalar(select(WorkerProfile.user_id).where(
        WorkerProfile.id_number_hash.in_(security.lookup_hashes(number.number, "id_number")),
        WorkerProfile.user_id != worker_id))
    if taken is not None:
        raise AppError("id_number_taken")
    try:
        async with session.begin_nested():  # a concurrent sign-up with the same number loses on the UNIQUE
            p.real_name = real_name.strip()
            p.id_number_sealed = security.seal(number.number)
            p.id_number_hash = security.lookup_hash(number.number, "id_number")
            p.id_number_masked, p.gender, p.birth_date = number.masked, number.gender, number.birth_date
            await session.flush()
    except IntegrityError:
        raise AppError("id_number_taken") from None


async def reseal_identities(session: AsyncSession) -> int:
    """After a key rotation: ID numbers sealed under an older key sealed again, their keyed hash
    recomputed, under the current one (privacy.reseal)."""
    kid = security.signing_key()[0]
    done = 0
    for p in await session.scalars(select(WorkerProfile).where(
            WorkerProfile.id_number_sealed.is_not(None), ~WorkerProfile.id_number_sealed.startswith(f"s1.{kid}."))):
        number = security.unseal(p.id_number_sealed or "")
        p.id_number_sealed, p.id_number_hash = security.seal(number), security.lookup_hash(number, "id_number")
        done += 1
    await session.flush()
    return done


async def set_photo(session: AsyncSession, worker_id: int, which: str, data: bytes) -> None:
    """The ID card photo or the live selfie, rebuilt without metadata; replaces the previous one."""
    p = await _own(session, worker_id, lock=True)
    _editable(p)
    if media.sniff(data) != "image":
        raise AppError("unsupported_media")
    clean, _ = await media.clean_image_off_loop(data)
    column = PHOTOS[which]
    old = getattr(p, column)
    setattr(p, column, await storage.save(clean, "jpg", f"identity/{worker_id}"))
    await session.flush()
    await storage.remove(old)


async def known_skills(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(Service.skill).distinct()))


async def skills(session: AsyncSession) -> list[schemas.SkillOut]:
    """The skills the published catalogue needs, in its order, with the services of each."""
    rows = (await session.execute(select(Service.skill, func.array_agg(aggregate_order_by(Service.name, Service.sort,
                                                                                           Service.id)))
                                  .where(Service.published).group_by(Service.skill)
                                  .order_by(func.min(Service.sort), func.min(Service.id)))).all()
    return [schemas.SkillOut(code=code, services=list(names)) for code, names in rows]


async def update(session: AsyncSession, worker_id: int, data: schemas.WorkerFileIn) -> None:
    p = await _own(session, worker_id, lock=True)
    _editable(p)
    changes = data.model_dump(exclude_unset=True)
    if "declared_skills" in changes:
        unknown = [s for s in changes["declared_skills"] if s not in await known_skills(session)]
        if unknown:
            raise AppError("unknown_skill", errors=[{"field": "declared_skills", "message": ",".join(unknown)}])
        changes["declared_skills"] = list(dict.fromkeys(changes["declared_skills"]))
    if changes.get("region_id") is not None:
        await scheduling.get_region(session, changes["region_id"])
    for k, v in changes.items():
        setattr(p, k, v)
    await session.flush()


async def submit(session: AsyncSession, worker: User) -> None:
    """Send the file for review: complete (else 422 `file_incomplete` naming what is missing),
    face-verified by the configured provider (its result is for the operators), then in the queue."""
    p = await _own(session, worker.id, lock=True)
    before = p.review_status
    to = state.next_review(before, "submit")
    gaps = await missing(session, p, await certificates.of_worker(session, worker.id))
    if gaps:
        raise AppError("file_incomplete", errors=[{"field": g, "message": "required"} for g in gaps])
    selfie = await storage.read(p.selfie_key)
    verifier = get_face_verifier()
    result = await verifier.verify(p.real_name or "", security.unseal(p.id_number_sealed or ""), selfie or b"")
    p.face_provider, p.face_status, p.face_score = verifier.name, result.status, result.score
    p.face_detail, p.face_checked_at = result.detail, now()
    p.review_status, p.submitted_at = to, now()
    await session.flush()
    session.add(WorkerStatusEvent(worker_id=worker.id, kind="review", from_status=before, to_status=to, reasons=[],
                                  note="", actor_id=worker.id))
    await notifications.notify(session, worker.id, "worker.review", "资料已提交",
                               "您的师傅资料已提交，我们会尽快审核，结果会通知您。", {"status": to, "reasons": []})
    await session.flush()
