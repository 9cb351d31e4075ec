"""RFC 9457 problem+json errors with stable codes and zh-CN / en messages."""
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger()

# code -> (status, zh-CN, en)
MESSAGES: dict[str, tuple[int, str, str]] = {
    "validation_error": (422, "请求参数有误", "The request has invalid fields"),
    "malformed_json": (400, "请求体不是有效的 JSON", "The request body is not valid JSON"),
    "body_too_large": (413, "请求体过大", "The request body is too large"),
    "json_too_deep": (422, "请求体嵌套层级过深", "The JSON body is nested too deeply"),
    "not_found": (404, "资源不存在", "Not found"),
    "method_not_allowed": (405, "不支持该请求方法", "Method not allowed"),
    "not_authenticated": (401, "请先登录", "Sign-in required"),
    "token_expired": (401, "登录已过期，请重新登录", "Your session has expired"),
    "token_invalid": (401, "登录凭证无效", "The access token is invalid"),
    "refresh_token_invalid": (401, "登录凭证无效，请重新登录", "The refresh token is invalid"),
    "refresh_token_reused": (401, "登录凭证已被使用，已为安全起见退出所有设备", "The refresh token was reused; all sessions of this sign-in were revoked"),
    "forbidden": (403, "没有权限执行此操作", "You do not have permission for this action"),
    "invalid_phone": (422, "手机号格式不正确", "The phone number is not valid"),
    "sms_rate_limited": (429, "验证码发送过于频繁，请稍后再试", "Too many codes requested; try again later"),
    "sms_code_invalid": (400, "验证码错误", "The code is wrong"),
    "sms_code_expired": (400, "验证码已过期，请重新获取", "The code has expired; request a new one"),
    "sms_code_locked": (400, "错误次数过多，请重新获取验证码", "Too many wrong tries; request a new code"),
    "invalid_credentials": (400, "账号或密码错误", "Wrong account or password"),
    "account_disabled": (403, "账号已停用", "This account is disabled"),
    "consent_required": (400, "请先阅读并同意隐私政策", "Please accept the privacy policy first"),
    "email_taken": (409, "该邮箱已注册", "This email is already registered"),
    "phone_taken": (409, "该手机号已被其他账号使用", "This phone number is used by another account"),
    "username_taken": (409, "用户名已存在", "This username is taken"),
    "email_token_invalid": (400, "验证链接无效或已过期", "The verification link is invalid or expired"),
    "email_not_verified": (400, "邮箱尚未验证", "The email address is not verified yet"),
    "weak_password": (422, "密码至少 8 位，且包含字母和数字", "Use at least 8 characters with letters and digits"),
    "wrong_password": (400, "原密码错误", "The current password is wrong"),
    "wechat_not_configured": (400, "未配置微信小程序登录", "WeChat login is not configured"),
    "wechat_code_invalid": (400, "微信登录失败，请重试", "WeChat sign-in failed; try again"),
    "wechat_binding_invalid": (400, "微信绑定已过期，请重新登录", "The WeChat binding expired; sign in again"),
    "wrong_app": (403, "该账号不能登录此应用", "This account cannot sign in to this app"),
    "idempotency_key_reused": (422, "幂等键已用于不同的请求", "The Idempotency-Key was used for a different request"),
    "idempotency_in_progress": (409, "相同请求正在处理中", "A request with this Idempotency-Key is in progress"),
    "invalid_role": (422, "角色不存在", "Unknown role"),
    "cannot_demote_self": (400, "不能移除自己的管理员角色", "You cannot remove your own admin role"),
    "service_not_found": (404, "服务不存在或已下架", "The service does not exist or is not offered"),
    "invalid_requirements": (422, "服务需求填写有误", "The service requirements are not valid"),
    "address_outside_service_area": (422, "该地址不在服务范围内", "This address is outside our service area"),
    "too_many_addresses": (422, "地址数量已达上限", "You have too many addresses"),
    "slot_unavailable": (409, "该时段已约满，请选择其他时间", "That time is no longer free; pick another"),
    "start_in_past": (422, "预约时间已过", "The start time is in the past"),
    "start_too_soon": (422, "预约时间太近，请选择更晚的时间", "The start time is too soon"),
    "start_beyond_horizon": (422, "超出可预约的日期范围", "The start time is too far ahead"),
    "outside_opening_hours": (422, "不在服务时间内", "Outside service hours"),
    "date_out_of_range": (422, "日期超出可查询范围", "The dates are out of range"),
    "order_not_found": (404, "订单不存在", "Order not found"),
    "order_not_modifiable": (409, "师傅已接单，订单不能再修改", "The order can no longer be changed"),
    "order_not_cancellable": (409, "服务已开始，订单不能取消", "The order can no longer be cancelled"),
    "illegal_transition": (409, "订单当前状态不允许此操作", "Not allowed in the order's current state"),
    "plan_not_found": (404, "周期服务不存在", "Plan not found"),
    "plan_not_active": (409, "周期服务已结束", "The plan has ended"),
    "invalid_rrule": (422, "重复规则无效", "The recurrence rule is not valid"),
    "offer_taken": (409, "订单已被其他师傅接走", "Someone else took this order"),
    "offer_expired": (409, "接单已超时", "The offer has expired"),
    "worker_busy": (409, "该时段师傅已有安排", "The worker is booked at that time"),
    "worker_not_eligible": (422, "该师傅不具备此服务技能", "This worker cannot do this service"),
    "check_in_too_far": (422, "距离服务地址太远，请说明原因后再打卡", "Too far from the address: explain to check in"),
    "not_in_service": (409, "当前没有进行中的服务", "No order is on the way or in service"),
    "unsupported_media": (415, "文件格式不支持，请上传照片（JPG/PNG/WebP）或视频（MP4）", "Upload a photo (JPG/PNG/WebP) or a video (MP4)"),
    "upload_too_large": (413, "文件太大", "The file is too large"),
    "video_too_long": (422, "视频不能超过 60 秒", "Videos may be 60 seconds at most"),
    "invalid_video": (422, "视频文件已损坏或不完整", "The video is damaged or incomplete"),
    "schedule_change_closed": (409, "已过可调整时间或申请已处理", "Too late to change, or already decided"),
    "schedule_change_pending": (409, "已有待处理的改期申请", "A schedule change is already pending"),
    "internal_error": (500, "服务器开小差了，请稍后再试", "Something went wrong on our side"),
    "database_unavailable": (503, "数据库不可用", "The database is unavailable"),
}


def lang_of(request: Request) -> str:
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "zh"


def message(code: str, lang: str) -> str:
    _, zh, en = MESSAGES.get(code, MESSAGES["internal_error"])
    return en if lang == "en" else zh


class AppError(Exception):
    """A domain error with a stable code; the handler renders problem+json."""

    def __init__(self, code: str, *, status: int | None = None, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(code)
        self.code = code
        self.status = status or MESSAGES.get(code, (400,))[0]
        self.errors = errors
        self.headers = headers
        self.extra = extra  # more members of the problem document (e.g. alternatives)


def problem(request: Request, code: str, status: int, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> JSONResponse:
    lang = lang_of(request)
    body: dict[str, Any] = {
        "type": f"https://anjia.dev/problems/{code}",
        "title": message(code, lang),
        "status": status,
        "detail": message(code, lang),
        "code": code,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(jsonable_encoder(extra))
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated", 403: "forbidden",
               413: "body_too_large"}

_FIELD_ZH = {
    "missing": "必填", "string_too_short": "太短", "string_too_long": "太长", "value_error": "格式不正确",
    "string_pattern_mismatch": "格式不正确", "int_parsing": "应为整数", "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内", "greater_than_equal": "太小", "less_than_equal": "太大",
    "greater_than": "太小", "less_than": "太大", "string_type": "应为文本", "int_type": "应为整数",
    "string_unicode": "含有无效字符", "timezone_aware": "需要带时区的时间", "date_parsing": "日期格式不正确",
    "date_from_datetime_parsing": "日期格式不正确", "datetime_parsing": "时间格式不正确",
    "datetime_from_date_parsing": "时间格式不正确", "too_long": "太多", "too_short": "太少",
    "extra_forbidden": "不支持的字段", "bool_type": "应为是或否", "bool_parsing": "应为是或否",
    "float_parsing": "应为数字", "float_type": "应为数字",
}


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError):
        return problem(request, exc.code, exc.status, exc.errors, exc.headers, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        lang = lang_of(request)
        errors = []
        for e in exc.errors():
            if e.get("type") == "json_invalid":
                return problem(request, "malformed_json", 400)
            loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header")]
            msg = e.get("msg", "") if lang == "en" else _FIELD_ZH.get(e.get("type", ""), e.get("msg", ""))
            errors.append({"field": ".".join(loc) or "body", "message": msg})
        return problem(request, "validation_error", 422, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, "validation_error" if exc.status_code < 500 else "internal_error")
        return problem(request, code, exc.status_code)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception):
        log.exception("unhandled_error", path=request.url.path)
        return problem(request, "internal_error", 500)
