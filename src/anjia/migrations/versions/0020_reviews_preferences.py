"""Reviews (one per order, photos, reminders) and the customer's preferences and favourites.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created() -> sa.Column:
    return sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}', ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        'reviews',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=False),
        sa.Column('quality', sa.SmallInteger(), nullable=False),
        sa.Column('attitude', sa.SmallInteger(), nullable=False),
        sa.Column('skill', sa.SmallInteger(), nullable=False),
        sa.Column('text', sa.Text(), server_default='', nullable=False),
        sa.Column('anonymous', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('low', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('follow_up_ticket_id', sa.BigInteger(), nullable=True),
        sa.Column('reply', sa.Text(), nullable=True),
        _at('replied_at'),
        _at('hidden_at'),
        sa.Column('hidden_reason', sa.String(length=200), nullable=True),
        sa.Column('hidden_by', sa.BigInteger(), nullable=True),
        _at('created_at', nullable=False),
        _at('edited_at'),
        sa.CheckConstraint('quality BETWEEN 1 AND 5 AND attitude BETWEEN 1 AND 5 AND skill BETWEEN 1 AND 5',
                           name=op.f('ck_reviews_scores_1_to_5')),
        _fk('reviews', 'order_id', 'orders', 'CASCADE'),
        _fk('reviews', 'customer_id', 'users'),
        _fk('reviews', 'worker_id', 'users'),
        _fk('reviews', 'service_id', 'services'),
        _fk('reviews', 'hidden_by', 'users'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
        sa.UniqueConstraint('order_id', name=op.f('uq_reviews_order_id')),
    )
    op.create_index(op.f('ix_reviews_customer_id'), 'reviews', ['customer_id'])
    op.create_index('ix_reviews_worker_created', 'reviews', ['worker_id', 'created_at'])
    op.create_table(
        'review_photos',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('review_id', sa.BigInteger(), nullable=True),
        sa.Column('position', sa.SmallInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('media_key', sa.String(length=200), nullable=False),
        sa.Column('thumb_key', sa.String(length=200), nullable=False),
        _created(),
        _fk('review_photos', 'customer_id', 'users', 'CASCADE'),
        _fk('review_photos', 'review_id', 'reviews', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_photos')),
    )
    op.create_index(op.f('ix_review_photos_customer_id'), 'review_photos', ['customer_id'])
    op.create_index(op.f('ix_review_photos_review_id'), 'review_photos', ['review_id'])
    op.create_table(
        'review_reminders',
        sa.Column('order_id', sa.BigInteger(), nullable=False),
        _at('sent_at', nullable=False),
        _fk('review_reminders', 'order_id', 'orders', 'CASCADE'),
        sa.PrimaryKeyConstraint('order_id', name=op.f('pk_review_reminders')),
    )
    op.create_table(
        'customer_preferences',
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('worker_gender', sa.String(length=8), server_default='any', nullable=False),
        sa.Column('dialect', sa.String(length=32), server_default='', nullable=False),
        sa.Column('pets', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('eco_products', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('quiet_service', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('note', sa.String(length=200), server_default='', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        _fk('customer_preferences', 'customer_id', 'users', 'CASCADE'),
        sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_customer_preferences')),
    )
    op.create_table(
        'favourite_services',
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=False),
        _created(),
        _fk('favourite_services', 'customer_id', 'users', 'CASCADE'),
        _fk('favourite_services', 'service_id', 'services', 'CASCADE'),
        sa.PrimaryKeyConstraint('customer_id', 'service_id', name=op.f('pk_favourite_services')),
    )
    op.create_table(
        'favourite_workers',
        sa.Column('customer_id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        _created(),
        _fk('favourite_workers', 'customer_id', 'users', 'CASCADE'),
        _fk('favourite_workers', 'worker_id', 'users', 'CASCADE'),
        sa.PrimaryKeyConstraint('customer_id', 'worker_id', name=op.f('pk_favourite_workers')),
    )
    op.create_index(op.f('ix_favourite_workers_worker_id'), 'favourite_workers', ['worker_id'])


def downgrade() -> None:
    op.drop_table('favourite_workers')
    op.drop_table('favourite_services')
    op.drop_table('customer_preferences')
    op.drop_table('review_reminders')
    op.drop_table('review_photos')
    op.drop_table('reviews')
