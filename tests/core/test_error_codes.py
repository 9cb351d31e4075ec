"""Error codes: each domain declares its own (`<domain>/errors.py`), core only its own, and every
code the code raises is registered, so no answer falls back to a wrong status or text."""
import re
from pathlib import Path

import anjia
from anjia.core import errors

SRC = Path(anjia.__file__).parent
RAISED = re.compile(r'AppError\(\s*"([a-z_]+)"')
CORE = {"validation_error", "malformed_json", "body_too_large", "json_too_deep", "not_found", "method_not_allowed",
        "not_authenticated", "token_expired", "token_invalid", "forbidden", "account_disabled",
        "idempotency_key_reused", "idempotency_in_progress", "internal_error", "database_unavailable",
        "unsupported_media", "upload_too_large", "video_too_long", "invalid_video",  # core.media's
        "storage_unavailable", "direct_upload_unavailable", "upload_missing"}  # core.storage's


def domain_codes() -> dict[str, set[str]]:
    out = {}
    for path in SRC.glob("*/errors.py"):
        if path.parent.name != "core":
            out[path.parent.name] = set(re.findall(r'define\(\s*"([a-z_]+)"', path.read_text()))
    return out


def test_every_raised_code_is_registered():
    import anjia.app  # noqa: F401  (imports every domain)

    raised = {code for path in SRC.rglob("*.py") for code in RAISED.findall(path.read_text())}
    assert raised and not raised - set(errors.MESSAGES), raised - set(errors.MESSAGES)


def test_domains_declare_their_codes_and_core_only_its_own():
    import anjia.app  # noqa: F401

    declared = domain_codes()
    assert {"accounts", "orders", "plans", "dispatch", "fieldwork", "catalog", "scheduling", "addresses"} <= set(declared)
    every = [c for codes in declared.values() for c in codes]
    assert len(every) == len(set(every)), "a code is declared by two domains"
    assert set(errors.MESSAGES) == CORE | set(every)
    core_source = (SRC / "core" / "errors.py").read_text()
    assert not [c for c in every if f'"{c}"' in core_source]


def test_define_refuses_a_conflicting_second_definition():
    errors.define("test_only_code", 409, "冲突", "Conflict")
    errors.define("test_only_code", 409, "冲突", "Conflict")  # the same again is harmless
    try:
        errors.define("test_only_code", 400, "冲突", "Conflict")
    except ValueError:
        pass
    else:
        raise AssertionError("a second, different definition must be refused")
    finally:
        errors.MESSAGES.pop("test_only_code")


# Answers in someone else's protocol: payment providers expect their own failure replies.
OWN_FORMAT = {("post", "/api/v1/payments/notify/{provider}", "400")}


def test_every_error_answer_is_documented_as_problem_json(app):
    doc = app.openapi()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if status[0] in "45" and (method, path, status) not in OWN_FORMAT:
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
            if op.get("security"):
                assert {"401", "403"} <= set(op["responses"]), (method, path)
    orders = doc["paths"]["/api/v1/orders/{order_id}"]["get"]["responses"]
    assert "order_not_found" in orders["404"]["description"]
