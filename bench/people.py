"""Bench people with sealed phones: the bench writes users as the app stores them (the phone sealed,
its keyed hash and last four digits: accounts.models, migration 0037), sealed here in Python
(about 10 µs a number). Bench rows are told apart by their nicknames, not their numbers."""
from anjia.core.security import lookup_hash, seal


def insert_users(c, kind: str, phones: list[str], nicknames: list[str], channels: list[str | None] | None = None,
                 active: bool = True) -> list[int]:
    """One INSERT of many users (psycopg connection `c`); the ids of those new, in the order given
    (a number already held is left as it is: the builders can be run again)."""
    if not phones:
        return []
    rows = c.execute(
        """INSERT INTO users (kind, phone_sealed, phone_hash, phone_last4, nickname, roles, is_active, source_channel)
           SELECT %s, s, h, l, n, '{}', %s, ch
           FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY
                AS v(s, h, l, n, ch, i) ORDER BY i
           ON CONFLICT (kind, phone_hash) WHERE phone_hash IS NOT NULL DO NOTHING RETURNING id""",
        (kind, active, [seal(p) for p in phones], [lookup_hash(p, "phone") for p in phones], [p[-4:] for p in phones],
         nicknames, channels or [None] * len(phones))).fetchall()
    return [r[0] for r in rows]


def address(c, user_id: int, region_id: int, contact: tuple[str, str], area: tuple[str, str, str], detail: str,
            point: tuple[float, float], *, default: bool = True) -> int:
    """One address, its contact and street-and-door sealed (addresses.models)."""
    return c.execute("""INSERT INTO addresses (user_id, contact_name_sealed, contact_phone_sealed, province, city,
                                               district, detail_sealed, lat, lng, region_id, is_default)
                        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
                     (user_id, seal(contact[0]), seal(contact[1]), *area, seal(detail), *point, region_id, default)
                     ).fetchone()[0]
