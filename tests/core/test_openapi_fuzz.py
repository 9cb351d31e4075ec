"""Schema-driven fuzzing of the whole API (schemathesis): every operation of the OpenAPI document,
called in-process (ASGI) against the real test database, anonymously and as a customer, a worker
and a staff admin signed in through the real sign-in endpoints. Checks: no server error, every
status the API answers is documented for the operation, and bodies and content types match the
document. A fixed seed (derandomised Hypothesis) and a bounded number of examples keep the run
repeatable and short; `FUZZ_EXAMPLES=n` runs more.

`DELETE /api/v1/me` (deletes the caller's account, which would sign the fuzzer out) is left out."""
import os
import time
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import sms_login, staff_token

EXCLUDED = {("DELETE", "/api/v1/me")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))  # per operation and mode, by the callers it is for
REFUSED_EXAMPLES = 1  # by a caller the operation refuses (anonymous on a token route, a customer on /admin/...)


@dataclass
class Figures:
    operations: set[str] = field(default_factory=set)
    examples: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)


def audience(path: str) -> str:
    if path.startswith("/api/v1/admin"):
        return "admin"
    if path.startswith("/api/v1/worker"):
        return "worker"
    return "customer"


def fuzz(operation, caller: str, headers: dict[str, str], mode: GenerationMode, n: int, figures: Figures) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=n, deadline=None, derandomize=True, database=None, print_blob=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        figures.examples += 1
        try:
            response = case.call(headers=headers)
        except Exception as e:  # in-process, an unhandled error reaches the caller after its 500
            figures.failures.setdefault((label, f"Server error: {type(e).__name__}"),
                                        f"[{caller}, {mode.value}] {str(e).splitlines()[0][:300]}")
            return
        figures.statuses[response.status_code] = figures.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as e:  # collect every distinct failure, not just the first
            kinds = sorted({getattr(f, "title", type(f).__name__) for f in getattr(e, "exceptions", [e])})
            for kind in kinds:
                figures.failures.setdefault((label, kind), f"[{caller}, {mode.value}] {response.status_code}: "
                                                          f"{response.text[:300]}")

    try:
        run()
    except Unsatisfiable:  # nothing to negate (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE, label
    figures.operations.add(label)


@pytest.fixture
async def callers(client, session, world):
    customer = await sms_login(client, "13800001000", "customer")
    worker = await sms_login(client, "13900001000", "worker")
    admin = await staff_token(client, session, "fuzz-admin", ["admin"])
    return {"anonymous": {}, "customer": {"Authorization": f"Bearer {customer['access_token']}"},
            "worker": {"Authorization": f"Bearer {worker['access_token']}"},
            "admin": {"Authorization": f"Bearer {admin}"}}


def test_every_operation_under_fuzzing(app, callers):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if (op.method.upper(), op.path) not in EXCLUDED]
    figures = Figures()
    started = time.perf_counter()
    for caller, headers in callers.items():
        for op in operations:
            public = not op.definition.raw.get("security")
            if (caller == "anonymous") == public and (public or audience(op.path) == caller):
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    fuzz(op, caller, headers, mode, EXAMPLES, figures)
            else:
                fuzz(op, caller, headers, GenerationMode.POSITIVE, REFUSED_EXAMPLES, figures)
    seconds = time.perf_counter() - started
    summary = (f"fuzzed {len(figures.operations)} operations, {figures.examples} requests in {seconds:.0f} s; "
               f"statuses {dict(sorted(figures.statuses.items()))}")
    print(summary)
    assert not figures.failures, summary + "\n" + "\n".join(
        f"{label} — {kind}: {detail}" for (label, kind), detail in sorted(figures.failures.items()))
