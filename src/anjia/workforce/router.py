"""Workers' own hours, leave and service area, and operators' view and edits of workers."""
from fastapi import APIRouter, Response

from anjia.core.auth import Session, Worker, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.scheduling import schemas as sched
from anjia.workforce import errors, schemas, service

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


# ---------------------------------------------------------------- operators
@admin.get("/workers", dependencies=[staff_with("workers.read")])
async def list_workers(session: Session, q: Search = None, page: PageNo = 1, page_size: PageSize = 20
                       ) -> schemas.WorkerPage:
    return await service.list_workers(session, q, page, page_size)


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
