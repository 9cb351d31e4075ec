"""Workforce errors: sign-up, identity, certificates, review and employment decisions.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

WORKER_TRANSITION = define("worker_transition", 409, "当前状态不能执行此操作",
                           "This action is not possible in the worker's current status")
REASONS_REQUIRED = define("reasons_required", 422, "请选择原因", "Give at least one reason")
INVALID_ID_NUMBER = define("invalid_id_number", 422, "身份证号码不正确，请核对后重新输入",
                           "The ID number is not valid: check it and try again")
ID_NUMBER_TAKEN = define("id_number_taken", 409, "该身份证号码已注册过师傅账号",
                         "A worker account with this ID number already exists")
CERTIFICATE_EXPIRED = define("certificate_expired", 422, "证书已过期，请上传有效期内的证书",
                             "The certificate has expired: upload one that is still valid")
CERTIFICATE_DATES = define("certificate_dates", 422, "发证日期须早于有效期截止日", "The issue date must be before the expiry")
FILE_LOCKED = define("file_locked", 409, "资料审核中或已通过，暂不能修改",
                     "Your file is under review or approved and cannot be changed now")
FILE_INCOMPLETE = define("file_incomplete", 422, "资料不完整，请补充后再提交", "Your file is incomplete: complete it first")
UNKNOWN_SKILL = define("unknown_skill", 422, "没有这项服务技能", "There is no such skill")
CERTIFICATE_TRANSITION = define("certificate_transition", 409, "该证书当前不能执行此操作",
                                "This action is not possible for the certificate now")
