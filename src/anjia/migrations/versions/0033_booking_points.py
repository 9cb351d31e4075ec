"""Worker bookings keep the visit's point (GCJ-02), so a new booking can be checked against the driving time
from the worker's previous visit and to the next one (scheduling.book).

Revision ID: 0033
Revises: 0032
"""
import sqlalchemy as sa
from alembic import op

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("worker_bookings", sa.Column("lat", sa.Float(), nullable=True))
    op.add_column("worker_bookings", sa.Column("lng", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("worker_bookings", "lng")
    op.drop_column("worker_bookings", "lat")
