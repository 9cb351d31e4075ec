from tests.conftest import auth, sms_login

HOME = {"contact_name": "张女士", "contact_phone": "13800001000", "province": "上海市", "city": "上海市",
        "district": "徐汇区", "detail": "漕溪北路 88 号", "lat": 31.195, "lng": 121.438}


async def test_address_book(client, world):
    h = auth(world["token"])
    r = await client.post("/api/v1/addresses", json={**HOME, "detail": "新地址 1 号", "is_default": True}, headers=h)
    assert r.status_code == 201 and r.json()["region_id"] == world["region_id"] and r.json()["is_default"]
    new_id = r.json()["id"]
    listed = (await client.get("/api/v1/addresses", headers=h)).json()
    assert [a["is_default"] for a in listed] == [True, False] and listed[0]["id"] == new_id
    r = await client.post("/api/v1/addresses", json={**HOME, "city": "北京市", "lat": 39.9, "lng": 116.4}, headers=h)
    assert r.status_code == 201 and r.json()["region_id"] is None
    assert (await client.post("/api/v1/addresses", json={**HOME, "contact_phone": "123"}, headers=h)).status_code == 422
    assert (await client.post(f"/api/v1/addresses/{world['address_id']}/default", headers=h)).json()["is_default"]
    assert (await client.delete(f"/api/v1/addresses/{new_id}", headers=h)).status_code == 204
    assert new_id not in [a["id"] for a in (await client.get("/api/v1/addresses", headers=h)).json()]
    worker = await sms_login(client, "13912345678", "worker")
    assert (await client.get("/api/v1/addresses", headers=auth(worker["access_token"]))).status_code == 403
