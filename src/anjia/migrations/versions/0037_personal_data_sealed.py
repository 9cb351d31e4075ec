"""Personal data encrypted at rest (issue 14): phone numbers (users, address contacts, the SMS
record), address contact names and street-and-door details, and the same parts of the orders'
address snapshots are sealed (core.security.seal: AES-256-GCM, key id in the value). Users' phones
get a keyed look-up hash (sign-in, uniqueness, the console's search by a whole number) and their last
four digits in clear (masking, search by the last four); SMS codes keep the phone's keyed hash only.
Existing rows are sealed here, in chunks, then the clear columns and their indexes go.

Revision ID: 0037
Revises: 0036
"""
import json

import sqlalchemy as sa
from alembic import op

from anjia.core.security import lookup_hash, seal, unseal

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

CHUNK = 5000
PERSONAL = ("contact_name", "contact_phone", "detail")  # orders.PERSONAL_ADDRESS when this was written


def _rewrite(table: str, read: list[str], write: list[tuple[str, str]], convert, where: str = "TRUE") -> None:
    """For every row (in id chunks): `convert(*read values)` -> the values of the `write` columns
    (name, SQL type), written by one UPDATE ... FROM unnest(...) a chunk."""
    conn = op.get_bind()
    names = ", ".join(n for n, _ in write)
    sets = ", ".join(f"{n} = v.{n}" for n, _ in write)
    arrays = ", ".join(f"CAST(:{n} AS {t}[])" for n, t in write)
    update = sa.text(f"UPDATE {table} t SET {sets} FROM unnest(CAST(:id AS bigint[]), {arrays}) "
                     f"AS v(id, {names}) WHERE t.id = v.id")
    last = 0
    while True:
        rows = conn.execute(sa.text(f"SELECT id, {', '.join(read)} FROM {table} WHERE id > :last AND ({where}) "
                                    f"ORDER BY id LIMIT {CHUNK}"), {"last": last}).all()
        if not rows:
            return
        out = [convert(*r[1:]) for r in rows]
        conn.execute(update, {"id": [r[0] for r in rows]} | {n: [o[i] for o in out] for i, (n, _) in enumerate(write)})
        last = rows[-1][0]


def _opt(f):
    return lambda v: None if v is None else f(v)


def _seal_snapshot(a: dict) -> str:
    hidden = {k: a[k] for k in PERSONAL if k in a}
    clear = {k: v for k, v in a.items() if k not in PERSONAL}
    return json.dumps(clear | {"sealed": seal(json.dumps(hidden, ensure_ascii=False))}, ensure_ascii=False)


def _open_snapshot(a: dict) -> str:
    clear = {k: v for k, v in a.items() if k != "sealed"}
    return json.dumps(clear | json.loads(unseal(a["sealed"])), ensure_ascii=False)


def upgrade() -> None:
    sealed = _opt(seal)
    # users: the phone sealed, its keyed hash and last four digits
    op.add_column('users', sa.Column('phone_sealed', sa.Text(), nullable=True))
    op.add_column('users', sa.Column('phone_hash', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('phone_last4', sa.String(length=4), nullable=True))
    _rewrite('users', ['phone'], [('phone_sealed', 'text'), ('phone_hash', 'text'), ('phone_last4', 'text')],
             lambda p: (seal(p), lookup_hash(p, "phone"), p[-4:]), "phone IS NOT NULL")
    op.drop_index('uq_users_kind_phone', table_name='users')
    op.drop_index('ix_users_phone_trgm', table_name='users')
    op.drop_column('users', 'phone')
    op.create_index('uq_users_kind_phone', 'users', ['kind', 'phone_hash'], unique=True,
                    postgresql_where=sa.text('phone_hash IS NOT NULL'))
    op.create_index('ix_users_phone_last4', 'users', ['phone_last4'])

    # sms_codes (kept a day): the phone's keyed hash only
    op.add_column('sms_codes', sa.Column('phone_hash', sa.String(length=64), nullable=True))
    _rewrite('sms_codes', ['phone'], [('phone_hash', 'text')], lambda p: (lookup_hash(p, "phone"),))
    op.drop_index('ix_sms_codes_phone_created', table_name='sms_codes')
    op.drop_column('sms_codes', 'phone')
    op.alter_column('sms_codes', 'phone_hash', nullable=False)
    op.create_index('ix_sms_codes_phone_created', 'sms_codes', ['phone_hash', 'created_at'])

    # sms_messages (kept 180 days): the phone sealed
    op.add_column('sms_messages', sa.Column('phone_sealed', sa.Text(), nullable=True))
    _rewrite('sms_messages', ['phone'], [('phone_sealed', 'text')], lambda p: (seal(p),))
    op.drop_column('sms_messages', 'phone')
    op.alter_column('sms_messages', 'phone_sealed', nullable=False)

    # addresses: who and the street-and-door sealed; the area and the point stay
    for c in ('contact_name', 'contact_phone', 'detail'):
        op.add_column('addresses', sa.Column(f'{c}_sealed', sa.Text(), nullable=True))
    _rewrite('addresses', ['contact_name', 'contact_phone', 'detail'],
             [('contact_name_sealed', 'text'), ('contact_phone_sealed', 'text'), ('detail_sealed', 'text')],
             lambda *v: tuple(sealed(x) for x in v))
    op.drop_index('ix_addresses_detail_trgm', table_name='addresses')
    for c in ('contact_name', 'contact_phone', 'detail'):
        op.drop_column('addresses', c)
        op.alter_column('addresses', f'{c}_sealed', nullable=False)

    # orders: the address snapshot's personal keys sealed together under "sealed"
    _rewrite('orders', ['address'], [('address', 'jsonb')], lambda a: (_seal_snapshot(a),),
             "NOT address ? 'sealed' AND address ?| array['contact_name', 'contact_phone', 'detail']")


def downgrade() -> None:
    opened = _opt(unseal)
    _rewrite('orders', ['address'], [('address', 'jsonb')], lambda a: (_open_snapshot(a),), "address ? 'sealed'")

    for c, n in (('contact_name', 32), ('contact_phone', 20), ('detail', 200)):
        op.add_column('addresses', sa.Column(c, sa.String(length=n), nullable=True))
    _rewrite('addresses', ['contact_name_sealed', 'contact_phone_sealed', 'detail_sealed'],
             [('contact_name', 'text'), ('contact_phone', 'text'), ('detail', 'text')],
             lambda *v: tuple(opened(x) for x in v))
    for c in ('contact_name', 'contact_phone', 'detail'):
        op.drop_column('addresses', f'{c}_sealed')
        op.alter_column('addresses', c, nullable=False)
    op.execute("CREATE INDEX ix_addresses_detail_trgm ON addresses USING gin (detail gin_trgm_ops)")

    op.add_column('sms_messages', sa.Column('phone', sa.String(length=20), nullable=True))
    _rewrite('sms_messages', ['phone_sealed'], [('phone', 'text')], lambda p: (unseal(p),))
    op.drop_column('sms_messages', 'phone_sealed')
    op.alter_column('sms_messages', 'phone', nullable=False)

    # the codes' phones cannot be recovered from their hashes: the day's codes go
    op.execute("DELETE FROM sms_codes")
    op.drop_index('ix_sms_codes_phone_created', table_name='sms_codes')
    op.drop_column('sms_codes', 'phone_hash')
    op.add_column('sms_codes', sa.Column('phone', sa.String(length=20), nullable=False))
    op.create_index('ix_sms_codes_phone_created', 'sms_codes', ['phone', 'created_at'])

    op.add_column('users', sa.Column('phone', sa.String(length=20), nullable=True))
    _rewrite('users', ['phone_sealed'], [('phone', 'text')], lambda p: (unseal(p),), "phone_sealed IS NOT NULL")
    op.drop_index('ix_users_phone_last4', table_name='users')
    op.drop_index('uq_users_kind_phone', table_name='users')
    for c in ('phone_sealed', 'phone_hash', 'phone_last4'):
        op.drop_column('users', c)
    op.create_index('uq_users_kind_phone', 'users', ['kind', 'phone'], unique=True,
                    postgresql_where=sa.text('phone IS NOT NULL'))
    op.execute("CREATE INDEX ix_users_phone_trgm ON users USING gin (phone gin_trgm_ops)")
