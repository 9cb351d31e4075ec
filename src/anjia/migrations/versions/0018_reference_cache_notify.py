"""Reference tables announce their changes (NOTIFY anjia_cache '<table>') for the per-process caches.

Revision ID: 0018
Revises: 0017
"""
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

TABLES = ("service_categories", "services", "service_region_prices", "regions", "booking_rules", "holidays")


def upgrade() -> None:
    op.execute("""
CREATE FUNCTION anjia_cache_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('anjia_cache', TG_TABLE_NAME);
  RETURN NULL;
END $$;
""")
    for t in TABLES:
        op.execute(f"CREATE TRIGGER {t}_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION anjia_cache_changed()")


def downgrade() -> None:
    for t in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {t}_cache ON {t}")
    op.execute("DROP FUNCTION IF EXISTS anjia_cache_changed()")
