"""Orders own the order: outside `anjia.orders` no code sets an attribute of an `Order` or writes
the `orders` / `order_events` tables. Read from the source with `ast`, so a new writer fails the
suite before it ships.

What counts as an Order: a name annotated `Order`, or bound (also by tuple unpacking or a `for`)
from an expression that names the `Order` class (`select(Order)...`), or from a call of a function
whose return annotation says `Order` (`orders.lock(...)`, a local `_mine(...)`, `tuple[X, Order]`
by position). Writes are assignments to its attributes (plain, augmented, in tuples, `setattr`),
`insert/update/delete(Order | OrderEvent)`, `Order.__table__.<write>()`, building `Order(...)` or
`OrderEvent(...)`, and SQL text that inserts into, updates or deletes from the two tables.
"""
import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "anjia"
TABLE_CLASSES = {"Order", "OrderEvent"}
SQL_WRITE = re.compile(r"\b(insert\s+into|update|delete\s+from)\s+(orders|order_events)\b", re.I)


def _is_order_annotation(node: ast.AST | None) -> bool | list[bool]:
    """True for `Order` / `Order | None` / `list[Order]`; a list of flags for `tuple[A, Order]`."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(node, ast.Name | ast.Attribute):
        return (node.id if isinstance(node, ast.Name) else node.attr) == "Order"
    if isinstance(node, ast.BinOp):  # Order | None
        return _is_order_annotation(node.left) is True or _is_order_annotation(node.right) is True
    if isinstance(node, ast.Subscript):
        base = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        if base == "tuple" and isinstance(node.slice, ast.Tuple):
            return [_is_order_annotation(e) is True for e in node.slice.elts]
        return _is_order_annotation(node.slice) is True  # list[Order], Sequence[Order], ...
    return False


def _returns_order(root: Path) -> dict[str, bool | list[bool]]:
    """module.function -> what its return annotation says about Orders."""
    out = {}
    for path in root.rglob("*.py"):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                flag = _is_order_annotation(node.returns)
                if flag:
                    out[f"{module}.{node.name}"] = flag
    return out


class _Module(ast.NodeVisitor):
    def __init__(self, module: str, returns: dict, where: str):
        self.module, self.returns, self.where = module, returns, where
        self.aliases: dict[str, str] = {}  # local name -> module or module.function
        self.found: list[str] = []
        self.scopes: list[set[str]] = [set()]

    # ---- names
    def visit_Import(self, node):
        for a in node.names:
            self.aliases[a.asname or a.name] = a.name

    def visit_ImportFrom(self, node):
        for a in node.names:
            self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"

    def _call_target(self, func: ast.AST) -> str | None:
        if isinstance(func, ast.Name):
            return self.aliases.get(func.id, f"{self.module}.{func.id}")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            base = self.aliases.get(func.value.id)
            return f"{base}.{func.attr}" if base else None
        return None

    def _order_value(self, value: ast.AST) -> bool | list[bool]:
        """Does this expression give an Order (or a tuple with Orders at some positions)?"""
        while isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            target = self._call_target(value.func)
            if target in self.returns:
                return self.returns[target]
            if isinstance(value.func, ast.Attribute) and value.func.attr == "get" and value.args[:1] and \
                    isinstance(value.args[0], ast.Name) and value.args[0].id == "Order":
                return True  # session.get(Order, id)
        if isinstance(value, ast.Name) and value.id in self.scopes[-1]:
            return True
        return any(isinstance(n, ast.Name) and n.id == "Order" for n in ast.walk(value))

    def _bind(self, target: ast.AST, flag: bool | list[bool]) -> None:
        if isinstance(target, ast.Name):
            if flag is True:
                self.scopes[-1].add(target.id)
            else:
                self.scopes[-1].discard(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            flags = flag if isinstance(flag, list) else [flag] * len(target.elts)
            for t, f in zip(target.elts, flags, strict=False):
                self._bind(t, f)

    def _is_order(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.scopes[-1]

    def _report(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.where}:{node.lineno}: {what}")

    # ---- scopes
    def _function(self, node):
        self.scopes.append(set())
        for arg in node.args.args + node.args.kwonlyargs:
            if _is_order_annotation(arg.annotation) is True:
                self.scopes[-1].add(arg.arg)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    # ---- bindings and writes
    def _check_targets(self, targets, node):
        for t in targets:
            for sub in ast.walk(t):
                if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and self._is_order(sub.value):
                    self._report(node, f"sets {sub.value.id}.{sub.attr} of an Order")

    def visit_Assign(self, node):
        self.visit(node.value)
        self._check_targets(node.targets, node)
        flag = self._order_value(node.value)
        for t in node.targets:
            self._bind(t, flag)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self._check_targets([node.target], node)
        self._bind(node.target, _is_order_annotation(node.annotation) or
                   (self._order_value(node.value) if node.value is not None else False))

    def visit_AugAssign(self, node):
        self.visit(node.value)
        self._check_targets([node.target], node)

    def visit_For(self, node):
        self.visit(node.iter)
        flag = self._order_value(node.iter)
        self._bind(node.target, flag if not isinstance(flag, list) else False)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_Call(self, node):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        first = node.args[0] if node.args else None
        if name == "setattr" and first is not None and self._is_order(first):
            self._report(node, "setattr on an Order")
        if name in ("insert", "update", "delete") and isinstance(first, ast.Name) and first.id in TABLE_CLASSES:
            self._report(node, f"{name}({first.id})")
        if name in TABLE_CLASSES:
            self._report(node, f"builds {name}(...)")
        if isinstance(func, ast.Attribute) and func.attr in ("insert", "update", "delete") and \
                isinstance(func.value, ast.Attribute) and func.value.attr == "__table__" and \
                isinstance(func.value.value, ast.Name) and func.value.value.id in TABLE_CLASSES:
            self._report(node, f"{func.value.value.id}.__table__.{func.attr}()")
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and SQL_WRITE.search(node.value):
            self._report(node, "SQL text writing the orders tables")


def violations(root: Path = SRC, owner: str = "orders") -> list[str]:
    returns = _returns_order(root)
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in (owner, "migrations"):
            continue
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        visitor = _Module(module, returns, str(rel))
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += visitor.found
    return found


def test_only_orders_writes_the_order():
    assert violations() == []


WRITERS = {  # each one of the ways the check must catch, as dispatch and fieldwork wrote before
    "annotated parameter": "async def f(order: Order):\n    order.status = 'accepted'\n",
    "tuple of attributes": "async def f(s, i):\n    order = await orders.lock(s, i)\n"
                           "    order.status, order.worker_id = 'accepted', 1\n",
    "local helper returning one": "async def _mine(s) -> Order: ...\nasync def f(s):\n    o = await _mine(s)\n"
                                  "    o.departed_at = 1\n",
    "tuple position": "async def _v(s) -> tuple[Order, Offer]: ...\nasync def f(s):\n    order, offer = await _v(s)\n"
                      "    order.checked_in_at = 1\n    offer.status = 'x'\n",
    "loop over a query": "async def f(s):\n    for o in await s.scalars(select(Order)):\n        o.late_alerted_at = 1\n",
    "augmented": "async def f(s, i):\n    order = await s.get(Order, i)\n    order.total += 1\n",
    "setattr": "async def f(order: Order):\n    setattr(order, 'status', 'x')\n",
    "update statement": "async def f(s):\n    await s.execute(update(Order).values(status='x'))\n",
    "table statement": "async def f(s):\n    await s.execute(Order.__table__.delete())\n",
    "timeline row": "async def f(s):\n    s.add(OrderEvent(order_id=1))\n",
    "raw SQL": "async def f(s):\n    await s.execute(text('UPDATE orders SET status = 1'))\n",
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_the_check_catches_each_kind_of_write(tmp_path, name):
    pkg = tmp_path / "anjia"
    (pkg / "orders").mkdir(parents=True)
    (pkg / "orders" / "service.py").write_text("async def lock(s, i) -> Order: ...\n")
    (pkg / "dispatch").mkdir()
    (pkg / "dispatch" / "service.py").write_text("from anjia.orders import service as orders\n" + WRITERS[name])
    found = violations(pkg)
    assert found and all(f.startswith("dispatch/service.py:") for f in found), found


def test_reads_and_other_tables_are_fine(tmp_path):
    pkg = tmp_path / "anjia"
    (pkg / "fieldwork").mkdir(parents=True)
    (pkg / "fieldwork" / "service.py").write_text(
        "async def f(s, order: Order, offer):\n    total = order.total\n    offer.status = 'accepted'\n"
        "    rec = Record()\n    rec.order_id = order.id\n    await s.execute(text('SELECT * FROM orders'))\n")
    assert violations(pkg) == []
