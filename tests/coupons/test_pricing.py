"""quote() applies a coupon: amount, percent with its cap, the minimum spend, the service scope;
lines still add up to the total and the total never goes below zero."""
from anjia.catalog import pricing

SERVICE = {"id": 7, "pricing_kind": "fixed", "items": [{"code": "wall", "name": "壁挂机", "unit_price": 10000,
                                                       "duration_minutes": 60}], "options": []}


def quote(coupon, quantity=2):
    return pricing.quote(SERVICE, {"items": [{"code": "wall", "quantity": quantity}]}, pricing.Context(coupon=coupon))


def test_amount_off():
    q = quote(pricing.Coupon("amount", 3000, label="满减券"))
    assert (q.subtotal, q.discount_total, q.total) == (20000, 3000, 17000)
    assert q.lines[-1] == pricing.Line("discount", "coupon", "满减券", 1, -3000, -3000)
    assert sum(line.amount for line in q.lines) == q.total


def test_percent_off_with_and_without_cap():
    assert quote(pricing.Coupon("percent", 1500)).discount_total == 3000  # 15 % of ¥200
    assert quote(pricing.Coupon("percent", 1500, cap=2000)).discount_total == 2000
    assert quote(pricing.Coupon("percent", 1500, cap=5000)).discount_total == 3000
    assert quote(pricing.Coupon("percent", 10000)).total == 0


def test_minimum_spend_is_on_the_price_before_the_coupon():
    assert quote(pricing.Coupon("amount", 3000, min_spend=20000)).discount_total == 3000  # exactly reached
    assert quote(pricing.Coupon("amount", 3000, min_spend=20001)).discount_total == 0
    assert quote(pricing.Coupon("amount", 3000, min_spend=20000), quantity=1).discount_total == 0


def test_service_scope():
    assert quote(pricing.Coupon("amount", 3000, service_id=7)).discount_total == 3000
    assert quote(pricing.Coupon("amount", 3000, service_id=8)).discount_total == 0


def test_never_below_zero():
    q = quote(pricing.Coupon("amount", 99_999), quantity=1)
    assert (q.discount_total, q.total) == (10000, 0)
