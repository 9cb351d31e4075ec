"""Catalogue and quote errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

SERVICE_NOT_FOUND = define("service_not_found", 404, "服务不存在或已下架",
                           "The service does not exist or is not offered")
INVALID_REQUIREMENTS = define("invalid_requirements", 422, "服务需求填写有误",
                              "The service requirements are not valid")
