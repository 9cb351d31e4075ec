"""SMS through real providers: every text handed to the provider with its message id and delivery
status (sms_messages), and the template variables of a notification's SMS copy.

Revision ID: 0026
Revises: 0025
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sms_messages',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=48), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('template', sa.String(length=64), nullable=False),
        sa.Column('message_id', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('error_code', sa.String(length=64), nullable=True),
        sa.Column('error_message', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_sms_messages'),
    )
    op.create_index('ix_sms_messages_message', 'sms_messages', ['provider', 'message_id'])
    op.create_index('ix_sms_messages_awaiting', 'sms_messages', ['provider', 'id'],
                    postgresql_where=sa.text("status = 'sent'"))
    op.add_column('notifications', sa.Column('sms_params', postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column('notifications', 'sms_params')
    op.drop_table('sms_messages')
