"""Each table has one owning package (the one whose models.py declares it); the others call it.
Outside the owner no code builds the model (`Payment(...)`), writes it through SQLAlchemy
(`insert/update/delete(Payment)`) or through SQL text (`INSERT INTO payments`, `UPDATE payments`,
`DELETE FROM payments`). Read from the source with `ast`. (The order's own, stricter test —
attribute writes too — is tests/orders/test_ownership.py.)"""
import ast
import re
from pathlib import Path

import anjia.models  # noqa: F401  (every table on the metadata)
from anjia.core.db import Base

SRC = Path(__file__).resolve().parents[2] / "src" / "anjia"


def _owners() -> dict[str, tuple[str, str]]:
    """model class name -> (owning package, table name)"""
    return {m.class_.__name__: (m.class_.__module__.split(".")[1], m.local_table.name) for m in Base.registry.mappers}


def _package(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else path.stem


def _violations() -> list[str]:
    owners = _owners()
    tables = {table: owner for owner, table in owners.values()}
    sql = re.compile(r"\b(?:insert\s+into|update|delete\s+from)\s+(" + "|".join(map(re.escape, tables)) + r")\b",
                     re.I)
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        here = _package(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(SRC)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in owners and owners[name][0] != here:
                    found.append(f"{where} builds {name} (owned by {owners[name][0]})")
                if name in ("insert", "update", "delete") and node.args:
                    target = node.args[0]
                    cls = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
                    if cls in owners and owners[cls][0] != here:
                        found.append(f"{where} {name}({cls}) (owned by {owners[cls][0]})")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for table in sql.findall(node.value):
                    if tables[table.lower()] != here:
                        found.append(f"{where} writes {table} in SQL (owned by {tables[table.lower()]})")
    return found


def test_only_the_owner_writes_its_tables():
    assert _violations() == []
