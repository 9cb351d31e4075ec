"""An index of completed orders by check-out time: the dashboard's worker utilisation reads a month of
visits from it instead of every completed order (bench/stats.py, 10,000,000 orders).

Revision ID: 0029
Revises: 0028
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_orders_checked_out', 'orders', ['checked_out_at'],
                    postgresql_where=sa.text("status = 'completed'"))


def downgrade() -> None:
    op.drop_index('ix_orders_checked_out', table_name='orders')
