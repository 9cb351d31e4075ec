"""The worker's last position keeps the ETA worked out when it was reported (minutes, source, route), so
the live monitor's list reads it instead of asking the maps provider for every worker on each refresh.

Revision ID: 0032
Revises: 0031
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("worker_locations", sa.Column("eta_minutes", sa.Integer(), nullable=True))
    op.add_column("worker_locations", sa.Column("eta_source", sa.String(16), nullable=True))
    op.add_column("worker_locations", sa.Column("route", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("worker_locations", "route")
    op.drop_column("worker_locations", "eta_source")
    op.drop_column("worker_locations", "eta_minutes")
