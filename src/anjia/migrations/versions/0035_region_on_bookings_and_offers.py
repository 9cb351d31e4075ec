"""Worker bookings and offers carry their order's region (`region_id`, NOT NULL), the distribution
column of the plan for Citus (docs/scale-out.md): the availability, hold and dispatch queries can then
say which region they read, and a booking or an offer lives on the shard of its order.

Existing rows take their order's region; a booking whose order is gone (the bench's synthetic load
uses order ids that are no orders) takes its worker's region.

Revision ID: 0035
Revises: 0034
"""
import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("worker_bookings", "offers"):
        op.add_column(table, sa.Column("region_id", sa.BigInteger(), nullable=True))
    op.execute("UPDATE worker_bookings b SET region_id = o.region_id FROM orders o WHERE o.id = b.order_id")
    op.execute("""UPDATE worker_bookings b SET region_id = p.region_id FROM worker_profiles p
                  WHERE b.region_id IS NULL AND p.user_id = b.worker_id""")
    op.execute("UPDATE offers f SET region_id = o.region_id FROM orders o WHERE o.id = f.order_id")
    for table in ("worker_bookings", "offers"):
        op.alter_column(table, "region_id", nullable=False)
        op.create_foreign_key(f"fk_{table}_region_id_regions", table, "regions", ["region_id"], ["id"])


def downgrade() -> None:
    for table in ("worker_bookings", "offers"):
        op.drop_constraint(f"fk_{table}_region_id_regions", table, type_="foreignkey")
        op.drop_column(table, "region_id")
