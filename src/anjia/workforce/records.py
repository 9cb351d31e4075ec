"""The worker's file as operators keep it: training records, notes, and the whole file in one
view (profile, documents, skills, training, notes, status history, audited changes)."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.accounts.service import mask_phone
from anjia.core import audit
from anjia.core.models import AuditLog
from anjia.workforce import certificates, schemas, service, signup
from anjia.workforce.models import WorkerCertificate, WorkerNote, WorkerProfile, WorkerTraining


async def add_training(session: AsyncSession, actor: User, worker_id: int, data: schemas.TrainingIn
                       ) -> schemas.TrainingOut:
    await service.worker(session, worker_id)
    t = WorkerTraining(worker_id=worker_id, actor_id=actor.id, **data.model_dump())
    session.add(t)
    await session.flush()
    await audit.record(session, actor, "worker.training.add", "user", worker_id, None,
                       {"training_id": t.id, **data.model_dump(mode="json")})
    return schemas.TrainingOut(id=t.id, course=t.course, taken_on=t.taken_on, hours=t.hours, result=t.result,
                               certificate_number=t.certificate_number, actor=actor.username or actor.nickname,
                               created_at=t.created_at)


async def trainings(session: AsyncSession, worker_id: int) -> list[schemas.TrainingOut]:
    rows = (await session.execute(
        select(WorkerTraining, User.username, User.nickname).outerjoin(User, User.id == WorkerTraining.actor_id)
        .where(WorkerTraining.worker_id == worker_id).order_by(WorkerTraining.taken_on.desc(), WorkerTraining.id.desc())
    )).all()
    return [schemas.TrainingOut(id=t.id, course=t.course, taken_on=t.taken_on, hours=t.hours, result=t.result,
                                certificate_number=t.certificate_number, actor=un or nn, created_at=t.created_at)
            for t, un, nn in rows]


async def add_note(session: AsyncSession, actor: User, worker_id: int, text: str) -> schemas.NoteOut:
    await service.worker(session, worker_id)
    n = WorkerNote(worker_id=worker_id, text=text.strip(), actor_id=actor.id)
    session.add(n)
    await session.flush()
    await audit.record(session, actor, "worker.note.add", "user", worker_id, None, {"note_id": n.id, "text": n.text})
    return schemas.NoteOut(id=n.id, text=n.text, actor=actor.username or actor.nickname, created_at=n.created_at)


async def notes(session: AsyncSession, worker_id: int) -> list[schemas.NoteOut]:
    rows = (await session.execute(
        select(WorkerNote, User.username, User.nickname).outerjoin(User, User.id == WorkerNote.actor_id)
        .where(WorkerNote.worker_id == worker_id).order_by(WorkerNote.id.desc()))).all()
    return [schemas.NoteOut(id=n.id, text=n.text, actor=un or nn, created_at=n.created_at) for n, un, nn in rows]


async def changes(session: AsyncSession, worker_id: int, limit: int = 50) -> list[schemas.ChangeOut]:
    rows = await session.scalars(select(AuditLog).where(
        AuditLog.target_type == "user", AuditLog.target_id == str(worker_id),
        AuditLog.action.like("worker.%")).order_by(AuditLog.id.desc()).limit(limit))
    return [schemas.ChangeOut(action=a.action, actor=a.actor_name, at=a.created_at, after=a.after) for a in rows]


async def admin_file(session: AsyncSession, worker_id: int) -> schemas.AdminWorkerFileOut:
    u = await service.worker(session, worker_id)
    view = await signup.file_view(session, worker_id)
    return schemas.AdminWorkerFileOut(
        **view.model_dump(), worker=schemas.worker_out(u, await session.get(WorkerProfile, worker_id),
                                                       mask_phone(u.phone)),
        trainings=await trainings(session, worker_id), notes=await notes(session, worker_id),
        history=await service.status_history(session, worker_id), changes=await changes(session, worker_id))


async def decide_certificate(session: AsyncSession, actor: User, worker_id: int, cert_id: int, action: str,
                             note: str) -> schemas.CertificateOut:
    await service.worker(session, worker_id)
    c: WorkerCertificate = await certificates.decide(session, actor, worker_id, cert_id, action, note)
    return certificates.certificate_out(c, certificates.today())
