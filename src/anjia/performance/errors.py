"""Performance errors. Codes and texts are stable: the apps and the console show them."""
from anjia.core.errors import define

MONTH_OPEN = define("performance_month_open", 422, "只能评估已经结束的月份",
                    "Only a month that has ended can be evaluated")
MONTH_NOT_EVALUATED = define("performance_month_not_evaluated", 404, "该月绩效尚未评估",
                             "This month has not been evaluated yet")
MONTH_PUBLISHED = define("performance_month_published", 409, "该月绩效已发布，不能再修改",
                         "This month's performance is published and can no longer change")
RULE_NOT_FOUND = define("performance_rule_not_found", 404, "奖励规则不存在", "Reward rule not found")
RULE_INVALID = define("performance_rule_invalid", 422,
                      "规则无效：需设分数范围（下限低于上限）；奖金规则需金额，徽章规则需徽章名",
                      "Invalid rule: give a score range (minimum below the upper bound); a bonus needs an amount, "
                      "a badge rule a badge")
