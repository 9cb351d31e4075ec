"""Coupons: the customer's coupons, used once on an order; the order's coupon discount.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'coupons',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('cap', sa.BigInteger(), nullable=True),
        sa.Column('min_spend', sa.BigInteger(), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=True),
        sa.Column('title', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('source_ref', sa.String(length=64), nullable=True),
        sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
        sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('issued_by', sa.BigInteger(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoke_reason', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint("kind IN ('amount', 'percent')", name='ck_coupons_kind'),
        sa.CheckConstraint("value > 0 AND (kind = 'amount' OR value <= 10000)", name='ck_coupons_value'),
        sa.CheckConstraint("cap IS NULL OR (cap > 0 AND kind = 'percent')", name='ck_coupons_cap'),
        sa.CheckConstraint('min_spend >= 0', name='ck_coupons_min_spend'),
        sa.CheckConstraint('valid_until > valid_from', name='ck_coupons_validity'),
        sa.CheckConstraint("status IN ('available', 'used', 'expired', 'revoked')", name='ck_coupons_status'),
        sa.CheckConstraint("source IN ('compensation', 'manual', 'signup', 'referral', 'campaign', 'code')",
                           name='ck_coupons_source'),
        sa.CheckConstraint("(status = 'used') = (order_id IS NOT NULL)", name='ck_coupons_used_on_order'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name='fk_coupons_customer_id_users'),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name='fk_coupons_service_id_services'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_coupons_order_id_orders'),
        sa.PrimaryKeyConstraint('id', name='pk_coupons'),
    )
    op.create_index('uq_coupons_source_ref', 'coupons', ['customer_id', 'source', 'source_ref'], unique=True,
                    postgresql_where=sa.text('source_ref IS NOT NULL'))
    op.create_index('uq_coupons_order', 'coupons', ['order_id'], unique=True,
                    postgresql_where=sa.text('order_id IS NOT NULL'))
    op.create_index('ix_coupons_customer_status', 'coupons', ['customer_id', 'status', 'valid_until'])
    op.create_index('ix_coupons_expiring', 'coupons', ['valid_until'], postgresql_where=sa.text("status = 'available'"))
    op.add_column('orders', sa.Column('discount', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('orders', 'discount')
    op.drop_table('coupons')
