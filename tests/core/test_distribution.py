"""The plan for Citus (docs/scale-out.md) held against the code.

1. Every table has a placement in the doc's table-by-table plan, and the distribution columns it says
   exist do exist (those it says are still to add do not, so the doc moves when the schema does).
2. The hot paths — availability, dispatch candidates, order reads by the customer and the worker — are
   run through the real services on the test database; every statement they send is captured
   (SQLAlchemy's `before_cursor_execute`) and planned by PostgreSQL (`EXPLAIN`, the statement's own
   parameters). Every scan of a distributed table must be pinned to one value (or a list) of its
   distribution column — in its index condition, filter or recheck, which is also where PostgreSQL
   puts a value it carried over a join on that column — else the statement would go to every shard;
   and a statement that reads a distributed table reads no coordinator-local one (Citus would ship
   the local table to the shards).
   The exceptions are listed below, each with why and what lifts it; an exception no statement needs
   any more fails too, so the list cannot rot.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, select

import anjia.models  # noqa: F401  (every table on the metadata)
from anjia.core import db
from anjia.core.db import Base
from anjia.dispatch import service as dispatch
from anjia.orders.models import Order
from tests.conftest import auth
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale-out.md"
ROW = re.compile(r"^\| `(\w+)` \| (region|person|reference|local) \| (?:`(\w+)`( \(to add\))?|–) \|")

# (table, what the statement says, why it may fan out, what lifts it) — docs/scale-out.md, "Exceptions"
EXCEPTIONS = [
    ("orders", r"WHERE orders\.customer_id = ", "the customer's order list: a customer books in any city, so "
     "their orders are on every region's shard; served per shard by ix_orders_customer_status",
     "stays a fan-out (bounded: one index probe per shard); the app's city filter makes it single-shard"),
    ("orders", r"WHERE orders\.id = ", "an order read by id alone (the customer's and the worker's order page): "
     "the id does not say its region", "order ids that carry their region (step 3 of the migration path)"),
    ("orders", r"WHERE orders\.worker_id = ", "the worker's order list: an operator may assign a worker of "
     "another region by hand, so the worker's region does not bound their orders yet",
     "manual assignment within the order's region, then the worker's region in the read (step 2)"),
]


@dataclass
class Placement:
    kind: str
    column: str | None
    to_add: bool


def plan() -> dict[str, Placement]:
    rows = {}
    for line in DOC.read_text().splitlines():
        if m := ROW.match(line):
            assert m.group(1) not in rows, f"{m.group(1)} placed twice in {DOC.name}"
            rows[m.group(1)] = Placement(m.group(2), m.group(3), bool(m.group(4)))
    return rows


def test_every_table_is_placed():
    placed = plan()
    tables = Base.metadata.tables
    assert set(placed) == set(tables), {"not in the doc": set(tables) - set(placed), "no table": set(placed) - set(tables)}
    for name, p in placed.items():
        distributed = p.kind in ("region", "person")
        assert (p.column is not None) == distributed, name
        if distributed:
            assert (p.column in tables[name].columns) != p.to_add, (name, p.column, "to add" if p.to_add else "missing")
        if p.kind == "region":
            assert p.column == "region_id", name


@dataclass
class Statement:
    sql: str
    params: object
    path: str


class Capture:
    """Every statement the engines send while `path` is set (the writers' and the GETs' readers')."""

    def __init__(self, *engines):
        self.engines = [e.sync_engine for e in engines]
        self.path: str | None = None
        self.statements: list[Statement] = []

    def __enter__(self):
        for e in self.engines:
            event.listen(e, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        for e in self.engines:
            event.remove(e, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if self.path and not executemany and re.match(r"\s*(SELECT|WITH|UPDATE|DELETE|INSERT)\b", statement, re.I):
            self.statements.append(Statement(statement, parameters, self.path))


def _scans(node: dict):
    if "Relation Name" in node:
        yield node
    for child in node.get("Plans", []):
        yield from _scans(child)


def _pinned(node: dict, column: str) -> bool:
    conds = " ".join(str(node.get(k, "")) for k in ("Index Cond", "Recheck Cond", "Filter", "TID Cond"))
    return re.search(rf"\b{column} = (?:'|\d|ANY \('|\$\d)", conds) is not None


async def violations(engine, statements: list[Statement]) -> list[tuple[str, str, str]]:
    """(path, table, statement) for each scan of a distributed table not pinned to its column."""
    placed = plan()
    found = []
    async with engine.connect() as conn:
        for s in statements:
            head = s.sql.lstrip()[:6].upper()
            if head == "INSERT":
                target = re.match(r"\s*INSERT INTO (\w+)\s*\(([^)]*)\)", s.sql, re.I)
                p = placed.get(target.group(1)) if target else None
                if p and p.kind in ("region", "person") and not re.search(rf"\b{p.column}\b", target.group(2)):
                    found.append((s.path, target.group(1), s.sql))
                continue
            result = await conn.exec_driver_sql("EXPLAIN (FORMAT JSON, COSTS OFF) " + s.sql, s.params)
            raw = result.scalar()
            tree = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            scans = list(_scans(tree))
            kinds = {placed[scan["Relation Name"]].kind for scan in scans if scan["Relation Name"] in placed}
            for scan in scans:
                p = placed.get(scan["Relation Name"])
                if p and p.kind in ("region", "person") and (p.to_add or not _pinned(scan, p.column)):
                    found.append((s.path, scan["Relation Name"], s.sql))
                elif p and p.kind == "local" and kinds & {"region", "person"}:
                    # Citus would pull the coordinator's table to the shards: read it in a statement of its own
                    found.append((s.path, scan["Relation Name"], s.sql))
        await conn.rollback()
    return found


async def test_hot_queries_name_the_distribution_column(client, session, world, engine):
    order, _ = await paid_order(client, session, world)  # paid: dispatch offered it to the region's workers
    day = next_weekday(1, 14)
    h = auth(world["token"])
    offered = [w for w in world["workers"]
               if (await client.get("/api/v1/worker/offers", headers=worker_auth(w))).json()]
    assert offered, "dispatch offered the order to nobody"

    with Capture(engine, db.read_engine()) as cap:
        cap.path = "availability"
        r = await client.get("/api/v1/availability", headers=h, params={
            "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
            "from": day.date().isoformat(), "to": day.date().isoformat(), "items": "kitchen_deep:1",
            "options": '{"focus_areas": ["stove", "hood"], "depth": "deep"}'})
        assert r.status_code == 200, r.text
        assert any(s["available"] for s in r.json()["days"][0]["slots"])

        cap.path = "dispatch candidates"
        async with db.sessionmaker()() as s:
            ranked = await dispatch.rank_candidates(s, await s.scalar(select(Order).where(Order.id == order["id"])),
                                                    set())
        assert ranked

        cap.path = "customer: order list"
        r = await client.get("/api/v1/orders", headers=h)
        assert r.status_code == 200 and r.json()["total"] == 1, r.text
        cap.path = "customer: order"
        r = await client.get(f"/api/v1/orders/{order['id']}", headers=h)
        assert r.status_code == 200, r.text

        wh = worker_auth(offered[0])
        cap.path = "worker: offers"
        r = await client.get("/api/v1/worker/offers", headers=wh)
        assert r.status_code == 200 and r.json()[0]["order_id"] == order["id"], r.text
        cap.path = "worker: order"
        r = await client.get(f"/api/v1/worker/orders/{order['id']}", headers=wh)
        assert r.status_code == 200, r.text
        cap.path = "worker: order list"
        r = await client.get("/api/v1/worker/orders", headers=wh)
        assert r.status_code == 200, r.text
        cap.path = None

    paths = {s.path for s in cap.statements}
    assert paths == {"availability", "dispatch candidates", "customer: order list", "customer: order", "worker: offers",
                     "worker: order", "worker: order list"}, paths
    # the hot statements themselves were seen (a rename must not let the check pass on nothing)
    assert any("worker_bookings" in s.sql and s.path == "availability" for s in cap.statements)
    assert any("worker_bookings" in s.sql and s.path == "dispatch candidates" for s in cap.statements)
    assert any("offers" in s.sql and s.path == "worker: offers" for s in cap.statements)

    found = await violations(engine, cap.statements)
    used = set()
    left = []
    for path, table, sql in found:
        hit = [i for i, (t, pattern, *_) in enumerate(EXCEPTIONS) if t == table and re.search(pattern, sql)]
        if hit:
            used.update(hit)
        else:
            left.append(f"{path}: {table} not pinned to its distribution column in\n{sql}")
    assert not left, "\n\n".join(left)
    assert used == set(range(len(EXCEPTIONS))), [EXCEPTIONS[i][:2] for i in set(range(len(EXCEPTIONS))) - used]
