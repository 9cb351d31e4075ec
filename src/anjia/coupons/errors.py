"""Coupon errors. Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

COUPON_NOT_FOUND = define("coupon_not_found", 404, "优惠券不存在", "Coupon not found")
COUPON_UNAVAILABLE = define("coupon_unavailable", 409, "优惠券已使用或已失效", "The coupon is used or no longer valid")
COUPON_NOT_APPLICABLE = define("coupon_not_applicable", 422, "该优惠券不适用于此服务", "The coupon does not apply to this service")
COUPON_MIN_SPEND = define("coupon_min_spend", 422, "未达到优惠券的使用门槛", "The order is below the coupon's minimum spend")
COUPON_NOT_REVOCABLE = define("coupon_not_revocable", 409, "只能作废未使用的优惠券", "Only an unused coupon can be revoked")
INVALID_COUPON = define("invalid_coupon", 422, "优惠券内容不正确", "The coupon is not valid")
CUSTOMER_NOT_FOUND = define("coupon_customer_not_found", 404, "顾客不存在", "Customer not found")
