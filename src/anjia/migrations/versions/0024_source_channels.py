"""Source channels: the client an order (and a recurring plan, whose orders carry it) was placed from,
and a customer's first channel and referrer.

Backfill: what client placed the existing orders and plans was never recorded, so they are `unknown`
(the column's default — the statistics show them as 未知渠道 rather than guess); existing accounts keep
no first channel (NULL) until their next order names one (`accounts.service.note_channel`).

Revision ID: 0024
Revises: 0023
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

SOURCES = "('mp', 'h5', 'app', 'admin', 'unknown')"


def upgrade() -> None:
    op.add_column('orders', sa.Column('source', sa.String(8), server_default='unknown', nullable=False))
    op.create_check_constraint('ck_orders_source', 'orders', f"source IN {SOURCES}")
    op.create_index('ix_orders_created_at', 'orders', ['created_at'])
    op.add_column('plans', sa.Column('source', sa.String(8), server_default='unknown', nullable=False))
    op.add_column('users', sa.Column('source_channel', sa.String(8), nullable=True))
    op.add_column('users', sa.Column('referrer_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key('users_referrer_id_fkey', 'users', 'users', ['referrer_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    op.drop_constraint('users_referrer_id_fkey', 'users', type_='foreignkey')
    op.drop_column('users', 'referrer_id')
    op.drop_column('users', 'source_channel')
    op.drop_column('plans', 'source')
    op.drop_index('ix_orders_created_at', table_name='orders')
    op.drop_constraint('ck_orders_source', 'orders', type_='check')
    op.drop_column('orders', 'source')
