"""Workers' own sign-up, certificates, hours, leave and service area, and operators' review queue,
worker files and edits of workers."""
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Response, UploadFile

from anjia.core import media
from anjia.core.auth import Session, Worker, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.core.types import Day
from anjia.scheduling import schemas as sched
from anjia.workforce import certificates, errors, records, schemas, service, signup

signup_router = APIRouter(prefix="/worker", tags=["worker: sign-up"], responses=responses("not_found"))
FormDay = Annotated[Day, Form()]

worker = APIRouter(prefix="/worker", tags=["worker: availability"], responses=responses("not_found"))
admin = APIRouter(prefix="/admin", tags=["admin: scheduling"], responses=responses("not_found"))


# ---------------------------------------------------------------- the worker's own hours
@worker.get("/availability")
async def my_availability(user: Worker, session: Session) -> sched.WorkerAvailabilityOut:
    return await service.availability(session, user.id)


@worker.put("/availability/weekly")
async def set_my_weekly(body: sched.WeeklyIn, user: Worker, session: Session) -> sched.WorkerAvailabilityOut:
    await service.set_weekly(session, None, user.id, body.weekly)
    return await service.availability(session, user.id)


@worker.patch("/availability")
async def update_my_settings(body: sched.WorkerSettingsIn, user: Worker, session: Session
                             ) -> sched.WorkerAvailabilityOut:
    await service.update_settings(session, user.id, body)
    return await service.availability(session, user.id)


@worker.post("/leaves", status_code=201)
async def add_my_leave(body: sched.LeaveIn, user: Worker, session: Session) -> sched.WorkerAvailabilityOut:
    await service.add_leave(session, None, user.id, body)
    return await service.availability(session, user.id)


@worker.delete("/leaves/{leave_id}", status_code=204)
async def delete_my_leave(leave_id: Id, user: Worker, session: Session) -> Response:
    await service.delete_leave(session, user.id, leave_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- the worker's sign-up and certificates
LOCKED = responses(errors.FILE_LOCKED)


@signup_router.get("/me/file")
async def my_file(user: Worker, session: Session) -> schemas.WorkerFileOut:
    """My sign-up file: the review status and its reasons, what is still missing, my certificates."""
    return await signup.file_view(session, user.id)


@signup_router.put("/me/file/identity", responses=responses(errors.INVALID_ID_NUMBER, errors.ID_NUMBER_TAKEN,
                                                            errors.FILE_LOCKED))
async def set_my_identity(body: schemas.IdentityIn, user: Worker, session: Session) -> schemas.WorkerFileOut:
    """Real name and ID number (GB 11643 check character); stored sealed, shown masked."""
    await signup.set_identity(session, user.id, body.real_name, body.id_number)
    return await signup.file_view(session, user.id)


@signup_router.patch("/me/file", responses=responses(errors.UNKNOWN_SKILL, errors.FILE_LOCKED))
async def update_my_file(body: schemas.WorkerFileIn, user: Worker, session: Session) -> schemas.WorkerFileOut:
    """Experience, skills, region, home point and radius."""
    await signup.update(session, user.id, body)
    return await signup.file_view(session, user.id)


@signup_router.post("/me/file/photos/{which}", responses=responses(*media.IMAGE_ERRORS, errors.FILE_LOCKED))
async def upload_my_photo(which: Literal["id_photo", "selfie"], user: Worker, session: Session,
                          file: UploadFile = File()) -> schemas.WorkerFileOut:
    """The ID card photo or a live selfie (JPEG/PNG/WebP ≤ 10 MB, rebuilt without metadata)."""
    await signup.set_photo(session, user.id, which, await file.read())
    return await signup.file_view(session, user.id)


@signup_router.post("/me/file/submit", responses=responses(errors.FILE_INCOMPLETE, errors.WORKER_TRANSITION))
async def submit_my_file(user: Worker, session: Session) -> schemas.WorkerFileOut:
    """Send the file for review (again, after more was asked or a rejection)."""
    await signup.submit(session, user)
    return await signup.file_view(session, user.id)


@signup_router.get("/skills")
async def skills(user: Worker, session: Session) -> list[schemas.SkillOut]:
    """What a worker can sign up for: each skill with the services that need it."""
    return await signup.skills(session)


@signup_router.get("/certificate-kinds")
async def certificate_kinds(user: Worker, session: Session) -> list[schemas.CertificateKindOut]:
    return await certificates.kinds(session)


@signup_router.post("/me/certificates", status_code=201,
                    responses=responses(*media.IMAGE_ERRORS, errors.CERTIFICATE_EXPIRED, errors.CERTIFICATE_DATES))
async def add_my_certificate(user: Worker, session: Session, kind: Annotated[schemas.CertificateKind, Form()],
                             number: Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")],
                             expires_on: FormDay, issued_on: Annotated[Day | None, Form()] = None,
                             file: UploadFile = File()) -> schemas.CertificateOut:
    """A certificate with its photo; pending until an operator checks it (with the file, or alone
    for a renewal)."""
    c = await certificates.add(session, user.id, kind, number, issued_on, expires_on, await file.read())
    return certificates.certificate_out(c, certificates.today())


@signup_router.delete("/me/certificates/{cert_id}", status_code=204,
                      responses=responses(errors.CERTIFICATE_TRANSITION))
async def remove_my_certificate(cert_id: Id, user: Worker, session: Session) -> Response:
    await certificates.remove(session, user.id, cert_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- operators
@admin.get("/workers", dependencies=[staff_with("workers.read")])
async def list_workers(session: Session, q: Search = None, page: PageNo = 1, page_size: PageSize = 20,
                       review_status: schemas.ReviewStatus | None = None) -> schemas.WorkerPage:
    """`review_status=submitted` is the review queue (earliest first)."""
    return await service.list_workers(session, q, page, page_size, review_status)


@admin.get("/workers/{worker_id}/file", dependencies=[staff_with("workers.read")])
async def worker_file(worker_id: Id, session: Session) -> schemas.AdminWorkerFileOut:
    """The whole file: identity (masked), photos, certificates, skills, training, notes, history, changes."""
    return await records.admin_file(session, worker_id)


@admin.post("/workers/{worker_id}/certificates/{cert_id}/decision",
            responses=responses(errors.CERTIFICATE_TRANSITION))
async def decide_certificate(worker_id: Id, cert_id: Id, body: schemas.CertificateDecisionIn, session: Session,
                             actor=staff_with("workers.write")) -> schemas.CertificateOut:
    return await records.decide_certificate(session, actor, worker_id, cert_id, body.action, body.note)


@admin.get("/workers/{worker_id}/trainings", dependencies=[staff_with("workers.read")])
async def worker_trainings(worker_id: Id, session: Session) -> list[schemas.TrainingOut]:
    await service.worker(session, worker_id)
    return await records.trainings(session, worker_id)


@admin.post("/workers/{worker_id}/trainings", status_code=201)
async def add_worker_training(worker_id: Id, body: schemas.TrainingIn, session: Session,
                              actor=staff_with("workers.write")) -> schemas.TrainingOut:
    return await records.add_training(session, actor, worker_id, body)


@admin.post("/workers/{worker_id}/notes", status_code=201)
async def add_worker_note(worker_id: Id, body: schemas.NoteIn, session: Session,
                          actor=staff_with("workers.write")) -> schemas.NoteOut:
    return await records.add_note(session, actor, worker_id, body.text)


@admin.patch("/workers/{worker_id}")
async def update_worker(worker_id: Id, body: schemas.WorkerUpdate, session: Session,
                        actor=staff_with("workers.write")) -> schemas.WorkerOut:
    return await service.update_worker(session, actor, worker_id, body)


@admin.post("/workers/{worker_id}/review", responses=responses(errors.WORKER_TRANSITION, errors.REASONS_REQUIRED))
async def decide_review(worker_id: Id, body: schemas.ReviewDecisionIn, session: Session,
                        actor=staff_with("workers.write")) -> schemas.WorkerOut:
    await service.decide_review(session, actor, worker_id, body.action, body.reasons, body.note)
    return await service.worker_view(session, worker_id)


@admin.post("/workers/{worker_id}/employment",
            responses=responses(errors.WORKER_TRANSITION, errors.REASONS_REQUIRED))
async def set_employment(worker_id: Id, body: schemas.EmploymentIn, session: Session,
                         actor=staff_with("workers.write")) -> schemas.WorkerOut:
    await service.set_employment(session, actor, worker_id, body.action, body.reasons, body.note)
    return await service.worker_view(session, worker_id)


@admin.get("/workers/{worker_id}/history", dependencies=[staff_with("workers.read")])
async def status_history(worker_id: Id, session: Session) -> list[schemas.StatusEventOut]:
    await service.worker(session, worker_id)
    return await service.status_history(session, worker_id)


@admin.get("/workers/{worker_id}/availability", dependencies=[staff_with("workers.read")])
async def worker_availability(worker_id: Id, session: Session) -> sched.WorkerAvailabilityOut:
    await service.worker(session, worker_id)
    return await service.availability(session, worker_id)


@admin.put("/workers/{worker_id}/weekly")
async def set_worker_weekly(worker_id: Id, body: sched.WeeklyIn, session: Session,
                            actor=staff_with("workers.write")) -> sched.WorkerAvailabilityOut:
    await service.worker(session, worker_id)
    await service.set_weekly(session, actor, worker_id, body.weekly)
    return await service.availability(session, worker_id)


@admin.post("/workers/{worker_id}/leaves", status_code=201)
async def add_worker_leave(worker_id: Id, body: sched.LeaveIn, session: Session,
                           actor=staff_with("workers.write")) -> sched.WorkerAvailabilityOut:
    await service.worker(session, worker_id)
    await service.add_leave(session, actor, worker_id, body)
    return await service.availability(session, worker_id)
