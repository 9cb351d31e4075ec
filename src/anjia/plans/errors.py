"""Plan (recurring service) errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

PLAN_NOT_FOUND = define("plan_not_found", 404, "周期服务不存在", "Plan not found")
PLAN_NOT_ACTIVE = define("plan_not_active", 409, "周期服务已结束", "The plan has ended")
INVALID_RRULE = define("invalid_rrule", 422, "重复规则无效", "The recurrence rule is not valid")
