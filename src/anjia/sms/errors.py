"""SMS errors. Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

SMS_PHONE_REJECTED = define("sms_phone_rejected", 422, "该手机号无法接收短信，请检查号码或更换手机号",
                            "This number cannot receive text messages; check it or use another one")
SMS_UNAVAILABLE = define("sms_unavailable", 503, "短信服务暂不可用，请稍后再试",
                         "Text messages cannot be sent right now; try again later")
