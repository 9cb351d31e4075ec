"""booking

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # earthdistance (on cube) answers "which workers serve this address" with a GiST index.
    op.execute("CREATE EXTENSION IF NOT EXISTS cube")
    op.execute("CREATE EXTENSION IF NOT EXISTS earthdistance")
    op.create_table('booking_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_window_minutes', sa.Integer(), nullable=False),
    sa.Column('free_cancel_hours', sa.Integer(), nullable=False),
    sa.Column('late_cancel_fee_bp', sa.Integer(), nullable=False),
    sa.Column('min_lead_minutes', sa.Integer(), nullable=False),
    sa.Column('max_horizon_days', sa.Integer(), nullable=False),
    sa.Column('slot_step_minutes', sa.Integer(), nullable=False),
    sa.Column('travel_buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('evening_start', sa.SmallInteger(), nullable=False),
    sa.Column('evening_surcharge_bp', sa.Integer(), nullable=False),
    sa.Column('holiday_surcharge_bp', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_booking_rules_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_rules'))
    )
    op.create_table('holidays',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holidays'))
    )
    op.create_table('regions',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('city', sa.String(length=64), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('center_lat', sa.Float(), nullable=False),
    sa.Column('center_lng', sa.Float(), nullable=False),
    sa.Column('radius_km', sa.Float(), nullable=False),
    sa.Column('opens', sa.SmallInteger(), nullable=False),
    sa.Column('closes', sa.SmallInteger(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions'))
    )
    op.create_table('service_categories',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('icon', sa.String(length=64), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_categories'))
    )
    op.create_table('addresses',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('contact_name', sa.String(length=32), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('province', sa.String(length=32), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.Column('district', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=True),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_addresses_region_id_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_addresses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses'))
    )
    op.create_index(op.f('ix_addresses_user_id'), 'addresses', ['user_id'], unique=False)
    op.create_table('services',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('category_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('image_url', sa.String(length=500), nullable=True),
    sa.Column('skill', sa.String(length=32), nullable=False),
    sa.Column('pricing_kind', sa.String(length=16), nullable=False),
    sa.Column('unit_name', sa.String(length=16), nullable=False),
    sa.Column('items', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('options', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('min_hours', sa.Integer(), nullable=True),
    sa.Column('max_hours', sa.Integer(), nullable=True),
    sa.Column('min_days', sa.Integer(), nullable=True),
    sa.Column('max_days', sa.Integer(), nullable=True),
    sa.Column('daily_hours', sa.Integer(), nullable=True),
    sa.Column('deposit', sa.BigInteger(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['service_categories.id'], name=op.f('fk_services_category_id_service_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    op.create_index(op.f('ix_services_category_id'), 'services', ['category_id'], unique=False)
    op.create_table('worker_bookings',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('period', postgresql.TSTZRANGE(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    postgresql.ExcludeConstraint((sa.column('worker_id'), '='), (sa.column('period'), '&&'), where=sa.text('active'), using='gist', name='worker_bookings_no_overlap'),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_worker_bookings_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_bookings'))
    )
    op.create_index(op.f('ix_worker_bookings_order_id'), 'worker_bookings', ['order_id'], unique=False)
    op.create_index(op.f('ix_worker_bookings_worker_id'), 'worker_bookings', ['worker_id'], unique=False)
    op.create_table('worker_hours',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('start_minute', sa.SmallInteger(), nullable=False),
    sa.Column('end_minute', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('start_minute < end_minute', name=op.f('ck_worker_hours_ordered')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_worker_hours_worker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_hours'))
    )
    op.create_index(op.f('ix_worker_hours_worker_id'), 'worker_hours', ['worker_id'], unique=False)
    op.create_table('worker_leaves',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('worker_id', sa.BigInteger(), nullable=False),
    sa.Column('period', postgresql.TSTZRANGE(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_worker_leaves_worker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_leaves'))
    )
    op.create_index(op.f('ix_worker_leaves_worker_id'), 'worker_leaves', ['worker_id'], unique=False)
    op.create_table('worker_profiles',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=True),
    sa.Column('skills', postgresql.ARRAY(sa.String(length=32)), server_default='{}', nullable=False),
    sa.Column('home_lat', sa.Float(), nullable=True),
    sa.Column('home_lng', sa.Float(), nullable=True),
    sa.Column('radius_km', sa.Float(), nullable=False),
    sa.Column('verified', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('rating', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_worker_profiles_region_id_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_worker_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_worker_profiles'))
    )
    op.create_index(op.f('ix_worker_profiles_region_id'), 'worker_profiles', ['region_id'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('customer_id', sa.BigInteger(), nullable=False),
    sa.Column('service_id', sa.BigInteger(), nullable=False),
    sa.Column('address_id', sa.BigInteger(), nullable=False),
    sa.Column('request', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('rrule', sa.String(length=200), nullable=False),
    sa.Column('local_time', sa.SmallInteger(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('preferred_worker_id', sa.BigInteger(), nullable=True),
    sa.Column('skipped_dates', postgresql.ARRAY(sa.Date()), server_default='{}', nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('previous_plan_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['addresses.id'], name=op.f('fk_plans_address_id_addresses')),
    sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_plans_customer_id_users')),
    sa.ForeignKeyConstraint(['preferred_worker_id'], ['users.id'], name=op.f('fk_plans_preferred_worker_id_users')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_plans_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index(op.f('ix_plans_customer_id'), 'plans', ['customer_id'], unique=False)
    op.create_table('service_region_prices',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('service_id', sa.BigInteger(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=False),
    sa.Column('item_code', sa.String(length=32), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_service_region_prices_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_region_prices_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_region_prices')),
    sa.UniqueConstraint('service_id', 'region_id', 'item_code', name=op.f('uq_service_region_prices_service_id'))
    )
    op.create_index(op.f('ix_service_region_prices_service_id'), 'service_region_prices', ['service_id'], unique=False)
    op.create_table('orders',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.BigInteger(), nullable=False),
    sa.Column('service_id', sa.BigInteger(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=False),
    sa.Column('address_id', sa.BigInteger(), nullable=False),
    sa.Column('address', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('scheduled_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scheduled_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('request', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('quote', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('deposit', sa.BigInteger(), nullable=False),
    sa.Column('paid_amount', sa.BigInteger(), nullable=False),
    sa.Column('price_difference', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('held_worker_id', sa.BigInteger(), nullable=True),
    sa.Column('worker_id', sa.BigInteger(), nullable=True),
    sa.Column('plan_id', sa.BigInteger(), nullable=True),
    sa.Column('occurrence_date', sa.Date(), nullable=True),
    sa.Column('payment_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason_code', sa.String(length=32), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=True),
    sa.Column('cancel_fee', sa.BigInteger(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['addresses.id'], name=op.f('fk_orders_address_id_addresses')),
    sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_orders_customer_id_users')),
    sa.ForeignKeyConstraint(['held_worker_id'], ['users.id'], name=op.f('fk_orders_held_worker_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_orders_plan_id_plans')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_orders_region_id_regions')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_orders_service_id_services')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_orders_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number')),
    sa.UniqueConstraint('plan_id', 'occurrence_date', name='uq_orders_plan_occurrence')
    )
    op.create_index(op.f('ix_orders_customer_id'), 'orders', ['customer_id'], unique=False)
    op.create_index('ix_orders_customer_status', 'orders', ['customer_id', 'status', 'id'], unique=False)
    op.create_index('ix_orders_pending_due', 'orders', ['payment_due_at'], unique=False, postgresql_where=sa.text("status = 'pending_payment'"))
    op.create_index(op.f('ix_orders_plan_id'), 'orders', ['plan_id'], unique=False)
    op.create_index('ix_orders_status_start', 'orders', ['status', 'scheduled_start'], unique=False)
    op.create_index(op.f('ix_orders_worker_id'), 'orders', ['worker_id'], unique=False)
    op.create_table('order_events',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=True),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    op.create_index(op.f('ix_order_events_order_id'), 'order_events', ['order_id'], unique=False)
    op.execute("CREATE INDEX ix_worker_profiles_home_earth ON worker_profiles "
               "USING gist (ll_to_earth(home_lat, home_lng)) WHERE active AND verified")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_worker_profiles_home_earth")
    op.drop_index(op.f('ix_order_events_order_id'), table_name='order_events')
    op.drop_table('order_events')
    op.drop_index(op.f('ix_orders_worker_id'), table_name='orders')
    op.drop_index('ix_orders_status_start', table_name='orders')
    op.drop_index(op.f('ix_orders_plan_id'), table_name='orders')
    op.drop_index('ix_orders_pending_due', table_name='orders', postgresql_where=sa.text("status = 'pending_payment'"))
    op.drop_index('ix_orders_customer_status', table_name='orders')
    op.drop_index(op.f('ix_orders_customer_id'), table_name='orders')
    op.drop_table('orders')
    op.drop_index(op.f('ix_service_region_prices_service_id'), table_name='service_region_prices')
    op.drop_table('service_region_prices')
    op.drop_index(op.f('ix_plans_customer_id'), table_name='plans')
    op.drop_table('plans')
    op.drop_index(op.f('ix_worker_profiles_region_id'), table_name='worker_profiles')
    op.drop_table('worker_profiles')
    op.drop_index(op.f('ix_worker_leaves_worker_id'), table_name='worker_leaves')
    op.drop_table('worker_leaves')
    op.drop_index(op.f('ix_worker_hours_worker_id'), table_name='worker_hours')
    op.drop_table('worker_hours')
    op.drop_index(op.f('ix_worker_bookings_worker_id'), table_name='worker_bookings')
    op.drop_index(op.f('ix_worker_bookings_order_id'), table_name='worker_bookings')
    op.drop_table('worker_bookings')
    op.drop_index(op.f('ix_services_category_id'), table_name='services')
    op.drop_table('services')
    op.drop_index(op.f('ix_addresses_user_id'), table_name='addresses')
    op.drop_table('addresses')
    op.drop_table('service_categories')
    op.drop_table('regions')
    op.drop_table('holidays')
    op.drop_table('booking_rules')
