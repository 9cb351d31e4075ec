"""login attempts (password sign-in limits and lockout)

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_attempts',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('account', sa.String(length=254), nullable=False),
        sa.Column('ip', postgresql.INET(), nullable=True),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_login_attempts_account_created', 'login_attempts', ['kind', 'account', 'created_at'])
    op.create_index('ix_login_attempts_ip_created', 'login_attempts', ['ip', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_login_attempts_ip_created', table_name='login_attempts')
    op.drop_index('ix_login_attempts_account_created', table_name='login_attempts')
    op.drop_table('login_attempts')
