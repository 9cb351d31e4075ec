"""Commission rules: the most specific in force wins; finance's input is checked."""
from datetime import timedelta

from anjia.commission import service
from anjia.core.security import now
from tests.conftest import auth, staff_token
from tests.settlement.helpers import finance


async def add_rule(client, h, **body):
    r = await client.post("/api/v1/admin/settlement/rules", headers=h, json={"name": "规则", "kind": "percent", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def test_the_most_specific_rule_in_force_wins(client, session, world):
    h = await finance(client, session)
    kitchen, aircon, region = world["services"]["厨房深度清洁"], world["services"]["空调清洗"], world["region_id"]
    default = await add_rule(client, h, value=2000)
    by_level = await add_rule(client, h, value=1900, worker_level=2)
    by_region = await add_rule(client, h, value=1800, region_id=region)
    by_service = await add_rule(client, h, value=1500, service_id=kitchen)
    exact = await add_rule(client, h, kind="fixed", value=3000, service_id=kitchen, region_id=region, worker_level=3)
    later = await add_rule(client, h, value=1000, service_id=kitchen,
                        valid_from=(now() + timedelta(days=3)).isoformat())  # not yet in force
    archived = await add_rule(client, h, value=500, service_id=aircon, region_id=region, worker_level=1)
    assert (await client.delete(f"/api/v1/admin/settlement/rules/{archived['id']}", headers=h)).status_code == 204

    async def pick(service_id, level, at=None):
        rule = await service.matching_rule(session, service_id, region, level, at or now())
        return rule.id if rule else None

    assert await pick(kitchen, 3) == exact["id"]
    assert await pick(kitchen, 1) == by_service["id"]  # a service beats a region and a level
    assert await pick(aircon, 2) == by_region["id"]  # a region beats a level; the archived rule is out
    assert await pick(aircon + 10_000, 2) == by_region["id"]
    assert await pick(kitchen, 1, now() + timedelta(days=4)) == later["id"]  # newer among equals
    other_region = await service.matching_rule(session, aircon, region + 1, 2, now())
    assert other_region.id == by_level["id"]
    assert (await service.matching_rule(session, aircon, region + 1, 1, now())).id == default["id"]
    assert service.commission_of("percent", 2000, 12_345) == 2469  # rounded down: the worker keeps the fraction
    assert service.commission_of("fixed", 3000, 2000) == 2000  # never more than the order
    listed = (await client.get("/api/v1/admin/settlement/rules", headers=h)).json()
    assert archived["id"] not in [r["id"] for r in listed] and len(listed) == 6
    assert listed[-2]["service_name"] == "厨房深度清洁" and listed[-2]["region_name"]


async def test_rule_input_is_checked(client, session, world):
    h = await finance(client, session)
    for body in ({"value": -1}, {"value": 10_001}, {"value": 12.5}, {"value": "2000"},
                 {"value": 100, "worker_level": 0}, {"value": 100, "service_id": 999_999}):
        r = await client.post("/api/v1/admin/settlement/rules", headers=h, json={"name": "坏规则", "kind": "percent", **body})
        assert r.status_code == 422, (body, r.text)
    rule = await add_rule(client, h, kind="fixed", value=20_000)
    r = await client.patch(f"/api/v1/admin/settlement/rules/{rule['id']}", headers=h, json={"kind": "percent"})
    assert r.status_code == 422  # 20000 bp would be 200 %
    r = await client.patch(f"/api/v1/admin/settlement/rules/{rule['id']}", headers=h, json={"value": 1200, "kind": "percent"})
    assert r.status_code == 200 and r.json()["value"] == 1200
    support = auth(await staff_token(client, session, "support", ["support"]))
    assert (await client.get("/api/v1/admin/settlement/rules", headers=support)).status_code == 403
    auditor = auth(await staff_token(client, session, "auditor", ["auditor"]))
    assert (await client.get("/api/v1/admin/settlement/rules", headers=auditor)).status_code == 200
    r = await client.post("/api/v1/admin/settlement/rules", headers=auditor, json={"name": "x", "kind": "fixed", "value": 1})
    assert r.status_code == 403
