"""Coupons given by rule rather than by hand or campaign, through coupons.service.issue:

- **sign-up**: a customer who signed up in the last SIGNUP_WINDOW and holds no sign-up coupon gets
  one (reference `signup`: once per customer, whatever reruns or concurrent runs do);
- **referral**: when a customer someone referred (`users.referrer_id`, recorded at sign-up) has a
  counted order (paid, not cancelled), the referrer gets a coupon (reference `referral:<referee>`:
  once per referred customer).

Run by a job every 5 minutes (accounts, below coupons, cannot call them at sign-up; the job reads
what accounts and orders recorded). Amounts and validity are settings (config.py); 0 turns a rule off."""
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.config import get_settings
from anjia.core.security import now
from anjia.coupons import service as coupons
from anjia.customers.segments import COUNTED

SIGNUP_WINDOW = timedelta(days=7)

_NEW = """
SELECT u.id FROM users u
WHERE u.kind = 'customer' AND u.deleted_at IS NULL AND u.is_active AND u.created_at > :since
  AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.customer_id = u.id AND c.source = 'signup')
ORDER BY u.id LIMIT 1000
"""

_REFERRED = f"""
SELECT u.id AS referee, u.referrer_id AS referrer FROM users u
JOIN users r ON r.id = u.referrer_id AND r.kind = 'customer' AND r.deleted_at IS NULL AND r.is_active
WHERE u.kind = 'customer' AND u.referrer_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = u.id AND {COUNTED})
  AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.customer_id = u.referrer_id AND c.source = 'referral'
                  AND c.source_ref = 'referral:' || u.id)
ORDER BY u.id LIMIT 1000
"""


async def issue_due(session: AsyncSession, at: datetime | None = None) -> dict[str, int]:
    """Issue what the rules owe now; returns how many of each were issued."""
    s, at = get_settings(), at or now()
    issued = {"signup": 0, "referral": 0}
    if s.signup_coupon_fen:
        for customer_id in (await session.execute(text(_NEW), {"since": at - SIGNUP_WINDOW})).scalars():
            await coupons.issue(session, None, customer_id=customer_id, kind="amount", value=s.signup_coupon_fen,
                                valid_days=s.signup_coupon_days, source="signup", source_ref="signup",
                                title="新人专享券")
            issued["signup"] += 1
    if s.referral_coupon_fen:
        for referee, referrer in (await session.execute(text(_REFERRED))).all():
            await coupons.issue(session, None, customer_id=referrer, kind="amount", value=s.referral_coupon_fen,
                                min_spend=s.referral_coupon_min_spend, valid_days=s.referral_coupon_days,
                                source="referral", source_ref=f"referral:{referee}", title="邀请好友奖励")
            issued["referral"] += 1
    return issued
