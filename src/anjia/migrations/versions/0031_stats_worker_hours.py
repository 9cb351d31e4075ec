"""Statistics: served hours per local day of check-out × region × worker (the dashboard's worker
utilisation reads them instead of a month of visits). The orders trigger now also marks the check-out
day (old and new) when a visit's worker, times or status change; every day with a visit is marked, so
the next `stats.refresh` builds the history.

Revision ID: 0031
Revises: 0030
"""
import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

COMPARED_BEFORE = ("status", "total", "final_total", "paid_amount", "refunded_amount", "region_id", "service_id",
                   "source", "customer_id", "cancel_reason_code", "created_at", "timezone")
COMPARED = (*COMPARED_BEFORE, "worker_id", "checked_in_at", "checked_out_at")


def _changed(columns: tuple[str, ...]) -> str:
    return f"({', '.join('o.' + c for c in columns)}) IS DISTINCT FROM ({', '.join('n.' + c for c in columns)})"


def _local(row: str, column: str) -> str:
    return f"(({row}.{column} AT TIME ZONE {row}.timezone)::date)"


# the order's day of creation (orders rollups) and of check-out (served hours), before and after
MARK_ORDERS = f"""
CREATE OR REPLACE FUNCTION stats_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO stats_dirty_days (day)
    SELECT DISTINCT d.day FROM new_rows n,
      LATERAL (VALUES {_local('n', 'created_at')}, {_local('n', 'checked_out_at')}) d(day)
    WHERE d.day IS NOT NULL;
  ELSE
    INSERT INTO stats_dirty_days (day)
    SELECT DISTINCT d.day FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES {_local('n', 'created_at')}, {_local('o', 'created_at')},
                      {_local('n', 'checked_out_at')}, {_local('o', 'checked_out_at')}) d(day)
    WHERE d.day IS NOT NULL AND {_changed(COMPARED)};
  END IF;
  RETURN NULL;
END $$
"""
MARK_ORDERS_BEFORE = f"""
CREATE OR REPLACE FUNCTION stats_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO stats_dirty_days (day) SELECT DISTINCT {_local('r', 'created_at')} FROM new_rows r;
  ELSE
    INSERT INTO stats_dirty_days (day)
    SELECT DISTINCT d.day FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES {_local('n', 'created_at')}, {_local('o', 'created_at')}) d(day)
    WHERE {_changed(COMPARED_BEFORE)};
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table('stats_daily_worker_hours', sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('region_id', sa.BigInteger(), nullable=False),
                    sa.Column('worker_id', sa.BigInteger(), nullable=False),
                    sa.Column('visits', sa.BigInteger(), nullable=False),
                    sa.Column('service_seconds', sa.Numeric(), nullable=False),
                    sa.PrimaryKeyConstraint('day', 'region_id', 'worker_id'))
    op.execute(MARK_ORDERS)
    op.execute("INSERT INTO stats_dirty_days (day) SELECT DISTINCT (checked_out_at AT TIME ZONE timezone)::date "
               "FROM orders WHERE status = 'completed' AND checked_out_at IS NOT NULL")


def downgrade() -> None:
    op.execute(MARK_ORDERS_BEFORE)
    op.drop_table('stats_daily_worker_hours')
