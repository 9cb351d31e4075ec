"""Payment errors. Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

NOTHING_TO_PAY = define("nothing_to_pay", 409, "该订单当前无需支付", "Nothing is due on this order")
METHOD_UNAVAILABLE = define("payment_method_unavailable", 422, "暂不支持该支付方式",
                            "This payment method is not available")
PAYMENT_NOT_FOUND = define("payment_not_found", 404, "支付记录不存在", "Payment not found")
PROVIDER_UNAVAILABLE = define("payment_provider_unavailable", 502, "支付渠道暂时不可用，请稍后再试",
                              "The payment provider is not reachable; try again later")
REFUND_EXCEEDS_PAID = define("refund_exceeds_paid", 422, "退款金额超过可退金额",
                             "The refund is more than what can still be refunded")
REFUND_NOT_FOUND = define("refund_not_found", 404, "退款记录不存在", "Refund not found")
REFUND_STATE = define("refund_state", 409, "退款当前状态不允许此操作", "Not allowed in the refund's current state")
UNKNOWN_PROVIDER = define("unknown_provider", 404, "未知的支付渠道", "Unknown payment provider")
REFUND_SELF_APPROVAL = define("refund_self_approval", 403, "申请人不能审批自己的退款",
                              "A refund must be approved by someone other than who asked for it")
