"""The demo workers: five approved workers with their hours and certificates (one certificate
expiring within 30 days, one expired with its skill suspended), and applicants at every stage of
sign-up (draft, submitted, more info asked, rejected, approved)."""
import io
from datetime import date, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.core import security, storage
from anjia.core.security import now
from anjia.scheduling import schemas as sched
from anjia.scheduling import service as scheduling
from anjia.scheduling.seed import seed_region
from anjia.workforce import certificates, identity, service
from anjia.workforce.models import CertificateRequirement, WorkerCertificate, WorkerProfile, WorkerStatusEvent

# Demo workers by phone: skills and home (lat, lng) around the city.
WORKERS = {
    "13900000001": (["cleaning", "home_care"], 31.2200, 121.4500),
    "13900000002": (["cleaning", "nanny", "elderly_care"], 31.2450, 121.5000),
    "13900000003": (["appliance", "home_care"], 31.2000, 121.4300),
    "13900000004": (["cleaning", "maternity", "patient_care", "elderly_care"], 31.2600, 121.4700),
    "13900000005": (["appliance", "cleaning"], 31.1900, 121.5200),
}
# 孙阿姨's 育婴员证 runs out within 30 days (reminded); 吴阿姨's 母婴护理师证 has expired (月嫂 suspended).
EXPIRING = ("13900000002", "nanny", 20)
EXPIRED = ("13900000004", "maternity", -3)

# Applicants: phone -> (stage, real name, birth yyyymmdd + sequence, skills, reasons)
APPLICANTS = {
    "13900000011": ("draft", "钱秀英", "19800312021", ["cleaning"], []),
    "13900000012": ("submitted", "冯桂兰", "19780625042", ["cleaning", "nanny"], []),
    "13900000013": ("more_info", "陈玉梅", "19850917062", ["elderly_care"], ["certificate_unclear"]),
    "13900000014": ("rejected", "褚建国", "19901103033", ["appliance"], ["selfie_mismatch"]),
    "13900000015": ("approved", "卫春花", "19820228084", ["cleaning", "home_care"], []),
}


def demo_id_number(birth_and_sequence: str) -> str:
    first17 = "310104" + birth_and_sequence
    return first17 + identity.check_character(first17)


def demo_photo(label: str, colour: tuple[int, int, int]) -> bytes:
    """A plain card standing in for a photo (the demo has no real documents)."""
    img = Image.new("RGB", (640, 400), colour)
    d = ImageDraw.Draw(img)
    d.rectangle((24, 24, 616, 376), outline=(255, 255, 255), width=4)
    d.ellipse((60, 110, 220, 290), fill=(240, 224, 210))
    d.text((260, 180), label, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


async def _certificate(session: AsyncSession, worker_id: int, kind: str, expires_on: date, status: str) -> None:
    photo = demo_photo(f"certificate {kind}", (70, 120, 180))
    folder = f"certificates/{worker_id}"
    session.add(WorkerCertificate(
        worker_id=worker_id, kind=kind, number=f"{kind[:2].upper()}{worker_id:06d}{expires_on:%y%m}",
        issued_on=expires_on - timedelta(days=3 * 365), expires_on=expires_on, status=status,
        photo_key=await storage.save(photo, "jpg", folder), thumb_key=await storage.save(photo, "jpg", folder)))
    await session.flush()


async def certify(session: AsyncSession, worker_id: int, skills: list[str], days: int = 3 * 365,
                  status: str = "approved") -> None:
    """Certificates of every kind these skills need, valid for `days` (tests' and the demo's workers)."""
    kinds = await session.scalars(select(CertificateRequirement.kind).distinct().where(
        CertificateRequirement.skill.in_(["*", *skills])))
    for kind in sorted(kinds):
        await _certificate(session, worker_id, kind, certificates.today() + timedelta(days=days), status)


async def seed_worker(session: AsyncSession, user_id: int, region_id: int, skills: list[str], lat: float, lng: float,
                      days: range = range(7), start: int = 8 * 60, end: int = 20 * 60) -> None:
    if await session.get(WorkerProfile, user_id) is None:
        await service.add_profile(session, user_id, region_id=region_id, skills=skills, home_lat=lat, home_lng=lng,
                                  radius_km=20, verified=True, active=True, rating=4.9)
        await certify(session, user_id, skills)
        await scheduling.set_weekly(session, user_id, [sched.WeeklyRange(weekday=d, start=sched.hhmm(start),
                                                                         end=sched.hhmm(end)) for d in days])


async def _by_phone(session: AsyncSession, phone: str) -> User | None:
    return await session.scalar(select(User).where(User.kind == "worker", phone_is(phone)))


async def _expiry_cases(session: AsyncSession) -> None:
    phone, kind, days = EXPIRING
    user = await _by_phone(session, phone)
    c = await session.scalar(select(WorkerCertificate).where(WorkerCertificate.worker_id == user.id,
                                                             WorkerCertificate.kind == kind))
    c.expires_on, c.reminded_at = certificates.today() + timedelta(days=days), now()
    phone, kind, days = EXPIRED
    user = await _by_phone(session, phone)
    c = await session.scalar(select(WorkerCertificate).where(WorkerCertificate.worker_id == user.id,
                                                             WorkerCertificate.kind == kind))
    c.expires_on = certificates.today() + timedelta(days=days)
    c.issued_on = c.expires_on - timedelta(days=3 * 365)
    await session.flush()
    await certificates.sweep(session)  # suspends 月嫂 for 吴阿姨, as the daily job would have


async def _applicant(session: AsyncSession, user: User, region_id: int, stage: str, name: str, born: str,
                     skills: list[str], reasons: list[str]) -> None:
    number = identity.parse(demo_id_number(born), date.today())
    assert number is not None
    folder = f"identity/{user.id}"
    p = await service.add_profile(
        session, user.id, region_id=region_id, declared_skills=skills, skills=[], home_lat=31.21, home_lng=121.46,
        radius_km=10, real_name=name, id_number_sealed=security.seal(number.number),
        id_number_hash=security.lookup_hash(number.number, "id_number"), id_number_masked=number.masked,
        gender=number.gender, birth_date=number.birth_date, experience_years=3,
        experience="做过三年家政保洁，熟悉日常收纳和厨房清洁。",
        id_photo_key=await storage.save(demo_photo("ID card", (200, 160, 90)), "jpg", folder),
        selfie_key=await storage.save(demo_photo("selfie", (120, 170, 120)), "jpg", folder),
        review_status="draft")
    if stage == "draft":
        return
    await certify(session, user.id, skills, status="pending")
    p.face_provider, p.face_status, p.face_detail = "manual", "manual", "请运营人员比对身份证照片与自拍"
    p.face_checked_at = p.submitted_at = now() - timedelta(hours=5)
    p.review_status = "submitted"
    session.add(WorkerStatusEvent(worker_id=user.id, kind="review", from_status="draft", to_status="submitted",
                                  reasons=[], note="", actor_id=user.id))
    await session.flush()
    if stage == "submitted":
        return
    admin = await session.scalar(select(User).where(User.username == "admin"))
    action = {"more_info": "ask", "rejected": "reject", "approved": "approve"}[stage]
    # (the newly approved one has not set her hours yet: she takes no demo orders)
    await service.decide_review(session, admin, user.id, action, reasons,
                                "证书照片反光，请重新拍摄" if stage == "more_info" else "")


async def seed(session: AsyncSession) -> int:
    region = await seed_region(session)
    n = 0
    for phone, (skills, lat, lng) in WORKERS.items():
        user = await _by_phone(session, phone)
        if user is not None and await session.get(WorkerProfile, user.id) is None:
            await seed_worker(session, user.id, region.id, skills, lat, lng)
            n += 1
    if n:
        await _expiry_cases(session)
    for phone, (stage, name, born, skills, reasons) in APPLICANTS.items():
        user = await _by_phone(session, phone)
        if user is not None and await session.get(WorkerProfile, user.id) is None:
            await _applicant(session, user, region.id, stage, name, born, skills, reasons)
            n += 1
    return n
