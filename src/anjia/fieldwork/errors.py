"""Service-day errors: check-in, location, schedule changes (upload errors are core.media's).
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

CHECK_IN_TOO_FAR = define("check_in_too_far", 422, "距离服务地址太远，请说明原因后再打卡",
                          "Too far from the address: explain to check in")
NOT_IN_SERVICE = define("not_in_service", 409, "当前没有进行中的服务", "No order is on the way or in service")
SCHEDULE_CHANGE_CLOSED = define("schedule_change_closed", 409, "已过可调整时间或申请已处理",
                                "Too late to change, or already decided")
SCHEDULE_CHANGE_PENDING = define("schedule_change_pending", 409, "已有待处理的改期申请",
                                 "A schedule change is already pending")
