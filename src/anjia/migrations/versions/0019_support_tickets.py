"""Support: tickets (complaints, suggestions, follow-ups of low reviews), their timeline and photos.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'tickets',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('content', sa.String(length=1000), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('review_id', sa.BigInteger(), nullable=True),
        sa.Column('worker_id', sa.BigInteger(), nullable=True),
        sa.Column('service_id', sa.BigInteger(), nullable=True),
        sa.Column('region_id', sa.BigInteger(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('assignee_id', sa.BigInteger(), nullable=True),
        sa.Column('result', sa.String(length=1000), nullable=True),
        sa.Column('root_cause', sa.String(length=24), nullable=True),
        sa.Column('upheld', sa.Boolean(), nullable=True),
        sa.Column('compensation', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
        sa.Column('reopen_count', sa.SmallInteger(), nullable=False),
        sa.Column('reopen_reason', sa.String(length=300), nullable=True),
        sa.Column('close_reason', sa.String(length=16), nullable=True),
        _at('assign_due_at', False), _at('response_due_at', False), _at('resolve_due_at', False),
        _at('assign_breached_at'), _at('response_breached_at'), _at('resolve_breached_at'),
        _at('created_at', False), _at('assigned_at'), _at('started_at'), _at('resolved_at'), _at('closed_at'),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name='fk_tickets_customer_id_users'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_tickets_order_id_orders'),
        sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name='fk_tickets_worker_id_users'),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name='fk_tickets_service_id_services'),
        sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name='fk_tickets_region_id_regions'),
        sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name='fk_tickets_assignee_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_tickets'),
        sa.UniqueConstraint('number', name='uq_tickets_number'),
    )
    op.create_index('uq_tickets_open_complaint_per_order', 'tickets', ['order_id'], unique=True,
                    postgresql_where=sa.text("kind = 'complaint' AND status <> 'closed'"))
    op.create_index('uq_tickets_review', 'tickets', ['review_id'], unique=True,
                    postgresql_where=sa.text('review_id IS NOT NULL'))
    op.create_index('ix_tickets_customer', 'tickets', ['customer_id', 'id'])
    op.create_index('ix_tickets_status', 'tickets', ['status', 'id'])
    op.create_index('ix_tickets_created', 'tickets', ['created_at'])
    op.create_index(op.f('ix_tickets_worker_id'), 'tickets', ['worker_id'])
    op.create_table(
        'ticket_events',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('ticket_id', sa.BigInteger(), nullable=False),
        sa.Column('type', sa.String(length=24), nullable=False),
        sa.Column('from_status', sa.String(length=16), nullable=True),
        sa.Column('to_status', sa.String(length=16), nullable=True),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        sa.Column('actor_kind', sa.String(length=16), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=True),
        sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
        _at('at', False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ondelete='CASCADE',
                                name='fk_ticket_events_ticket_id_tickets'),
        sa.PrimaryKeyConstraint('id', name='pk_ticket_events'),
    )
    op.create_index(op.f('ix_ticket_events_ticket_id'), 'ticket_events', ['ticket_id'])
    op.create_table(
        'ticket_photos',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('ticket_id', sa.BigInteger(), nullable=True),
        sa.Column('media_key', sa.String(length=200), nullable=False),
        sa.Column('thumb_key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['users.id'], ondelete='CASCADE',
                                name='fk_ticket_photos_customer_id_users'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ondelete='CASCADE',
                                name='fk_ticket_photos_ticket_id_tickets'),
        sa.PrimaryKeyConstraint('id', name='pk_ticket_photos'),
    )
    op.create_index(op.f('ix_ticket_photos_customer_id'), 'ticket_photos', ['customer_id'])
    op.create_index(op.f('ix_ticket_photos_ticket_id'), 'ticket_photos', ['ticket_id'])
    op.create_index('ix_ticket_photos_unattached', 'ticket_photos', ['created_at'],
                    postgresql_where=sa.text('ticket_id IS NULL'))


def downgrade() -> None:
    op.drop_table('ticket_photos')
    op.drop_table('ticket_events')
    op.drop_table('tickets')

