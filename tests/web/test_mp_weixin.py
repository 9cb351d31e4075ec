"""The customer mini program as WeChat runs it (issue 13 item 7): the built mp-weixin pages loaded with
miniprogram-simulate (web/customer/tests/mp/simulate.cjs) and the `wx` APIs stubbed render what the API answers."""
import json
import shutil
import subprocess
from pathlib import Path

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
