"""The console's customers: search by name, whole phone or its last four digits, district, segment and tag filters,
masked phones; the profile gathered from its owners (full phone and addresses only for
personal.read, audited); tags and notes audited; the CSV export by role and audited; bad input."""
from sqlalchemy import text

from anjia.customers import segments
from tests.conftest import auth, staff_token
from tests.customers.helpers import customer, past_order


async def _people(session, world):
    a = await customer(session, "13911112222", "王小明", days_ago=200, district="静安区", detail="南京西路 1266 号")
    b = await customer(session, "13933334444", "陈丽", days_ago=100, district="浦东新区", detail="世纪大道 100 号")
    await past_order(session, world, a.id, days_ago=10, total=30_000)
    await past_order(session, world, a.id, days_ago=40, total=20_000, refunded=5_000)
    await past_order(session, world, b.id, days_ago=120, total=15_000)
    await segments.recompute(session)
    await session.commit()
    return a, b


async def _audits(engine, action):
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT actor_name, target_id, before, after FROM audit_logs "
                                        "WHERE action = :a ORDER BY id"), {"a": action})).all()


async def test_search_by_name_phone_and_address_with_masked_phones(client, session, world):
    a, b = await _people(session, world)
    h = auth(await staff_token(client, session, "yunying", ["marketing"]))

    async def ids(**query):
        r = await client.get("/api/v1/admin/customers", params=query, headers=h)
        assert r.status_code == 200, r.text
        return [row["id"] for row in r.json()["items"]]

    assert await ids(q="小明") == [a.id]
    assert await ids(q="13933334444") == [b.id]  # the whole number (its keyed hash)
    assert await ids(q="4444") == [b.id]  # the last four digits (the only part in clear)
    assert await ids(q="3333") == []  # other fragments of a sealed number are not searchable
    assert await ids(q="南京西路") == []  # nor the sealed street
    assert await ids(q="浦东") == [b.id]  # a district
    assert await ids(q="100%") == []  # LIKE wildcards are searched as text
    assert set(await ids()) == {a.id, b.id, world["customer_id"]}
    assert await ids(segment="active") == [a.id]
    assert await ids(segment="at_risk") == [b.id]
    row = (await client.get("/api/v1/admin/customers", params={"q": "小明"}, headers=h)).json()["items"][0]
    assert row["phone"] == "139****2222"
    assert (row["orders"], row["spend"], row["segment"], row["area"]) == (2, 45_000, "active", "上海市静安区")


async def test_tags_filter_and_are_audited(client, session, world, engine):
    a, b = await _people(session, world)
    h = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.post(f"/api/v1/admin/customers/{a.id}/tags", json={"tag": " VIP "}, headers=h)
    assert r.status_code == 200, r.text
    assert [t["tag"] for t in r.json()] == ["VIP"]
    r = await client.post(f"/api/v1/admin/customers/{a.id}/tags", json={"tag": "VIP"}, headers=h)
    assert [t["tag"] for t in r.json()] == ["VIP"]  # once
    await client.post(f"/api/v1/admin/customers/{b.id}/tags", json={"tag": "企业客户"}, headers=h)
    items = (await client.get("/api/v1/admin/customers", params={"tag": "VIP"}, headers=h)).json()["items"]
    assert [(x["id"], x["tags"]) for x in items] == [(a.id, ["VIP"])]
    tags = (await client.get("/api/v1/admin/customers/tags", headers=h)).json()
    assert {(t["tag"], t["customers"]) for t in tags} == {("VIP", 1), ("企业客户", 1)}

    r = await client.delete(f"/api/v1/admin/customers/{a.id}/tags/VIP", headers=h)
    assert r.status_code == 200 and r.json() == []
    r = await client.delete(f"/api/v1/admin/customers/{a.id}/tags/VIP", headers=h)
    assert r.status_code == 404 and r.json()["code"] == "customer_tag_not_found"
    rows = await _audits(engine, "customer.tag.add")
    assert rows[0].actor_name == "yunying" and rows[0].before == {"tags": []} and rows[0].after["tags"] == ["VIP"]
    removed = await _audits(engine, "customer.tag.remove")
    assert len(removed) == 1 and removed[0].before == {"tags": ["VIP"]} and removed[0].after["tags"] == []


async def test_profile_full_for_personal_read_and_audited_masked_otherwise(client, session, world, engine):
    a, _ = await _people(session, world)
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    marketing = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.post(f"/api/v1/admin/customers/{a.id}/notes", json={"body": "喜欢周末上午服务"}, headers=support)
    assert r.status_code == 201, r.text

    full = (await client.get(f"/api/v1/admin/customers/{a.id}", headers=support)).json()
    assert full["phone"] == "13911112222" and not full["phone_masked"]
    assert full["addresses"][0]["detail"] == "南京西路 1266 号"
    assert (full["figures"]["counted"], full["figures"]["spend"], full["figures"]["average"]) == (2, 45_000, 22_500)
    assert full["segment"]["segment"] == "active" and len(full["segment_history"]) == 1
    assert [n["body"] for n in full["notes"]] == ["喜欢周末上午服务"]
    assert len(full["orders"]) == 2 and full["reviews_total"] == 0 and full["tickets_total"] == 0
    reads = await _audits(engine, "personal_data.read")
    assert [(x.actor_name, x.target_id) for x in reads] == [("kefu", str(a.id))]

    masked = (await client.get(f"/api/v1/admin/customers/{a.id}", headers=marketing)).json()
    assert masked["phone"] == "139****2222" and masked["phone_masked"]
    assert masked["addresses"][0]["detail"] == "****" and masked["addresses"][0]["contact_phone"] == "139****2222"
    assert len(await _audits(engine, "personal_data.read")) == 1  # no full read, nothing to audit
    assert (await _audits(engine, "customer.note.add"))[0].after["body"] == "喜欢周末上午服务"

    orders = (await client.get(f"/api/v1/admin/customers/{a.id}/orders", params={"page_size": 1},
                               headers=marketing)).json()
    assert orders["total"] == 2 and len(orders["items"]) == 1


async def test_export_is_by_role_and_audited(client, session, world, engine):
    await _people(session, world)
    marketing = auth(await staff_token(client, session, "yunying", ["marketing"]))
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    assert (await client.get("/api/v1/admin/customers/export", headers=support)).status_code == 403
    r = await client.get("/api/v1/admin/customers/export", params={"segment": "active"}, headers=marketing)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "139****2222" in lines[1] and "13911112222" not in r.text
    rows = await _audits(engine, "customers.export")
    assert len(rows) == 1 and rows[0].after == {"q": None, "segment": "active", "tag": None, "rows": 1}


async def test_access_and_bad_input(client, session, world):
    a, _ = await _people(session, world)
    finance = auth(await staff_token(client, session, "caiwu", ["finance"]))
    auditor = auth(await staff_token(client, session, "shenji", ["auditor"]))
    assert (await client.get("/api/v1/admin/customers", headers=finance)).status_code == 403
    assert (await client.get("/api/v1/admin/customers", headers=auditor)).status_code == 200
    r = await client.post(f"/api/v1/admin/customers/{a.id}/tags", json={"tag": "VIP"}, headers=auditor)
    assert r.status_code == 403
    marketing = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.get("/api/v1/admin/customers/999999", headers=marketing)
    assert r.status_code == 404 and r.json()["code"] == "customer_not_found"
    r = await client.get(f"/api/v1/admin/customers/{world['workers'][0]}", headers=marketing)
    assert r.status_code == 404  # a worker is not a customer
    r = await client.post(f"/api/v1/admin/customers/{a.id}/tags", json={"tag": "x" * 21}, headers=marketing)
    assert r.status_code == 422
    r = await client.post(f"/api/v1/admin/customers/{a.id}/tags", json={"tag": "  "}, headers=marketing)
    assert r.status_code == 422 and r.json()["code"] == "invalid_customer_tag"
    r = await client.get("/api/v1/admin/customers", params={"segment": "vip"}, headers=marketing)
    assert r.status_code == 422
    r = await client.post(f"/api/v1/admin/customers/{a.id}/notes", json={"body": ""}, headers=marketing)
    assert r.status_code == 422


async def test_the_search_can_use_the_trigram_indexes(session, world):
    """Over 50,000 customers the planner serves the search from the pg_trgm GIN indexes of the
    nickname and the district, the phone's last four by its B-tree (one UNION of index searches; an OR with the
    addresses' EXISTS made every plan scan users)."""
    from sqlalchemy import select
    from sqlalchemy.dialects import postgresql

    from anjia.accounts.models import User
    from anjia.customers import service

    await session.execute(text(  # sealed values stand in (the plan does not read them)
        "INSERT INTO users (kind, phone_sealed, phone_hash, phone_last4, nickname, roles) "
        "SELECT 'customer', 's1.x.' || g, md5(g::text), lpad((g % 10000)::text, 4, '0'), '顾客' || g, '{}' "
        "FROM generate_series(1, 50000) g"))
    await session.execute(text(
        "INSERT INTO addresses (user_id, contact_name_sealed, contact_phone_sealed, province, city, district, "
        "detail_sealed, lat, lng) SELECT id, 's1.x.n', 's1.x.p', '上海市', '上海市', '区' || id, 's1.x.d', 31.2, 121.4 "
        "FROM users WHERE nickname LIKE '顾客%'"))
    indexes = ("ix_users_search", "ix_users_phone_last4", "ix_addresses_district_trgm")
    for index in ("ix_users_search", "ix_addresses_district_trgm"):  # as autovacuum: out of the GIN pending lists
        await session.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
    await session.execute(text("ANALYZE users"))
    await session.execute(text("ANALYZE addresses"))
    stmt = select(User.id).where(*service._customer_filters("4321", None, None))
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    # "can use": with sequential scans priced out the planner takes an index wherever the query's
    # shape allows one (over 50,000 rows it may still prefer hashing the users it finds)
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join((await session.execute(text("EXPLAIN " + sql.replace("%%", "%")))).scalars())
    for index in indexes:
        assert index in plan, plan
    assert "Seq Scan" not in plan and "uq_users_kind_phone" not in plan, plan
