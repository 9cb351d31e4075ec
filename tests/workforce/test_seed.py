"""The demo holds workers at every stage of sign-up, a certificate expiring within 30 days and an
expired one whose skill is suspended, and runs twice."""
from sqlalchemy import text

from anjia.core.security import lookup_hash
from tests.settlement.test_seed import _seed as settled


async def test_demo_workers_at_every_stage(session, engine):
    await settled(session)
    async with engine.connect() as conn:
        stages = dict((await conn.execute(text(
            "SELECT review_status, count(*) FROM worker_profiles GROUP BY 1"))).all())
        expiring = await conn.scalar(text(
            "SELECT count(*) FROM worker_certificates WHERE status = 'approved' "
            "AND expires_on BETWEEN current_date + 1 AND current_date + 30"))
        expired = await conn.scalar(text(
            "SELECT count(*) FROM worker_certificates WHERE expires_on <= current_date AND lapsed_at IS NOT NULL"))
        suspended = (await conn.execute(text(
            "SELECT p.skills, p.declared_skills FROM worker_profiles p JOIN users u ON u.id = p.user_id "
            "WHERE u.phone_hash = :h"), {"h": lookup_hash("13900000004", "phone")})).one()
        queue = await conn.scalar(text("SELECT count(*) FROM worker_profiles WHERE review_status = 'submitted' "
                                       "AND id_photo_key IS NOT NULL AND selfie_key IS NOT NULL"))
        events = await conn.scalar(text("SELECT count(*) FROM worker_status_events WHERE kind = 'skill'"))
    assert set(stages) == {"draft", "submitted", "more_info", "rejected", "approved"} and stages["approved"] == 6
    assert expiring >= 1 and expired == 1 and events == 1 and queue == 1
    assert "maternity" in suspended.declared_skills and "maternity" not in suspended.skills
    assert "cleaning" in suspended.skills
