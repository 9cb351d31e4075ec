"""Order errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

ORDER_NOT_FOUND = define("order_not_found", 404, "订单不存在", "Order not found")
ORDER_NOT_MODIFIABLE = define("order_not_modifiable", 409, "师傅已接单，订单不能再修改",
                              "The order can no longer be changed")
ORDER_NOT_CANCELLABLE = define("order_not_cancellable", 409, "服务已开始，订单不能取消",
                               "The order can no longer be cancelled")
ILLEGAL_TRANSITION = define("illegal_transition", 409, "订单当前状态不允许此操作",
                            "Not allowed in the order's current state")
