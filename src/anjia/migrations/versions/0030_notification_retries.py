"""Notifications: a WeChat subscribe message that failed for a passing reason (busy, a quota) is tried
again after a back-off instead of rolling back the outbox job (which jammed every notification behind it).

Revision ID: 0030
Revises: 0029
"""
import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("wechat_attempts", sa.SmallInteger(), nullable=False, server_default="0"))
    op.add_column("notifications", sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("notifications", "retry_at")
    op.drop_column("notifications", "wechat_attempts")
