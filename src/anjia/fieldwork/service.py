"""The worker's side of an order: offers, order views, depart, check-in (GPS-checked),
check-out (hourly work priced by real time on site) and live location."""
import math
from datetime import timedelta
from urllib.parse import quote as urlquote

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.commission import service as commission
from anjia.core import media, storage
from anjia.core.errors import AppError
from anjia.core.geo import distance_km
from anjia.core.security import now
from anjia.coupons import service as coupons
from anjia.dispatch.models import Offer
from anjia.fieldwork import schemas
from anjia.fieldwork.models import ServiceRecord, WorkerLocation
from anjia.orders import lifecycle, state
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.schemas import ServiceRef
from anjia.orders.state import Status
from anjia.preferences import service as preferences
from anjia.providers import maps
from anjia.realtime.service import publish
from anjia.workforce.models import WorkerProfile

CHECK_IN_METERS = 500
PHONE_VISIBLE_AFTER_END = timedelta(hours=24)
ROUTE_POINTS = 300  # a route polyline sent with a location is cut to this many points


def requirements(service: Service, request: dict) -> list[schemas.Requirement]:
    out = []
    values = request.get("options") or {}
    for opt in service.options or []:
        v = values.get(opt["code"])
        if v in (None, False, "", []):
            continue
        choices = {c["code"]: c["label"] for c in opt.get("choices") or []}
        if isinstance(v, list):
            text = "、".join(choices.get(x, x) for x in v)
        elif v is True:
            text = "是"
        else:
            text = choices.get(v, str(v)) + (opt.get("unit") or "" if opt["type"] == "number" else "")
        out.append(schemas.Requirement(label=opt["label"], value=text))
    if request.get("hours"):
        out.insert(0, schemas.Requirement(label="服务时长", value=f"{request['hours']} 小时"))
    for item in request.get("items") or []:
        name = next((i["name"] for i in service.items if i["code"] == item["code"]), item["code"])
        out.insert(0, schemas.Requirement(label="服务项目", value=f"{name} × {item['quantity']}"))
    return out


def navigation(lat: float, lng: float, name: str) -> dict[str, str]:
    n = urlquote(name)
    return {"amap": f"https://uri.amap.com/marker?position={lng},{lat}&name={n}",
            "tencent": f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{lat},{lng};title:{n}",
            "apple": f"https://maps.apple.com/?ll={lat},{lng}&q={n}"}


async def offers_for(session: AsyncSession, worker: User) -> list[schemas.OfferOut]:
    """Open offers: a worker is offered orders of their own region only (dispatch's candidates), so
    the read names it — the distribution column (docs/scale-out.md)."""
    region_id = await session.scalar(select(WorkerProfile.region_id).where(WorkerProfile.user_id == worker.id))
    if region_id is None:
        return []
    rows = (await session.execute(
        select(Offer, Order, Service)
        .join(Order, (Order.id == Offer.order_id) & (Order.region_id == Offer.region_id))
        .join(Service, Service.id == Order.service_id)
        .where(Offer.region_id == region_id, Offer.worker_id == worker.id, Offer.status == "offered",
               Offer.expires_at > now(), Order.status == Status.PAID.value).order_by(Order.scheduled_start))).all()
    return [schemas.OfferOut(
        id=offer.id, order_id=o.id, number=o.number,
        service=ServiceRef(id=s.id, name=s.name, pricing_kind=s.pricing_kind), start=o.scheduled_start,
        end=o.scheduled_end, duration_minutes=o.quote["duration_minutes"],
        address_text=f"{o.address.get('district', '')}（接单后显示详细地址）", district=o.address.get("district", ""),
        distance_km=offer.distance_km,
        requirements=requirements(s, o.request), preferences=await preferences.lines_for(session, o.customer_id),
        notes=o.notes, expected_pay=await expected_pay(session, o, worker.id),
        expires_at=offer.expires_at, round=offer.round) for offer, o, s in rows]


async def expected_pay(session: AsyncSession, order: Order, worker_id: int) -> int:
    """The worker's share under the commission rules in force (settlement fixes the real earning at
    check-out the same way): the final total, or the quote, before the coupon the platform pays."""
    gross = (order.final_total if order.final_total is not None else order.total) + order.discount
    return await commission.worker_share(session, service_id=order.service_id, region_id=order.region_id,
                                         worker_id=worker_id, gross=gross)


async def _visible(session: AsyncSession, worker: User, order_id: int, *, lock: bool = False
                   ) -> tuple[Order, Offer | None]:
    order = await (orders.lock if lock else orders.get_order)(session, order_id)
    offer = await session.scalar(select(Offer).where(Offer.region_id == order.region_id, Offer.order_id == order_id,
                                                     Offer.worker_id == worker.id))
    if order.worker_id != worker.id and offer is None:
        raise AppError("order_not_found")
    return order, offer


def address_open(order: Order, worker: User) -> bool:
    """The street, coordinates, contact phone and navigation are the assigned worker's only:
    from acceptance until 24 h after the service, not on a cancelled order. Before that (offered,
    withdrawn, expired, taken by someone else) a worker sees the district and the distance."""
    return (order.worker_id == worker.id and order.accepted_at is not None
            and order.status != Status.CANCELLED.value and now() <= order.scheduled_end + PHONE_VISIBLE_AFTER_END)


async def worker_order(session: AsyncSession, worker: User, order: Order, offer: Offer | None
                       ) -> schemas.WorkerOrderOut:
    service = await session.get(Service, order.service_id)
    customer = await session.get(User, order.customer_id)
    is_open = address_open(order, worker)
    contact_phone = order.address.get("contact_phone") or (customer.phone if customer else None)
    if is_open:
        address = dict(order.address, contact_phone=contact_phone)
        nav = navigation(order.address["lat"], order.address["lng"], orders.address_text(order.address))
    else:
        address = {"city": order.address.get("city"), "district": order.address.get("district")}
        nav = {}
    return schemas.WorkerOrderOut(
        id=order.id, number=order.number, status=order.status, status_label=state.LABELS[Status(order.status)][0],
        service=ServiceRef(id=service.id, name=service.name, pricing_kind=service.pricing_kind),
        start=order.scheduled_start, end=order.scheduled_end, duration_minutes=order.quote["duration_minutes"],
        address=address,
        customer=schemas.CustomerContact(nickname=customer.nickname if customer else "",
                                         phone=contact_phone if is_open else None),
        requirements=requirements(service, order.request),
        preferences=await preferences.lines_for(session, order.customer_id), notes=order.notes,
        expected_pay=await expected_pay(session, order, worker.id), final_total=order.final_total,
        offer_status=offer.status if offer else None, offer_expires_at=offer.expires_at if offer else None,
        checked_in_at=order.checked_in_at, checked_out_at=order.checked_out_at,
        timeline=await orders.timeline(session, order), navigation=nav,
        distance_km=offer.distance_km if offer else None, address_open=is_open)


async def get_order(session: AsyncSession, worker: User, order_id: int) -> schemas.WorkerOrderOut:
    order, offer = await _visible(session, worker, order_id)
    return await worker_order(session, worker, order, offer)


async def list_orders(session: AsyncSession, worker: User, scope: str) -> list[schemas.WorkerOrderOut]:
    stmt = select(Order).where(Order.worker_id == worker.id)
    if scope == "done":
        stmt = stmt.where(Order.status.in_([Status.COMPLETED.value, Status.CANCELLED.value])) \
            .order_by(Order.scheduled_start.desc()).limit(50)
    else:
        stmt = stmt.where(Order.status.in_([Status.ACCEPTED.value, Status.ON_THE_WAY.value, Status.IN_SERVICE.value]))
        if scope == "today":
            stmt = stmt.where(Order.scheduled_start < now() + timedelta(days=1))
        stmt = stmt.order_by(Order.scheduled_start).limit(200)
    return [await worker_order(session, worker, o, None) for o in await session.scalars(stmt)]


async def _mine(session: AsyncSession, worker: User, order_id: int) -> Order:
    order, _ = await _visible(session, worker, order_id, lock=True)
    if order.worker_id != worker.id:
        raise AppError("order_not_found")
    return order


async def depart(session: AsyncSession, worker: User, order_id: int) -> Order:
    order = await _mine(session, worker, order_id)
    await lifecycle.depart(session, order, worker)
    return order


async def check_in(session: AsyncSession, worker: User, order_id: int, data: schemas.CheckInIn) -> Order:
    order = await _mine(session, worker, order_id)
    if order.status != Status.ON_THE_WAY.value:
        raise AppError("illegal_transition")
    meters = int(distance_km(data.lat, data.lng, order.address["lat"], order.address["lng"]) * 1000)
    if meters > CHECK_IN_METERS and not (data.explanation or "").strip():
        raise AppError("check_in_too_far", extra={"distance_m": meters})
    note = data.explanation if meters > CHECK_IN_METERS else None
    await lifecycle.check_in(session, order, worker, meters, data.explanation, note)
    if note:
        await publish(session, ["role:dispatcher", "role:admin"], "alert.far_check_in",
                      {"order_id": order.id, "distance_m": meters, "explanation": data.explanation})
        await session.flush()
    return order


def billed_hours(minutes_on_site: float, min_hours: int) -> int:
    """Hourly services: real time on site, rounded up to the hour, at least the minimum."""
    return max(min_hours, math.ceil(max(minutes_on_site, 1) / 60))


async def check_out(session: AsyncSession, worker: User, order_id: int) -> Order:
    order = await _mine(session, worker, order_id)
    if order.status != Status.IN_SERVICE.value:
        raise AppError("illegal_transition")
    service = await session.get(Service, order.service_id)
    final, discount = order.total, None
    at = now()
    if service.pricing_kind == "hourly":
        hours = billed_hours((at - order.checked_in_at).total_seconds() / 60, service.min_hours or 1)
        req = {**order.request, "hours": min(hours, service.max_hours or 24)}
        q = await catalog.price(session, service, req, start=order.scheduled_start, region_id=order.region_id,
                                timezone=order.timezone, coupon=coupons.as_booked(order.quote, order.discount))
        final, discount = q.total, q.discount_total
    await lifecycle.check_out(session, order, worker, at, final, discount)
    await session.execute(WorkerLocation.__table__.delete().where(WorkerLocation.worker_id == worker.id))
    await session.flush()
    return order


async def report_location(session: AsyncSession, worker: User, data: schemas.LocationIn) -> dict:
    order = await session.scalar(select(Order).where(
        Order.worker_id == worker.id, Order.status.in_([Status.ON_THE_WAY.value, Status.IN_SERVICE.value]))
        .order_by(Order.scheduled_start).limit(1))
    if order is None:
        raise AppError("not_in_service")
    eta, source, route = 0, "on_site", []
    if order.status == Status.ON_THE_WAY.value:
        t = await maps.travel((data.lat, data.lng), (order.address["lat"], order.address["lng"]))
        eta, source, route = t.minutes, t.source, [[lat, lng] for lat, lng in t.polyline[:ROUTE_POINTS]]
    kept = {"order_id": order.id, "lat": data.lat, "lng": data.lng, "reported_at": now(),
            "eta_minutes": eta if source != "on_site" else None, "eta_source": source if source != "on_site" else None,
            "route": route or None}
    await session.execute(insert(WorkerLocation).values(worker_id=worker.id, **kept)
                          .on_conflict_do_update(index_elements=["worker_id"], set_=kept))
    payload = {"order_id": order.id, "worker_id": worker.id, "lat": data.lat, "lng": data.lng, "eta_minutes": eta,
               "eta_source": source, "route": route}
    await publish(session, [f"user:{order.customer_id}", "role:dispatcher", "role:admin"], "worker.location", payload)
    return payload


async def live_workers(session: AsyncSession) -> list[dict]:
    """Workers at their last position; those on the way with the ETA and route worked out when they
    reported it (no provider call here: the list is re-read every few seconds by every console)."""
    rows = (await session.execute(select(WorkerLocation, User, Order).join(User, User.id == WorkerLocation.worker_id)
                                  .join(Order, Order.id == WorkerLocation.order_id))).all()
    out = []
    for loc, u, o in rows:
        on_the_way = o.status == Status.ON_THE_WAY.value and loc.eta_source is not None
        out.append({"worker_id": loc.worker_id, "nickname": u.nickname, "lat": loc.lat, "lng": loc.lng,
                    "reported_at": loc.reported_at, "order_id": o.id, "order_number": o.number, "status": o.status,
                    "address_lat": o.address["lat"], "address_lng": o.address["lng"],
                    "eta_minutes": loc.eta_minutes if on_the_way else None,
                    "eta_source": loc.eta_source if on_the_way else None,
                    "route": (loc.route or []) if on_the_way else []})
    return out


# ---------------------------------------------------------------- service records
RECORD_STATUSES = {Status.ON_THE_WAY.value, Status.IN_SERVICE.value, Status.COMPLETED.value}


def record_out(r: ServiceRecord) -> schemas.RecordOut:
    return schemas.RecordOut(id=r.id, stage=r.stage, note=r.note, media_type=r.media_type,
                             url=storage.signed_url(r.media_key), thumb_url=storage.signed_url(r.thumb_key),
                             created_at=r.created_at)


async def record_upload(session: AsyncSession, worker: User, order_id: int) -> schemas.RecordUploadOut:
    """Direct to the bucket: where the worker's app posts one photo or video for this order."""
    order = await _mine(session, worker, order_id)
    if order.status not in RECORD_STATUSES:
        raise AppError("illegal_transition")
    return schemas.RecordUploadOut(**storage.presigned_upload(f"orders/{order.id}", media.MAX_VIDEO_BYTES))


async def add_record(session: AsyncSession, worker: User, order_id: int, stage: str, note: str,
                     data: bytes | None, upload_key: str | None = None) -> ServiceRecord:
    """A note and/or a file: sent with the request (`data`) or posted to the bucket beforehand
    (`upload_key`), which is read back and goes through the same checks and cleaning."""
    order = await _mine(session, worker, order_id)
    if order.status not in RECORD_STATUSES:
        raise AppError("illegal_transition")
    if data and upload_key:
        raise AppError("validation_error", errors=[{"field": "upload_key", "message": "a file or an upload, not both"}])
    if upload_key:
        data = await storage.take_upload(upload_key, f"orders/{order.id}", media.MAX_VIDEO_BYTES)
    if not note.strip() and not data:
        raise AppError("validation_error", errors=[{"field": "note", "message": "a note or a file"}])
    rec = ServiceRecord(order_id=order.id, worker_id=worker.id, stage=stage, note=note.strip())
    if data:
        kind = media.sniff(data)
        folder = f"orders/{order.id}"
        if kind == "image":
            clean, thumb = await media.clean_image_off_loop(data)
            rec.media_key = await storage.save(clean, "jpg", folder)
            rec.thumb_key = await storage.save(thumb, "jpg", folder)
            rec.size_bytes = len(clean)
        else:
            movie = media.check_video(data)
            rec.media_key, rec.size_bytes = await storage.save(movie, "mp4", folder), len(movie)
        rec.media_type = kind
    session.add(rec)
    await session.flush()
    await orders.record(session, order, "record_added", worker, data={"stage": stage, "media_type": rec.media_type})
    return rec


async def records(session: AsyncSession, order_id: int) -> list[schemas.RecordOut]:
    rows = await session.scalars(select(ServiceRecord).where(ServiceRecord.order_id == order_id)
                                 .order_by(ServiceRecord.id))
    return [record_out(r) for r in rows]


async def records_for_worker(session: AsyncSession, worker: User, order_id: int) -> list[schemas.RecordOut]:
    await _mine(session, worker, order_id)
    return await records(session, order_id)


async def purge_locations_before(session: AsyncSession, cutoff) -> int:
    """Retention: a worker's last known position older than `cutoff` goes."""
    return (await session.execute(delete(WorkerLocation).where(WorkerLocation.reported_at < cutoff))).rowcount
