"""Payments, refunds, the providers' notification inbox, the sandbox provider's trades; orders
remember what was refunded.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column('orders', sa.Column('refunded_amount', sa.BigInteger(), server_default='0', nullable=False))
    op.create_table(
        'payments',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('refunded_amount', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=64), nullable=True),
        sa.Column('checkout', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('recorded_by', sa.BigInteger(), nullable=True),
        sa.Column('late', sa.Boolean(), nullable=False),
        _at('expires_at', False), _at('paid_at'), _at('closed_at'), _at('queried_at'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('amount > 0', name='ck_payments_positive'),
        sa.CheckConstraint('refunded_amount >= 0 AND refunded_amount <= amount',
                           name='ck_payments_refunds_within_amount'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_payments_order_id_orders'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name='fk_payments_customer_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_payments'),
        sa.UniqueConstraint('number', name='uq_payments_number'),
    )
    op.create_index('ix_payments_customer_id', 'payments', ['customer_id'])
    op.create_index('ix_payments_order', 'payments', ['order_id', 'status'])
    op.create_index('ix_payments_pending', 'payments', ['created_at'], postgresql_where=sa.text("status = 'pending'"))
    op.create_table(
        'refunds',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('payment_id', sa.BigInteger(), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('requested_by', sa.BigInteger(), nullable=True),
        sa.Column('approved_by', sa.BigInteger(), nullable=True),
        sa.Column('external_id', sa.String(length=64), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        _at('submitted_at'), _at('refunded_at'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('amount > 0', name='ck_refunds_positive'),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name='fk_refunds_payment_id_payments'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_refunds_order_id_orders'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name='fk_refunds_customer_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_refunds'),
        sa.UniqueConstraint('number', name='uq_refunds_number'),
    )
    op.create_index('ix_refunds_payment_id', 'refunds', ['payment_id'])
    op.create_index('ix_refunds_order_id', 'refunds', ['order_id'])
    op.create_index('ix_refunds_status', 'refunds', ['status', 'id'])
    op.create_table(
        'provider_notifications',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=128), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('out_no', sa.String(length=32), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=64), nullable=True),
        sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_provider_notifications'),
        sa.UniqueConstraint('provider', 'external_id', name='uq_provider_notifications_external'),
    )
    op.create_index('ix_provider_notifications_out_no', 'provider_notifications', ['out_no'])
    op.create_table(
        'sandbox_trades',
        sa.Column('out_trade_no', sa.String(length=32), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('refunds', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('description', sa.String(length=128), nullable=False),
        sa.Column('return_url', sa.String(length=500), nullable=False),
        _at('paid_at'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('out_trade_no', name='pk_sandbox_trades'),
    )


def downgrade() -> None:
    op.drop_table('sandbox_trades')
    op.drop_table('provider_notifications')
    op.drop_table('refunds')
    op.drop_table('payments')
    op.drop_column('orders', 'refunded_amount')
