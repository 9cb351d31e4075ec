"""Statistics: the rollups' segment is the customer's RFM segment when the order was placed (from the
membership history `customer_segments`) instead of new / returning. A statement-level trigger on
`customer_segments` marks the days from the earliest instant a change affects (a membership opened,
closed, reopened or removed) to today; the nightly classification marks a day or two, a backfill of
past memberships every day since. Every day with rollups is marked so the next `stats.refresh`
rebuilds them with the new segments.

Revision ID: 0034
Revises: 0033
"""
from alembic import op

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

# UTC days one either side: the orders' local days (Asia/Shanghai and the like) fall within them
MARK_DAYS = """
  INSERT INTO stats_dirty_days (day)
  SELECT generate_series((min(t) AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 1,
                         interval '1 day')::date
  FROM changed HAVING min(t) IS NOT NULL;
"""
MARK_SEGMENTS = f"""
CREATE FUNCTION stats_mark_segments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH changed AS (SELECT since AS t FROM new_rows) {MARK_DAYS}
  ELSIF TG_OP = 'DELETE' THEN
    WITH changed AS (SELECT since AS t FROM old_rows) {MARK_DAYS}
  ELSE
    WITH changed AS (
      SELECT least(CASE WHEN (o.customer_id, o.segment, o.since) IS DISTINCT FROM (n.customer_id, n.segment, n.since)
                        THEN least(o.since, n.since) END,
                   CASE WHEN o.until IS DISTINCT FROM n.until THEN least(o.until, n.until) END) AS t
      FROM new_rows n JOIN old_rows o ON o.id = n.id) {MARK_DAYS}
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(MARK_SEGMENTS)
    op.execute("CREATE TRIGGER stats_segments_inserted AFTER INSERT ON customer_segments REFERENCING NEW TABLE AS "
               "new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_segments()")
    op.execute("CREATE TRIGGER stats_segments_updated AFTER UPDATE ON customer_segments REFERENCING OLD TABLE AS "
               "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_segments()")
    op.execute("CREATE TRIGGER stats_segments_deleted AFTER DELETE ON customer_segments REFERENCING OLD TABLE AS "
               "old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_mark_segments()")
    op.execute("INSERT INTO stats_dirty_days (day) SELECT DISTINCT day FROM stats_daily")


def downgrade() -> None:
    for trigger in ('stats_segments_deleted', 'stats_segments_updated', 'stats_segments_inserted'):
        op.execute(f"DROP TRIGGER {trigger} ON customer_segments")
    op.execute("DROP FUNCTION stats_mark_segments()")
    op.execute("INSERT INTO stats_dirty_days (day) SELECT DISTINCT day FROM stats_daily")
