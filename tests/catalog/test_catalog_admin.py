from tests.conftest import auth, staff_token


async def test_catalog_lists_categories_with_etag(client, world):
    r = await client.get("/api/v1/services")
    assert r.status_code == 200
    names = [c["name"] for c in r.json()]
    assert names == ["日常保洁", "深度保洁", "家电清洗", "家居保养", "保姆", "月嫂", "老人护理", "病人护理"]
    etag = r.headers["etag"]
    assert (await client.get("/api/v1/services", headers={"If-None-Match": etag})).status_code == 304
    found = (await client.get("/api/v1/services", params={"q": "空调"})).json()
    assert [s["name"] for c in found for s in c["services"]] == ["空调清洗"]


async def test_admin_edits_are_validated_audited_and_bust_the_etag(client, world, session):
    token = await staff_token(client, session, "boss", ["admin"])
    h = auth(token)
    etag = (await client.get("/api/v1/services")).headers["etag"]
    sid = world["services"]["空调清洗"]
    svc = (await client.get(f"/api/v1/admin/services/{sid}", headers=h)).json()
    items = svc["items"]
    items[0]["unit_price"] = 9000
    r = await client.patch(f"/api/v1/admin/services/{sid}", json={"items": items}, headers=h)
    assert r.status_code == 200 and r.json()["items"][0]["unit_price"] == 9000
    assert (await client.get("/api/v1/services", headers={"If-None-Match": etag})).status_code == 200
    # bad definitions are refused whole
    r = await client.patch(f"/api/v1/admin/services/{sid}", json={"items": []}, headers=h)
    assert r.status_code == 422
    r = await client.patch(f"/api/v1/admin/services/{sid}", json={"options": [{"code": "x", "type": "single",
                                                                                "label": "无选项"}]}, headers=h)
    assert r.status_code == 422
    # unpublish hides it from customers
    assert (await client.patch(f"/api/v1/admin/services/{sid}", json={"published": False}, headers=h)).status_code == 200
    assert (await client.get(f"/api/v1/services/{sid}")).status_code == 404
    logs = (await client.get("/api/v1/admin/audit-logs", headers=h)).json()["items"]
    assert [e["action"] for e in logs][:2] == ["catalog.service.update", "catalog.service.update"]
    assert logs[-1]["before"]["items"][0]["unit_price"] == 8000


async def test_region_price_override(client, world, session):
    h = auth(await staff_token(client, session, "boss", ["admin"]))
    sid = world["services"]["厨房深度清洁"]
    r = await client.put(f"/api/v1/admin/services/{sid}/region-prices", headers=h, json={
        "prices": [{"region_id": world["region_id"], "item_code": "kitchen_deep", "unit_price": 29800}]})
    assert r.status_code == 204
    q = (await client.post("/api/v1/quotes", json={"service_id": sid, "items": [{"code": "kitchen_deep", "quantity": 1}],
                                                   "region_id": world["region_id"]})).json()
    assert q["lines"][0]["unit_price"] == 29800
    detail = (await client.get(f"/api/v1/services/{sid}", params={"region_id": world["region_id"]})).json()
    assert detail["items"][0]["unit_price"] == 29800


async def test_rules_and_holidays_drive_the_price(client, world, session):
    from tests.support import next_weekday

    h = auth(await staff_token(client, session, "boss", ["admin"]))
    rules = (await client.get("/api/v1/admin/booking-rules", headers=h)).json()
    rules.update(evening_surcharge_bp=2000, evening_start="17:00")
    assert (await client.put("/api/v1/admin/booking-rules", json=rules, headers=h)).status_code == 200
    sid = world["services"]["厨房清洁"]
    day = next_weekday(2, 17)
    body = {"service_id": sid, "items": [{"code": "kitchen", "quantity": 1}], "start": day.isoformat()}
    q = (await client.post("/api/v1/quotes", json=body)).json()
    assert q["surcharge_total"] == 12000 * 2000 // 10000 and q["lines"][-1]["code"] == "evening"
    assert (await client.post("/api/v1/admin/holidays", json={"day": day.date().isoformat(), "name": "测试节"},
                              headers=h)).status_code == 201
    q = (await client.post("/api/v1/quotes", json=body)).json()
    assert q["lines"][-1]["code"] == "holiday"
    bad = dict(rules, slot_step_minutes=7)
    assert (await client.put("/api/v1/admin/booking-rules", json=bad, headers=h)).status_code == 422
