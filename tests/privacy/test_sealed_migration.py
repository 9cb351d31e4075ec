"""Migration 0037 on a database with data: the clear phones, contacts and streets of users, addresses,
orders, the SMS record and codes become sealed values and keyed hashes the app reads and finds; the
downgrade gives the clear values back. On a database of its own (the tests' one stays at head)."""
import json

from sqlalchemy import select, text

from anjia.core import db, migrate
from anjia.core.security import lookup_hash, unseal


def _other(url: str, name: str) -> str:
    head, _, query = url.partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def test_existing_rows_are_sealed_and_come_back_on_downgrade(database_url):
    admin = db.sync_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS anjia_test_0037 WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE anjia_test_0037"))
    url = _other(database_url, "anjia_test_0037")
    engine = db.sync_engine(url)
    try:
        migrate.upgrade(url, "0036")
        with engine.begin() as conn:
            uid = conn.scalar(text("INSERT INTO users (kind, phone, nickname, roles) VALUES "
                                   "('customer', '13800005678', '老顾客', '{}') RETURNING id"))
            region = conn.scalar(text("INSERT INTO regions (name, city, timezone, center_lat, center_lng, radius_km, "
                                      "opens, closes, active) VALUES ('上海', '上海市', 'Asia/Shanghai', 31.2, 121.4, "
                                      "50, 480, 1200, true) RETURNING id"))
            aid = conn.scalar(text(
                "INSERT INTO addresses (user_id, contact_name, contact_phone, province, city, district, detail, lat, "
                "lng, region_id) VALUES (:u, '李女士', '13800005678', '上海市', '上海市', '静安区', '南京西路 1 号 2 室', "
                "31.2, 121.4, :r) RETURNING id"), {"u": uid, "r": region})
            snapshot = {"id": aid, "contact_name": "李女士", "contact_phone": "13800005678", "province": "上海市",
                        "city": "上海市", "district": "静安区", "detail": "南京西路 1 号 2 室", "lat": 31.2, "lng": 121.4}
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no catalogue for the order
            service = 1
            conn.execute(text(
                "INSERT INTO orders (number, customer_id, service_id, region_id, address_id, address, status, "
                "scheduled_start, scheduled_end, timezone, request, quote, total, deposit, paid_amount, "
                "price_difference, notes, cancel_fee) VALUES ('M1', :u, :s, :r, :a, CAST(:addr AS jsonb), 'paid', "
                "now(), now(), 'Asia/Shanghai', '{}', '{}', 100, 0, 100, 0, '', 0)"),
                {"u": uid, "s": service, "r": region, "a": aid, "addr": json.dumps(snapshot, ensure_ascii=False)})
            conn.execute(text("INSERT INTO sms_messages (provider, kind, phone, template, status) VALUES "
                              "('console', 'code', '13800005678', '', 'sent')"))
            conn.execute(text("INSERT INTO sms_codes (phone, purpose, code_hash, expires_at) VALUES "
                              "('13800005678', 'login', 'x', now())"))

        migrate.upgrade(url, "0037")
        with engine.connect() as conn:
            dump = "\n".join(conn.scalars(text(
                "SELECT string_agg(t::text, ' ') FROM (SELECT u::text FROM users u UNION ALL SELECT a::text FROM "
                "addresses a UNION ALL SELECT o::text FROM orders o UNION ALL SELECT m::text FROM sms_messages m "
                "UNION ALL SELECT c::text FROM sms_codes c) t")))
            assert "13800005678" not in dump and "南京西路" not in dump and "李女士" not in dump
            user = conn.execute(text("SELECT phone_sealed, phone_hash, phone_last4 FROM users")).one()
            assert (unseal(user[0]), user[1], user[2]) == ("13800005678", lookup_hash("13800005678", "phone"), "5678")
            book = conn.execute(text("SELECT contact_name_sealed, contact_phone_sealed, detail_sealed, district "
                                     "FROM addresses")).one()
            assert [unseal(v) for v in book[:3]] + [book[3]] == ["李女士", "13800005678", "南京西路 1 号 2 室", "静安区"]
            assert conn.scalar(text("SELECT phone_hash FROM sms_codes")) == lookup_hash("13800005678", "phone")
        # and the app reads them as before
        from sqlalchemy.orm import Session

        from anjia.accounts.models import User, phone_is
        from anjia.orders.models import Order
        with Session(engine) as s:
            assert s.scalar(select(User.nickname).where(phone_is("13800005678"))) == "老顾客"
            assert s.scalar(select(Order)).address == snapshot

        migrate.downgrade(url, "0036")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT phone FROM users")) == "13800005678"
            assert tuple(conn.execute(text("SELECT contact_name, contact_phone, detail FROM addresses")).one()) == (
                "李女士", "13800005678", "南京西路 1 号 2 室")
            assert conn.scalar(text("SELECT address FROM orders")) == snapshot
            assert conn.scalar(text("SELECT phone FROM sms_messages")) == "13800005678"
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS anjia_test_0037 WITH (FORCE)"))
        admin.dispose()
