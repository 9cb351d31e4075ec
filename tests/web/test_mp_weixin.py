"""The mini programs as WeChat runs them (issue 13 item 7): the built customer mp-weixin pages loaded with
miniprogram-simulate (web/customer/tests/mp/simulate.cjs) and the `wx` APIs stubbed render what the API answers;
the customer and worker bundles touch no DOM-only API outside a guard; their app.json declare the private
information the sources use; the customer AppID is the server's WECHAT_APPID setting."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import auth
from tests.support import ROOT, next_weekday

WEB = ROOT / "web"
CUSTOMER_MP = WEB / "customer" / "dist" / "build" / "mp-weixin"
SIMULATE = WEB / "customer" / "tests" / "mp" / "simulate.cjs"


def _built(root: Path) -> Path:
    assert (root / "app.json").exists(), f"build first: {root} is missing (make build; make test does)"
    return root


def simulate(tmp_path, scenario: dict) -> dict:
    node = shutil.which("node")
    assert node, "node is needed (make test installs the front-ends)"
    (tmp_path / "scenario.json").write_text(json.dumps(scenario, ensure_ascii=False))
    run = subprocess.run([node, str(SIMULATE), str(_built(CUSTOMER_MP)), str(tmp_path / "scenario.json")],
                         cwd=WEB / "customer", capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout)


async def test_home_service_and_order_pages_render_the_api_answers(tmp_path, client, world):
    """The API answers are recorded from the real app (so they have its shapes), then served by the wx.request
    stub; each page must show what only those answers contain."""
    service_id = world["services"]["全屋清洁"]
    h = auth(world["token"])
    r = await client.post("/api/v1/orders", headers=h, json={
        "service_id": service_id, "address_id": world["address_id"], "start": next_weekday(1, 10).isoformat(),
        "hours": 3, "options": {}})
    assert r.status_code == 201, r.text
    order = r.json()
    responses = {}
    for path in ["/api/v1/services", f"/api/v1/services/{service_id}", f"/api/v1/services/{service_id}/reviews",
                 "/api/v1/regions", "/api/v1/me", f"/api/v1/orders/{order['id']}",
                 *(f"/api/v1/orders/{order['id']}/{part}" for part in ("schedule-changes", "records", "payments"))]:
        r = await client.get(path, headers=h)
        assert r.status_code == 200, (path, r.text)
        responses[path] = r.json()
    categories = responses["/api/v1/services"]
    service = responses[f"/api/v1/services/{service_id}"]

    out = simulate(tmp_path, {
        "responses": responses,
        "storage": {"anjia.customer.access": world["token"], "anjia.customer.refresh": "r"},
        "pages": [{"path": "pages/home/index", "query": {}},
                  {"path": "booking/service/index", "query": {"id": str(service_id)}},
                  {"path": "booking/order/index", "query": {"id": str(order["id"])}}]})
    home, detail, order_page = out["pages"]
    print(json.dumps(out, ensure_ascii=False, indent=1)[:6000])
    assert out["errors"] == []  # console.error / console.warn of the runtime (Vue warnings included)

    assert "GET /api/v1/services" in home["calls"]
    for category in categories:
        assert category["name"] in home["text"]
    assert f"GET /api/v1/services/{service_id}" in detail["calls"]
    assert service["name"] in detail["text"]
    assert f"¥{service['items'][0]['unit_price'] / 100:g}/小时" in detail["text"]
    assert f"GET /api/v1/orders/{order['id']}" in order_page["calls"]
    assert order["number"] in order_page["text"]
    assert order["status_label"] in order_page["text"]
    assert service["name"] in order_page["text"]


async def test_pages_show_their_error_state_when_the_api_fails(tmp_path):
    """The same pages with every call answered 404: none of the content above, the error state instead."""
    out = simulate(tmp_path, {"responses": {}, "storage": {}, "pages": [
        {"path": "pages/home/index", "query": {}}, {"path": "booking/service/index", "query": {"id": "1"}}]})
    home, detail = out["pages"]
    assert home["unanswered"] == ["GET /api/v1/services"]
    assert "全屋清洁" not in home["text"] and "全屋清洁" not in detail["text"]
    assert "重试" in home["text"] and "重试" in detail["text"]


# Globals of a browser that WeChat's JS engine does not have: touching one outside a guard throws there.
DOM_ONLY = ("document", "window", "localStorage", "sessionStorage", "navigator", "location", "history",
            "XMLHttpRequest", "HTMLElement", "Element", "MutationObserver", "IntersectionObserver", "ResizeObserver",
            "requestAnimationFrame", "cancelAnimationFrame", "getComputedStyle", "matchMedia", "indexedDB",
            "FileReader", "Blob", "EventSource", "WebSocket", "Image", "Audio", "fetch", "alert", "atob", "btoa")
_NAMES = "|".join(DOM_ONLY)
_GLOBAL_USE = re.compile(rf"(?:\bnew\s+|\binstanceof\s+)({_NAMES})\b"
                         rf"|(?<![\w$.'\"`])({_NAMES})\b(?!\s*:)(?=\s*(?:\?\.|[.(\[]))")
_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
GUARD_WINDOW = 400  # a `typeof <name>` this many characters before the use guards it (minified: one expression)


def dom_only_uses(js: str) -> list[str]:
    """Unguarded uses of DOM-only globals in (minified) JS: `document.x`, `window.open(...)`, `new Image()`,
    `e instanceof HTMLElement` — not `e.location` (a property), not `"undefined"!=typeof document&&document.x`."""
    found = []
    js = _STRING.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], js)  # text is no code
    for m in _GLOBAL_USE.finditer(js):
        name = next(g for g in m.groups() if g)
        if not re.search(r"typeof\s*\(?\s*" + name + r"\b", js[max(0, m.start() - GUARD_WINDOW):m.start()]):
            found.append(js[max(0, m.start() - 60):m.end() + 40])
    return found


def test_the_scan_finds_unguarded_dom_uses_and_passes_guarded_ones():
    assert dom_only_uses('const a=document.querySelector("#x");')
    assert dom_only_uses("function f(){return window.innerWidth}")
    assert dom_only_uses("const i=new Image;")
    assert dom_only_uses("e instanceof HTMLElement&&e.focus()")
    assert dom_only_uses("localStorage.getItem('k')")
    assert dom_only_uses("n=fetch(u)")
    assert not dom_only_uses('"undefined"!=typeof document&&document.addEventListener("x",f)')
    assert not dom_only_uses('const t="function"==typeof fetch;const n=t?fetch.bind(globalThis):r')
    assert not dom_only_uses("const e=globalThis;return e.location&&e.location.host")
    assert not dom_only_uses("const o={document:1,window:2};o.window.x")
    assert not dom_only_uses('const m={"od.sharing":"Sharing location (every 30 s)",b:\'see window.open()\'}')
    assert dom_only_uses('const m={a:"x\\"y"};window.open(m.a)')


@pytest.mark.parametrize("app_name", ["customer", "worker"])
def test_mp_weixin_bundle_touches_no_dom_only_api_outside_a_guard(app_name):
    root = _built(WEB / app_name / "dist" / "build" / "mp-weixin")
    found = {f.relative_to(root).as_posix(): uses for f in sorted(root.rglob("*.js"))
             if (uses := dom_only_uses(f.read_text(errors="replace")))}
    assert sum(1 for _ in root.rglob("*.js")) > 20
    assert not found, "DOM-only APIs in the mini program (guard with typeof, or use uni.*):\n" + json.dumps(
        found, ensure_ascii=False, indent=1)


# WeChat's private-information APIs (requiredPrivateInfos lists the location ones an app calls) and the
# camera / album ones that go through the user's privacy authorization (__usePrivacyCheck__).
LOCATION_APIS = ("getLocation", "chooseLocation", "getFuzzyLocation", "onLocationChange", "startLocationUpdate",
                 "startLocationUpdateBackground", "choosePoi", "chooseAddress")
NEEDS_USER_LOCATION = ("getLocation", "onLocationChange", "startLocationUpdate", "startLocationUpdateBackground")
CAMERA_ALBUM_APIS = ("chooseImage", "chooseMedia", "chooseVideo", "saveImageToPhotosAlbum",
                     "saveVideoToPhotosAlbum", "createCameraContext")


def _apis_called(app_name: str) -> set[str]:
    sources = [*(WEB / app_name / "src").rglob("*.vue"), *(WEB / app_name / "src").rglob("*.ts"),
               *(WEB / "shared" / "src").rglob("*.vue"), *(WEB / "shared" / "src").rglob("*.ts")]
    names = "|".join(LOCATION_APIS + CAMERA_ALBUM_APIS)
    return {m for f in sources for m in re.findall(rf"\b(?:uni|wx)\.({names})\b", f.read_text())}


@pytest.mark.parametrize("app_name", ["customer", "worker"])
def test_mp_weixin_declares_the_private_information_it_uses(app_name):
    app_json = json.loads((_built(WEB / app_name / "dist" / "build" / "mp-weixin") / "app.json").read_text())
    called = _apis_called(app_name)
    assert called, "the scan of the sources found no privacy API at all"
    assert set(app_json.get("requiredPrivateInfos", [])) == {a for a in called if a in LOCATION_APIS}
    if any(a in NEEDS_USER_LOCATION for a in called):
        assert app_json["permission"]["scope.userLocation"]["desc"].strip()
    if app_json.get("permission", {}).get("scope.userLocation"):
        assert 0 < len(app_json["permission"]["scope.userLocation"]["desc"]) <= 30  # WeChat's limit
    if called & set(LOCATION_APIS + CAMERA_ALBUM_APIS):
        assert app_json.get("__usePrivacyCheck__") is True


def test_customer_mp_weixin_appid_comes_from_settings():
    from anjia.config import get_settings

    project = json.loads((_built(CUSTOMER_MP) / "project.config.json").read_text())
    assert project["appid"] == (get_settings().wechat_appid or "touristappid")
