"""The order's timeline carries its order's region (`order_events.region_id`, NOT NULL), so reading an
order's timeline names the distribution column of the Citus plan (docs/scale-out.md) like the order
read before it. Existing rows take their order's region (one pass over the table).

Revision ID: 0036
Revises: 0035
"""
import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("order_events", sa.Column("region_id", sa.BigInteger(), nullable=True))
    op.execute("UPDATE order_events e SET region_id = o.region_id FROM orders o WHERE o.id = e.order_id")
    op.alter_column("order_events", "region_id", nullable=False)
    op.create_foreign_key("fk_order_events_region_id_regions", "order_events", "regions", ["region_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("fk_order_events_region_id_regions", "order_events", type_="foreignkey")
    op.drop_column("order_events", "region_id")
