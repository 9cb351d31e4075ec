"""The pricing function's invariants, over every demo service and random requests."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjia.catalog import pricing
from anjia.catalog.schemas import ServiceFields
from anjia.catalog.seed import CATALOG

SERVICES = [ServiceFields.model_validate({"category_id": 1, **spec}).model_dump(mode="json")
            for _, _, _, specs in CATALOG for spec in specs]


def option_value(opt):
    if opt["type"] == "single":
        return st.sampled_from([c["code"] for c in opt["choices"]])
    if opt["type"] == "multi":
        return st.lists(st.sampled_from([c["code"] for c in opt["choices"]]), unique=True)
    if opt["type"] == "bool":
        return st.booleans()
    if opt["type"] == "number":
        return st.integers(opt["min"], opt["max"])
    return st.text(max_size=50)


@st.composite
def priced_request(draw):
    service = draw(st.sampled_from(SERVICES))
    req = {"options": {}}
    for opt in service["options"]:
        if opt.get("required") or draw(st.booleans()):
            req["options"][opt["code"]] = draw(option_value(opt))
    if service["pricing_kind"] == "fixed":
        codes = draw(st.lists(st.sampled_from([i["code"] for i in service["items"]]), min_size=1, unique=True))
        req["items"] = [{"code": c, "quantity": draw(st.integers(1, 50))} for c in codes]
    elif service["pricing_kind"] == "hourly":
        req["hours"] = draw(st.integers(service["min_hours"], service["max_hours"]))
    else:
        start = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
        req["start_date"] = start
        req["end_date"] = start + timedelta(days=draw(st.integers(service["min_days"], service["max_days"])) - 1)
        req["daily_hours"] = draw(st.integers(1, 24))
    coupon = draw(st.none() | st.builds(pricing.Coupon, kind=st.sampled_from(["amount", "percent"]),
                                        value=st.integers(0, 2_000_000), min_spend=st.integers(0, 100_000)))
    ctx = pricing.Context(local_start_minute=draw(st.none() | st.integers(0, 1439)), is_holiday=draw(st.booleans()),
                          evening_start=18 * 60, evening_surcharge_bp=draw(st.integers(0, 10_000)),
                          holiday_surcharge_bp=draw(st.integers(0, 10_000)), coupon=coupon)
    return service, req, ctx


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(priced_request())
def test_lines_sum_to_total_and_total_is_never_negative(case):
    service, req, ctx = case
    q = pricing.quote(service, req, ctx)
    assert sum(line.amount for line in q.lines) == q.total
    assert q.total >= 0 and q.subtotal >= 0 and q.discount_total >= 0 and q.surcharge_total >= 0
    assert q.total == q.subtotal + q.surcharge_total - q.discount_total
    assert all(isinstance(line.amount, int) for line in q.lines)
    assert q.duration_minutes >= 30


@settings(max_examples=200)
@given(priced_request())
def test_same_input_same_quote(case):
    service, req, ctx = case
    assert pricing.quote(service, req, ctx) == pricing.quote(service, dict(req), ctx)


@settings(max_examples=200)
@given(priced_request(), st.integers(1, 1_000_000))
def test_a_coupon_never_raises_the_price(case, value):
    service, req, ctx = case
    plain = pricing.quote(service, req, pricing.Context(**{**ctx.__dict__, "coupon": None}))
    with_coupon = pricing.quote(service, req, pricing.Context(**{**ctx.__dict__,
                                                                 "coupon": pricing.Coupon("amount", value)}))
    assert 0 <= with_coupon.total <= plain.total


def test_rejections():
    kitchen = next(s for s in SERVICES if s["name"] == "厨房深度清洁")
    for req, field in [({"items": []}, "items"), ({"items": [{"code": "nope", "quantity": 1}]}, "items"),
                       ({"items": [{"code": "kitchen_deep", "quantity": 0}]}, "items"),
                       ({"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"depth": "x"}}, "options.depth"),
                       ({"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"eco": "yes"}}, "options.eco"),
                       ({"items": [{"code": "kitchen_deep", "quantity": 1}],
                         "options": {"focus_areas": ["hood", "hood"]}}, "options.focus_areas")]:
        try:
            pricing.quote(kitchen, req)
        except pricing.PricingError as e:
            assert e.field == field
        else:
            raise AssertionError(f"accepted {req}")
