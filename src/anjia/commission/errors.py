"""Commission errors."""
from anjia.core.errors import define

RULE_NOT_FOUND = define("commission_rule_not_found", 404, "佣金规则不存在", "Commission rule not found")
