"""Many rows into one table at once, by COPY (loading history: an executemany costs a round trip per
row, a VALUES list of thousands of rows seconds of parameter parsing). The owning package calls it
for its own tables; triggers and constraints apply as to any insert, and so do the columns' own
conversions (sealed personal fields: core.sealed)."""
import json
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator

from anjia.core.sealed import is_json


async def insert_rows(session: AsyncSession, table: Table, rows: list[dict[str, Any]], *, ids: bool = True
                      ) -> list[int]:
    """Insert `rows` (every row with the same keys; columns left out take their defaults), in this
    session's transaction; with `ids`, the ids drawn for them from the table's sequence, in order."""
    if not rows:
        return []
    names = list(rows[0])
    keys = list(names)
    # COPY applies the server's defaults only: the model's own (Python-side) defaults are added here
    defaults = {c.name: c.default for c in table.c if c.name not in names and c.name != "id" and c.default is not None
                and (c.default.is_scalar or c.default.is_callable)}
    names += list(defaults)
    fields = list(names)
    json_columns = {c.name for c in table.c if is_json(c.type)}
    # a column type's own conversion (core.sealed: personal fields sealed) applies as in an INSERT
    decorated = {c.name: c.type for c in table.c if isinstance(c.type, TypeDecorator)}
    dialect = postgresql.dialect()
    drawn: list[int] = []
    if ids:
        drawn = list((await session.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                                                 "FROM generate_series(1, :n)"), {"t": table.name, "n": len(rows)}
                                            )).scalars())
        names = ["id", *names]
    await session.flush()
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    columns = ", ".join(f'"{n}"' for n in names)
    async with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for i, r in enumerate(rows):
            values = [r[n] for n in keys] + [d.arg if d.is_scalar else d.arg(None) for d in defaults.values()]
            values = [decorated[n].process_bind_param(v, dialect) if n in decorated else v
                      for n, v in zip(fields, values, strict=True)]
            values = [json.dumps(v, ensure_ascii=False) if n in json_columns and v is not None else v
                      for n, v in zip(fields, values, strict=True)]
            await copy.write_row([drawn[i], *values] if ids else values)
    return drawn
