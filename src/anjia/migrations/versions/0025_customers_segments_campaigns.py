"""Customers for operators: staff tags and notes, RFM segment memberships (history), coupon
campaigns and their members; pg_trgm GIN indexes for the customer search (phone, address).

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

SEGMENT = "segment IN ('new', 'active', 'high_value', 'at_risk', 'lost')"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # 0001 has it already; the search needs it
    op.create_index('ix_users_phone_trgm', 'users', ['phone'], postgresql_using='gin',
                    postgresql_ops={'phone': 'gin_trgm_ops'})
    op.create_index('ix_addresses_district_trgm', 'addresses', ['district'], postgresql_using='gin',
                    postgresql_ops={'district': 'gin_trgm_ops'})
    op.create_index('ix_addresses_detail_trgm', 'addresses', ['detail'], postgresql_using='gin',
                    postgresql_ops={'detail': 'gin_trgm_ops'})

    op.create_table(
        'customer_tags',
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('tag', sa.String(length=20), nullable=False),
        sa.Column('created_by', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('customer_id', 'tag'),
    )
    op.create_index('ix_customer_tags_tag', 'customer_tags', ['tag'])

    op.create_table(
        'customer_notes',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('body', sa.String(length=1000), nullable=False),
        sa.Column('author_id', sa.BigInteger(), nullable=True),
        sa.Column('author_name', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_customer_notes_customer', 'customer_notes', ['customer_id', 'id'])

    op.create_table(
        'customer_segments',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('segment', sa.String(length=16), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recency_days', sa.BigInteger(), nullable=True),
        sa.Column('frequency', sa.BigInteger(), nullable=False),
        sa.Column('monetary', sa.BigInteger(), nullable=False),
        sa.CheckConstraint(SEGMENT, name=op.f('ck_customer_segments_segment')),
        sa.CheckConstraint('until IS NULL OR until > since', name=op.f('ck_customer_segments_period')),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('uq_customer_segments_current', 'customer_segments', ['customer_id'], unique=True,
                    postgresql_where=sa.text('until IS NULL'))
    op.create_index('ix_customer_segments_current_segment', 'customer_segments', ['segment', 'customer_id'],
                    postgresql_where=sa.text('until IS NULL'))
    op.create_index('ix_customer_segments_customer', 'customer_segments', ['customer_id', 'since'])

    op.create_table(
        'campaigns',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('segment', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('cap', sa.BigInteger(), nullable=True),
        sa.Column('min_spend', sa.BigInteger(), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=True),
        sa.Column('valid_days', sa.SmallInteger(), nullable=False),
        sa.Column('coupon_title', sa.String(length=64), nullable=False),
        sa.Column('control_bp', sa.SmallInteger(), nullable=False),
        sa.Column('created_by', sa.BigInteger(), nullable=True),
        sa.Column('created_by_name', sa.String(length=64), nullable=False),
        sa.Column('launched_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(SEGMENT, name=op.f('ck_campaigns_segment')),
        sa.CheckConstraint("kind IN ('amount', 'percent')", name=op.f('ck_campaigns_kind')),
        sa.CheckConstraint("value > 0 AND (kind = 'amount' OR value <= 10000)", name=op.f('ck_campaigns_value')),
        sa.CheckConstraint("cap IS NULL OR (cap > 0 AND kind = 'percent')", name=op.f('ck_campaigns_cap')),
        sa.CheckConstraint('min_spend >= 0', name=op.f('ck_campaigns_min_spend')),
        sa.CheckConstraint('valid_days BETWEEN 1 AND 3650', name=op.f('ck_campaigns_valid_days')),
        sa.CheckConstraint('control_bp BETWEEN 0 AND 5000', name=op.f('ck_campaigns_control_bp')),
        sa.ForeignKeyConstraint(['service_id'], ['services.id']),
        sa.PrimaryKeyConstraint('id'),
    )

    op.create_table(
        'campaign_members',
        sa.Column('campaign_id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('arm', sa.String(length=8), nullable=False),
        sa.Column('coupon_id', sa.BigInteger(), nullable=True),
        sa.CheckConstraint("arm IN ('treated', 'control')", name=op.f('ck_campaign_members_arm')),
        sa.CheckConstraint("(arm = 'treated') = (coupon_id IS NOT NULL)",
                           name=op.f('ck_campaign_members_coupon_when_treated')),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id']),
        sa.ForeignKeyConstraint(['coupon_id'], ['coupons.id']),
        sa.PrimaryKeyConstraint('campaign_id', 'customer_id'),
    )
    op.create_index('ix_campaign_members_customer', 'campaign_members', ['customer_id'])


def downgrade() -> None:
    op.drop_table('campaign_members')
    op.drop_table('campaigns')
    op.drop_table('customer_segments')
    op.drop_table('customer_notes')
    op.drop_table('customer_tags')
    op.drop_index('ix_addresses_detail_trgm', table_name='addresses')
    op.drop_index('ix_addresses_district_trgm', table_name='addresses')
    op.drop_index('ix_users_phone_trgm', table_name='users')
