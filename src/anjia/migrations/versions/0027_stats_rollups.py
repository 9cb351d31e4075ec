"""Statistics: daily rollups of orders (per local day × region × service × source × segment), the
cancellations by reason, and the days waiting to be recomputed — marked by statement-level triggers
on `orders` (a new order; a change of status, money, region, service, source or customer) and on
`reviews` (a review written or removed), in the changing transaction. Every existing day is marked,
so the first run of the `stats.refresh` job builds the history.

Revision ID: 0027
Revises: 0026
"""
import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

DAY = "((r.created_at AT TIME ZONE r.timezone)::date)"
COMPARED = ("status", "total", "final_total", "paid_amount", "refunded_amount", "region_id", "service_id", "source",
            "customer_id", "cancel_reason_code", "created_at", "timezone")
CHANGED = (f"({', '.join('o.' + c for c in COMPARED)}) IS DISTINCT FROM ({', '.join('n.' + c for c in COMPARED)})")

MARK_ORDERS = f"""
CREATE FUNCTION stats_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO stats_dirty_days (day) SELECT DISTINCT {DAY} FROM new_rows r;
  ELSE
    INSERT INTO stats_dirty_days (day)
    SELECT DISTINCT d.day FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES ((n.created_at AT TIME ZONE n.timezone)::date), ((o.created_at AT TIME ZONE o.timezone)::date)) d(day)
    WHERE {CHANGED};
  END IF;
  RETURN NULL;
END $$
"""
MARK_REVIEWS = f"""
CREATE FUNCTION stats_mark_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO stats_dirty_days (day) SELECT DISTINCT {DAY} FROM new_rows v JOIN orders r ON r.id = v.order_id;
  ELSE
    INSERT INTO stats_dirty_days (day) SELECT DISTINCT {DAY} FROM old_rows v JOIN orders r ON r.id = v.order_id;
  END IF;
  RETURN NULL;
END $$
"""


def _dims() -> list[sa.Column]:
    return [sa.Column('day', sa.Date(), nullable=False), sa.Column('region_id', sa.BigInteger(), nullable=False),
            sa.Column('service_id', sa.BigInteger(), nullable=False), sa.Column('source', sa.String(8), nullable=False),
            sa.Column('segment', sa.Text(), nullable=False)]


def upgrade() -> None:
    counts = ['orders', 'paid_orders', 'gmv', 'paid_amount', 'refunded_amount', 'completed', 'cancelled', 'reviewed',
              'customers', 'new_customers']
    op.create_table('stats_daily', *_dims(), *[sa.Column(c, sa.BigInteger(), nullable=False) for c in counts],
                    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
                    sa.PrimaryKeyConstraint('day', 'region_id', 'service_id', 'source', 'segment'))
    op.create_index('ix_stats_daily_region_day', 'stats_daily', ['region_id', 'day'])
    op.create_index('ix_stats_daily_service_day', 'stats_daily', ['service_id', 'day'])
    op.create_table('stats_daily_cancellations', *_dims(), sa.Column('reason', sa.String(32), nullable=False),
                    sa.Column('orders', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('day', 'region_id', 'service_id', 'source', 'segment', 'reason'))
    op.create_table('stats_dirty_days', sa.Column('id', sa.BigInteger(), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('marked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_stats_dirty_days_day', 'stats_dirty_days', ['day'])
    op.execute(MARK_ORDERS)
    op.execute(MARK_REVIEWS)
    op.execute("CREATE TRIGGER stats_orders_inserted AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_orders()")
    op.execute("CREATE TRIGGER stats_orders_updated AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows "
               "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_orders()")
    op.execute("CREATE TRIGGER stats_reviews_inserted AFTER INSERT ON reviews REFERENCING NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_reviews()")
    op.execute("CREATE TRIGGER stats_reviews_deleted AFTER DELETE ON reviews REFERENCING OLD TABLE AS old_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_reviews()")
    # the history: every day that has orders, built by the first run of the job
    op.execute("INSERT INTO stats_dirty_days (day) SELECT DISTINCT (created_at AT TIME ZONE timezone)::date FROM orders")


def downgrade() -> None:
    for trigger, table in [('stats_reviews_deleted', 'reviews'), ('stats_reviews_inserted', 'reviews'),
                           ('stats_orders_updated', 'orders'), ('stats_orders_inserted', 'orders')]:
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    op.execute("DROP FUNCTION stats_mark_reviews()")
    op.execute("DROP FUNCTION stats_mark_orders()")
    op.drop_table('stats_dirty_days')
    op.drop_table('stats_daily_cancellations')
    op.drop_table('stats_daily')
