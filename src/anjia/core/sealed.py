"""Personal fields encrypted at rest, transparently for the ORM (docs/architecture.md, Personal data).

`Sealed` is a text column holding `core.security.seal(value)`: the model's attribute reads and
writes the clear value, the database holds ciphertext only. A sealed column cannot be compared in
SQL (the ciphertext differs on every write): comparing one raises, so a forgotten `User.phone ==`
fails loudly instead of matching nothing; equality look-ups go through the owner's keyed-hash column
(`core.security.lookup_hashes`). `SealedJson` is a JSONB snapshot whose personal keys are sealed
together under `"sealed"` while the coarse keys (area, point) stay queryable.

`core.bulk.insert_rows` (COPY) applies both, so bulk loaders write ciphertext too. After a key
rotation `reseal` moves the values to the new key (`anjia db reseal`), so the old one can be retired."""
import json
from typing import Any

from sqlalchemy import Text, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql import ClauseElement, operators
from sqlalchemy.types import JSON, TypeDecorator

from anjia.core.security import seal, signing_key, unseal

_ALLOWED = {operators.is_, operators.is_not}


class Sealed(TypeDecorator):
    impl = Text
    cache_ok = True

    class comparator_factory(Text.Comparator):  # noqa: N801 — SQLAlchemy's hook name
        """Comparing with a value raises (SQLAlchemy itself compares columns with columns: allowed)."""

        def operate(self, op, *other, **kwargs):
            if op not in _ALLOWED and not all(isinstance(o, ClauseElement) for o in other):
                raise TypeError("a sealed column cannot be compared in SQL: look it up by its keyed hash")
            return super().operate(op, *other, **kwargs)

        def reverse_operate(self, op, other, **kwargs):
            if not isinstance(other, ClauseElement):
                raise TypeError("a sealed column cannot be compared in SQL: look it up by its keyed hash")
            return super().reverse_operate(op, other, **kwargs)

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else unseal(value)


class SealedJson(TypeDecorator):
    """A JSONB object whose `personal` keys are stored sealed, as one `"sealed"` key."""

    impl = JSONB
    cache_ok = True

    def __init__(self, personal: tuple[str, ...]):
        super().__init__()
        self.personal = personal

    def process_bind_param(self, value: dict[str, Any] | None, dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        hidden = {k: value[k] for k in self.personal if k in value}
        clear = {k: v for k, v in value.items() if k not in self.personal}
        return clear | ({"sealed": seal(json.dumps(hidden, ensure_ascii=False))} if hidden else {})

    def process_result_value(self, value: dict[str, Any] | None, dialect) -> dict[str, Any] | None:
        if value is None or "sealed" not in value:
            return value
        clear = {k: v for k, v in value.items() if k != "sealed"}
        return clear | json.loads(unseal(value["sealed"]))


def is_json(column_type) -> bool:
    """Whether a column's values go to the database as JSON (a sealed snapshot included)."""
    impl = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    return isinstance(impl, JSON)  # JSONB too


async def reseal(session, model, attrs: list[str], batch: int = 500) -> int:
    """After a key rotation: the rows of `model` whose `attrs` were sealed under an older key are
    sealed again under the current one (setting each attribute again also runs the model's
    validators: keyed hashes follow). Flushed a batch at a time; the caller commits. Rows done."""
    stale = []
    for a in attrs:
        column = model.__mapper__.attrs[a].columns[0]
        token = f"{column.name}->>'sealed'" if isinstance(column.type, SealedJson) else column.name
        stale.append(text(f"split_part({model.__tablename__}.{token}, '.', 2) <> :kid"))
    key = model.__mapper__.primary_key[0]
    done, last = 0, 0
    while True:
        rows = list(await session.scalars(select(model).where(key > last, or_(*stale))
                                          .params(kid=signing_key()[0]).order_by(key).limit(batch)))
        if not rows:
            return done
        for row in rows:
            for a in attrs:
                setattr(row, a, getattr(row, a))
                flag_modified(row, a)
        await session.flush()
        done, last = done + len(rows), getattr(rows[-1], key.key)
        for row in rows:
            session.expunge(row)
