"""WeChat subscribe messages: what each user allowed per template (one-time subscriptions add up).

Revision ID: 0028
Revises: 0027
"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wechat_subscriptions",
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("template_id", sa.String(64), primary_key=True),
        sa.Column("remaining", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_result", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("remaining >= 0", name=op.f("ck_wechat_subscriptions_remaining_not_negative")),
    )


def downgrade() -> None:
    op.drop_table("wechat_subscriptions")
