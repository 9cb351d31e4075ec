"""Personal data at rest (issue 14): phones, address contacts and streets are ciphertext in the
database — users, addresses, the orders' address snapshots, the SMS record and codes — while
sign-in, uniqueness, the console's search by phone, the customer's address book, the worker's order
and the download still show the right values, across a key rotation; a staff member's full read of
a phone or an address is audited, a masked one is not."""
import pytest
from sqlalchemy import select, text

from tests.conftest import auth, last_sms_code, sms_login, staff_token
from tests.dispatch.helpers import paid_order, worker_auth

PHONE, STREET = "13800001000", "漕溪北路"
TABLES = ("users", "addresses", "orders", "sms_messages", "sms_codes")


async def _raw(engine) -> dict[str, str]:
    """Every row of the personal tables as the database holds it (text)."""
    async with engine.connect() as conn:
        return {t: "\n".join((await conn.execute(text(f"SELECT t::text FROM {t} t"))).scalars()) for t in TABLES}


async def _personal_reads(engine) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT actor_name, target_type, target_id, after->'fields' FROM audit_logs "
            "WHERE action = 'personal_data.read' ORDER BY id"))]


async def test_the_database_holds_ciphertext_only(client, session, world, engine):
    order, staff = await paid_order(client, session, world)
    await sms_login(client, PHONE)  # an SMS code and the SMS record, for the customer's number
    raw = await _raw(engine)
    assert all(raw.values()), raw  # every table has rows
    for table, rows in raw.items():
        assert PHONE not in rows and STREET not in rows and "张女士" not in rows, table
    assert "s1." in raw["users"] and "s1." in raw["addresses"] and '""sealed"": ""s1.' in raw["orders"]
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT phone_last4, address->>'district', address ? 'detail' FROM users u "
                                       "JOIN orders o ON o.customer_id = u.id WHERE o.id = :o"),
                                  {"o": order["id"]})).one()
    assert tuple(row) == ("1000", "徐汇区", False)  # the last four and the area stay clear, the street does not
    # a sealed column cannot be compared by mistake (it would match nothing): it raises
    from anjia.accounts.models import User
    with pytest.raises(TypeError):
        select(User.id).where(User.phone == PHONE)


async def test_what_reads_them_still_sees_the_values(client, session, world, engine):
    order, staff = await paid_order(client, session, world)
    # sign-in by phone finds the same account (its keyed hash), by code and by password
    assert (await sms_login(client, PHONE))["user"]["id"] == world["customer_id"]
    # the console's search: the whole number, its last four digits; the district of an address
    admin = auth(await staff_token(client, session, "pii-admin", ["admin"]))
    for q in (PHONE, "1000", "徐汇"):
        items = (await client.get("/api/v1/admin/customers", params={"q": q}, headers=admin)).json()["items"]
        assert [c["id"] for c in items] == [world["customer_id"]], q
        assert items[0]["phone"] == "138****1000"
    assert (await client.get("/api/v1/admin/customers", params={"q": "13800001001"}, headers=admin)
            ).json()["items"] == []
    # the customer's own address book and order
    h = auth(world["token"])
    book = (await client.get("/api/v1/addresses", headers=h)).json()
    assert [(a["contact_name"], a["contact_phone"], a["detail"]) for a in book] == [("张女士", PHONE, "漕溪北路 88 号")]
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert (mine["address"]["detail"], mine["address"]["contact_phone"]) == ("漕溪北路 88 号", PHONE)
    # the assigned worker's order, in its window
    w = world["workers"][0]
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/assign", json={"worker_id": w}, headers=staff)
    assert r.status_code == 200, r.text
    seen = (await client.get(f"/api/v1/worker/orders/{order['id']}", headers=worker_auth(w))).json()
    assert (seen["address"]["detail"], seen["customer"]["phone"]) == ("漕溪北路 88 号", PHONE)
    # the download
    data = (await client.get("/api/v1/me/data-export", headers=h)).json()
    assert data["profile"]["phone"] == PHONE and data["addresses"][0]["contact_phone"] == PHONE
    # a second sign-up with the number is the same account (uniqueness by the keyed hash)
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM users WHERE kind = 'customer'")) == 1


async def test_staff_full_reads_are_audited_masked_ones_are_not(client, session, world, engine):
    order, dispatcher = await paid_order(client, session, world)  # dispatchers have personal.read
    marketing = auth(await staff_token(client, session, "pii-mkt", ["marketing"]))  # customers.read only
    r = (await client.get(f"/api/v1/admin/customers/{world['customer_id']}", headers=marketing)).json()
    assert r["phone"] == "138****1000" and r["addresses"][0]["detail"] == "****"
    assert all(STREET not in o["address_text"] for o in r["orders"])  # the profile's orders: the area only
    orders = (await client.get(f"/api/v1/admin/customers/{world['customer_id']}/orders", headers=marketing)).json()
    assert orders["items"] and all(STREET not in o["address_text"] for o in orders["items"])
    assert await _personal_reads(engine) == []  # masked: nothing to audit

    full = (await client.get(f"/api/v1/admin/orders/{order['id']}", headers=dispatcher)).json()
    assert full["address"]["detail"] == "漕溪北路 88 号"
    w = world["workers"][0]
    assigned = (await client.post(f"/api/v1/admin/orders/{order['id']}/assign", json={"worker_id": w},
                                  headers=dispatcher)).json()
    assert assigned["address"]["contact_phone"] == PHONE  # the answer to an assignment is a full read too
    name = f"disp{order['id']}"
    assert await _personal_reads(engine) == [(name, "order", str(order["id"]), ["address", "contact_phone"])] * 2


async def test_a_key_rotation_keeps_lookups_and_values(client, session, world, engine, monkeypatch):
    from anjia.accounts.models import User, phone_is
    from anjia.config import get_settings
    from anjia.core.security import key_id

    await paid_order(client, session, world)
    settings = get_settings()
    old = settings.secret_key
    monkeypatch.setattr(settings, "secret_key", "a-new-secret-key-for-the-rotation-test-0123456789")
    monkeypatch.setattr(settings, "secret_keys_previous", old)
    # the sign-in finds the account sealed under the previous key, not a new one
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": PHONE})
    assert r.status_code == 202, r.text
    r = await client.post("/api/v1/auth/login/sms", json={"phone": PHONE, "code": last_sms_code(PHONE),
                                                          "app": "customer", "consent_version": "2026-11"})
    assert r.status_code == 200 and r.json()["user"]["id"] == world["customer_id"], r.text
    admin = auth(await staff_token(client, session, "pii-rot", ["admin"]))
    found = (await client.get("/api/v1/admin/customers", params={"q": PHONE}, headers=admin)).json()["items"]
    assert [c["id"] for c in found] == [world["customer_id"]]
    book = (await client.get("/api/v1/addresses", headers=auth(world["token"]))).json()
    assert book[0]["contact_phone"] == PHONE
    # what is written now is sealed under the new key, and both are found
    await sms_login(client, "13800001009")
    session.expire_all()
    new = await session.scalar(select(User).where(User.kind == "customer", phone_is("13800001009")))
    async with engine.connect() as conn:
        kids = dict((await conn.execute(text("SELECT id, split_part(phone_sealed, '.', 2) FROM users "
                                             "WHERE kind = 'customer'"))).all())
    assert kids == {world["customer_id"]: key_id(old), new.id: key_id(settings.secret_key)}
    # without the previous key the old values could not be found: the key stays until re-sealed
    monkeypatch.setattr(settings, "secret_keys_previous", "")
    assert await session.scalar(select(User.id).where(phone_is(PHONE))) is None
    # `anjia db reseal` moves everything to the new key; then the old one can go
    from anjia.privacy.service import reseal

    monkeypatch.setattr(settings, "secret_keys_previous", old)
    done = await reseal(session)
    await session.commit()
    assert (done["users"], done["addresses"], done["orders"]) == (3, 1, 1), done  # the customer, two workers
    assert (await reseal(session))["users"] == 0  # nothing left under the old key
    monkeypatch.setattr(settings, "secret_keys_previous", "")
    raw = await _raw(engine)
    assert key_id(old) not in raw["users"] + raw["addresses"] + raw["orders"] + raw["sms_messages"]
    assert await session.scalar(select(User.id).where(phone_is(PHONE))) == world["customer_id"]
    from anjia.core.security import create_access_token  # the old token went with the old key

    h = auth(create_access_token(world["customer_id"], "customer", []))
    book = (await client.get("/api/v1/addresses", headers=h)).json()
    assert (book[0]["contact_phone"], book[0]["detail"]) == (PHONE, "漕溪北路 88 号")
