"""Workforce errors: sign-up, identity, certificates, review and employment decisions.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

WORKER_TRANSITION = define("worker_transition", 409, "当前状态不能执行此操作",
                           "This action is not possible in the worker's current status")
REASONS_REQUIRED = define("reasons_required", 422, "请选择原因", "Give at least one reason")
