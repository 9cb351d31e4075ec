"""Rules of the front-end source (web/*/src) that keep the typed client honest and the screens small.

- no `as unknown as`: a cast through unknown hides a wrong type (the apps once cast the generated client away);
- no hand-written copy of a generated response schema: an `interface` or object `type` named like a schema in
  web/shared/src/api/schema.d.ts, or a field list of a schema, means an alias was due
  (`type Order = components['schemas']['OrderOut']`);
- no field-name guesses: `final_total ?? final_price`-style fallbacks between names the schema does not have;
- no `.vue` file over 500 lines: split into composables (useXxx.ts) and panels.
"""

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"
APPS = ("shared", "customer", "worker", "admin")
MAX_VUE_LINES = 500
SCHEMA = WEB / "shared" / "src" / "api" / "schema.d.ts"
# Platform shims where no generated type is involved: uni.request's answer stands in for a fetch Response,
# and uni.connectSocket's options object is wider than the socket factory's parameter.
CAST_ALLOWED = {
    "shared/src/api/mini-fetch.ts",
    "shared/src/realtime/live.ts",
}


def is_test(p: Path) -> bool:
    return "__tests__" in p.parts or p.name.endswith((".spec.ts", ".test.ts"))


def sources(*suffixes: str) -> list[Path]:
    """The apps' source files (not their unit tests, not the generated schema)."""
    out = []
    for app in APPS:
        for p in (WEB / app / "src").rglob("*"):
            if p.suffix in suffixes and p.is_file() and p != SCHEMA and not is_test(p) and "node_modules" not in p.parts:
                out.append(p)
    return sorted(out)


def rel(p: Path) -> str:
    return p.relative_to(WEB).as_posix()


def schema_names() -> set[str]:
    text = SCHEMA.read_text()
    block = text[text.index("    schemas: {"):text.index("    responses:")]
    return set(re.findall(r"^        ([A-Za-z_][A-Za-z0-9_]*): \{", block, re.M))


def test_the_rules_see_the_sources():
    assert len(sources(".ts", ".vue")) > 100
    assert {"OrderOut", "WorkerOrderOut", "ServiceOut", "NotificationOut"} <= schema_names()


def test_no_cast_through_unknown():
    found = [f"{rel(p)}:{i}" for p in sources(".ts", ".vue") if rel(p) not in CAST_ALLOWED
             for i, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"\bas\s+unknown\s+as\b", line)]
    assert found == [], "cast through unknown (use the generated type): " + ", ".join(found)


def test_no_hand_written_copy_of_a_response_schema():
    names = schema_names()
    # the app-side names the hand-written copies had (Order, Service, WorkerOrder …) plus every schema name
    copied = names | {n.removesuffix("Out") for n in names if n.endswith("Out")} | {
        "Order", "OrderSummary", "Service", "WorkerOrder", "Offer", "Plan", "Quote", "Address", "Region",
        "Availability", "ServiceRecord", "ScheduleChange", "AppNotification", "NotificationPage", "LiveWorker",
        "WorkerAvailability", "TimelineEntry", "Category", "Page"}
    decl = re.compile(r"^\s*(?:export\s+)?(?:interface\s+(\w+)|type\s+(\w+)(?:<[^=]*>)?\s*=\s*\{)", re.M)
    found = []
    for p in sources(".ts", ".vue"):
        for m in decl.finditer(p.read_text()):
            name = m.group(1) or m.group(2)
            if name in copied:
                found.append(f"{rel(p)}: {name}")
    assert found == [], "alias the generated schema instead of writing it out: " + ", ".join(found)


def test_no_guessed_field_names():
    guesses = re.compile(r"final_total\s*\?\?\s*\w*\.?final_price|final_price\s*\?\?|final_amount|"
                         r"\.count\s*\?\?|unread\s*\?\?\s*\w+\.count")
    found = [f"{rel(p)}:{i}" for p in sources(".ts", ".vue")
             for i, line in enumerate(p.read_text().splitlines(), 1) if guesses.search(line)]
    assert found == [], "read the field the schema names: " + ", ".join(found)


def test_no_vue_file_over_500_lines():
    big = {rel(p): n for p in sources(".vue") if (n := len(p.read_text().splitlines())) > MAX_VUE_LINES}
    assert big == {}, f"split into composables and panels (at most {MAX_VUE_LINES} lines): {big}"


def test_every_schema_has_its_own_name():
    """Two models of one name come out as `anjia__<package>__schemas__Name`: the apps' aliases
    (S['PayIn'], S['RejectIn']) then break. Name models apart (the settlement's PayIn became PayoutIn)."""
    clashes = sorted(n for n in schema_names() if n.startswith("anjia__"))
    assert clashes == [], "two models share a name: " + ", ".join(clashes)
