"""Coupons by rule: a new customer's welcome coupon and the referrer's reward after the referred
customer's first paid order; once each under reruns; the settings turn them off."""
from sqlalchemy import select, text

from anjia.config import get_settings
from anjia.coupons.models import Coupon
from anjia.customers import welcome
from tests.customers.helpers import customer, past_order


async def _coupons(session, source):
    return [(c.customer_id, c.source_ref, c.value, c.min_spend) for c in await session.scalars(
        select(Coupon).where(Coupon.source == source).order_by(Coupon.customer_id, Coupon.id))]


async def test_new_customers_get_one_welcome_coupon(session, world):
    fresh = await customer(session, "13900000301", "新人", days_ago=1)
    await customer(session, "13900000302", "老人", days_ago=30)  # signed up before the window
    had = await customer(session, "13900000303", "已领", days_ago=2)
    session.add(Coupon(customer_id=had.id, kind="amount", value=500, min_spend=0, title="旧新人券", source="signup",
                       source_ref="demo", valid_from=had.created_at, valid_until=had.created_at.replace(year=2100)))
    await session.flush()
    assert await welcome.issue_due(session) == {"signup": 2, "referral": 0}  # the world's customer and `fresh`
    assert await welcome.issue_due(session) == {"signup": 0, "referral": 0}
    s = get_settings()
    assert [x for x in await _coupons(session, "signup") if x[1] == "signup"] == [
        (world["customer_id"], "signup", s.signup_coupon_fen, 0), (fresh.id, "signup", s.signup_coupon_fen, 0)]


async def test_the_referrer_is_rewarded_once_after_a_paid_order(session, world):
    referrer = await customer(session, "13900000401", "推荐人", days_ago=90)
    friend = await customer(session, "13900000402", "朋友", days_ago=60)
    other = await customer(session, "13900000403", "朋友2", days_ago=60)
    await session.execute(text("UPDATE users SET referrer_id = :r WHERE id IN (:a, :b)"),
                          {"r": referrer.id, "a": friend.id, "b": other.id})
    await past_order(session, world, other.id, days_ago=3, total=20_000, status="cancelled")  # does not count
    assert (await welcome.issue_due(session))["referral"] == 0
    await past_order(session, world, friend.id, days_ago=2, total=20_000)
    await past_order(session, world, friend.id, days_ago=1, total=20_000)
    assert (await welcome.issue_due(session))["referral"] == 1
    assert (await welcome.issue_due(session))["referral"] == 0
    s = get_settings()
    assert await _coupons(session, "referral") == [
        (referrer.id, f"referral:{friend.id}", s.referral_coupon_fen, s.referral_coupon_min_spend)]


async def test_zero_turns_a_rule_off(session, world, monkeypatch):
    monkeypatch.setattr(get_settings(), "signup_coupon_fen", 0)
    assert await welcome.issue_due(session) == {"signup": 0, "referral": 0}
    assert await _coupons(session, "signup") == []
