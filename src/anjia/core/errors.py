"""RFC 9457 problem+json errors with stable codes and zh-CN / en messages."""
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger()

# code -> (status, zh-CN, en): core's own codes here; each domain declares its codes next to its
# code (`<domain>/errors.py`, registered with `define` when the domain package is imported).
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
    "forbidden": (403, "没有权限执行此操作", "You do not have permission for this action"),
    "account_disabled": (403, "账号已停用", "This account is disabled"),
    "idempotency_key_reused": (422, "幂等键已用于不同的请求", "The Idempotency-Key was used for a different request"),
    "idempotency_in_progress": (409, "相同请求正在处理中", "A request with this Idempotency-Key is in progress"),
    "internal_error": (500, "服务器开小差了，请稍后再试", "Something went wrong on our side"),
    "database_unavailable": (503, "数据库不可用", "The database is unavailable"),
}


def define(code: str, status: int, zh: str, en: str) -> str:
    """Register a domain's error code with the problem machinery; returns the code."""
    if MESSAGES.get(code, (status, zh, en)) != (status, zh, en):
        raise ValueError(f"error code {code!r} is defined twice, differently")
    MESSAGES[code] = (status, zh, en)
    return code


def responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for an endpoint or router: the statuses of these error codes, each listing its
    codes (the content, problem+json, is filled in by `document`)."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(MESSAGES[code][0], []).append(code)
    return {status: {"description": ", ".join(f"`{c}` {MESSAGES[c][2]}" for c in sorted(cs))}
            for status, cs in sorted(by_status.items())}


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
    if extra:  # more members, never in place of the standard ones (a `status` here broke the document)
        body.update({k: v for k, v in jsonable_encoder(extra).items() if k not in body})
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


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details: what every 4xx and 5xx answer carries (more members may follow,
    e.g. `alternatives` of `slot_unavailable`)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="stable error code; the apps show their own text for it")
    errors: list[FieldProblem] | None = None


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Finish the OpenAPI document: every error answer is problem+json (FastAPI documents its
    422 as an application/json `HTTPValidationError` the handler never sends); operations that
    take a bearer token list 401 and 403, operations with parameters or a body 422, with a body
    400 (malformed) and 413 (too large)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["Problem"] = problem_schema
    for item in schema.get("paths", {}).values():
        for op in item.values():
            responses = op.setdefault("responses", {})
            common = []
            if op.get("security"):
                common += ["401", "403"]
            if op.get("parameters") or op.get("requestBody"):
                common.append("422")
            if op.get("requestBody"):
                common += ["400", "413"]
            for status in common:
                responses.setdefault(status, {"description": _STATUS_TEXT[status]})
            for status, response in responses.items():
                own_format = response.pop("x-own-format", False)  # e.g. a payment provider's reply
                if status[0] in "45" and not own_format:
                    response["content"] = PROBLEM_CONTENT
    return schema


_STATUS_TEXT = {"400": "The body is not valid JSON (or form data)",
                "401": "Sign-in required, or the token is expired or invalid", "403": "Not allowed for this caller",
                "413": "The body is too large", "422": "Invalid parameters or body"}


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path, found by asking the routes as the router
    would (routes are one per method, so the router's own 405 names only the first it met).
    The static front-ends' catch-all mounts do not count."""
    from starlette.routing import Match, Mount
    from starlette.staticfiles import StaticFiles

    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        for route in request.app.router.routes:
            if isinstance(route, Mount) and isinstance(route.app, StaticFiles):
                continue
            if route.matches(scope)[0] == Match.FULL:
                allowed.append(method)
                break
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")
    return ", ".join(sorted(allowed))


RETRY_AFTER_SECONDS = 3
# SQLSTATEs of a server going away or not there yet: admin / crash shutdown, cannot connect now.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03"}


def database_unavailable(exc: BaseException) -> bool:
    """The database could not be reached (refused, closed, shutting down, starting up), as opposed
    to a statement it refused: the request may succeed when retried a little later."""
    import psycopg
    from sqlalchemy import exc as sa

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, (sa.InterfaceError, psycopg.InterfaceError)):
            return True
        if isinstance(exc, sa.TimeoutError):  # no pooled connection came free
            return True
        if isinstance(exc, psycopg.OperationalError):
            state = exc.sqlstate
            return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return False


def unavailable(request: Request):
    return problem(request, "database_unavailable", 503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


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
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "GET, HEAD")
        return problem(request, code, exc.status_code, headers=headers or None)

    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def _database(request: Request, exc: Exception):
        if database_unavailable(exc):
            log.warning("database_unavailable", path=request.url.path, error=str(exc).splitlines()[0][:200])
            return unavailable(request)
        log.exception("unhandled_error", path=request.url.path)
        return problem(request, "internal_error", 500)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception):
        # also what the middleware raise (e.g. Idempotency reaching the database)
        if database_unavailable(exc):
            log.warning("database_unavailable", path=request.url.path, error=str(exc).splitlines()[0][:200])
            return unavailable(request)
        log.exception("unhandled_error", path=request.url.path)
        return problem(request, "internal_error", 500)
