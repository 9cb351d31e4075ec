"""Reconciliation runs and their differences; payments and refunds indexed by the day they
settled (the daily reconciliation reads one provider-day at a time).

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reconciliation_runs',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        *[sa.Column(c, sa.BigInteger(), nullable=False) for c in (
            'bill_lines', 'matched', 'missing_here', 'missing_there', 'amount_differs', 'bill_payments',
            'bill_refunds', 'our_payments', 'our_refunds')],
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('started_by', sa.BigInteger(), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_reconciliation_runs'),
        sa.UniqueConstraint('provider', 'day', name='uq_reconciliation_runs_provider_day'),
    )
    op.create_table(
        'reconciliation_differences',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('run_id', sa.BigInteger(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('out_no', sa.String(length=64), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('bill_amount', sa.BigInteger(), nullable=True),
        sa.Column('our_amount', sa.BigInteger(), nullable=True),
        sa.Column('external_id', sa.String(length=64), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('payment_id', sa.BigInteger(), nullable=True),
        sa.Column('refund_id', sa.BigInteger(), nullable=True),
        sa.Column('resolution', sa.String(length=24), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('entry_id', sa.BigInteger(), nullable=True),
        sa.Column('resolved_by', sa.BigInteger(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['reconciliation_runs.id'],
                                name='fk_reconciliation_differences_run_id_reconciliation_runs'),
        sa.PrimaryKeyConstraint('id', name='pk_reconciliation_differences'),
        sa.UniqueConstraint('run_id', 'kind', 'out_no', name='uq_reconciliation_differences_line'),
    )
    op.create_index('ix_reconciliation_differences_open', 'reconciliation_differences',
                    ['run_id', 'category', 'resolved_at'])
    op.create_index('ix_payments_paid', 'payments', ['provider', 'paid_at'],
                    postgresql_where=sa.text("status = 'succeeded'"))
    op.create_index('ix_refunds_refunded', 'refunds', ['refunded_at'], postgresql_where=sa.text("status = 'succeeded'"))


def downgrade() -> None:
    op.drop_index('ix_refunds_refunded', table_name='refunds')
    op.drop_index('ix_payments_paid', table_name='payments')
    op.drop_table('reconciliation_differences')
    op.drop_table('reconciliation_runs')
