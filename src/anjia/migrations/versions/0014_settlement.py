"""Settlement: commission rules, earnings, adjustments, statements and their lines (append-only),
disputes, withdrawal requests; workers get a level.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created() -> sa.Column:
    return sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}')


def _money(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.BigInteger(), nullable=False) for n in names]


def upgrade() -> None:
    op.add_column('worker_profiles', sa.Column('level', sa.SmallInteger(), server_default='1', nullable=False))
    op.create_table(
        'commission_rules',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=True),
        sa.Column('region_id', sa.BigInteger(), nullable=True),
        sa.Column('worker_level', sa.SmallInteger(), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        _at('valid_from', False),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        _created(),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name='ck_commission_rules_kind'),
        sa.CheckConstraint("value >= 0 AND (kind = 'fixed' OR value <= 10000)", name='ck_commission_rules_value'),
        _fk('commission_rules', 'service_id', 'services'),
        _fk('commission_rules', 'region_id', 'regions'),
        sa.PrimaryKeyConstraint('id', name='pk_commission_rules'),
    )
    op.create_table(
        'earnings',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('service_id', sa.BigInteger(), nullable=False),
        sa.Column('region_id', sa.BigInteger(), nullable=False),
        *_money('gross', 'discount', 'commission', 'net'),
        sa.Column('rule_id', sa.BigInteger(), nullable=True),
        sa.Column('rule_kind', sa.String(length=8), nullable=False),
        sa.Column('rule_value', sa.BigInteger(), nullable=False),
        sa.Column('entry_id', sa.BigInteger(), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('gross >= 0 AND discount >= 0 AND commission >= 0 AND net = gross - commission',
                           name='ck_earnings_amounts'),
        _fk('earnings', 'order_id', 'orders'), _fk('earnings', 'worker_id', 'users'),
        _fk('earnings', 'service_id', 'services'), _fk('earnings', 'region_id', 'regions'),
        _fk('earnings', 'rule_id', 'commission_rules'), _fk('earnings', 'entry_id', 'journal_entries'),
        sa.PrimaryKeyConstraint('id', name='pk_earnings'),
        sa.UniqueConstraint('order_id', name='uq_earnings_order_id'),
    )
    op.create_index('ix_earnings_worker_computed', 'earnings', ['worker_id', 'computed_at'])
    op.create_table(
        'settlement_adjustments',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('entry_id', sa.BigInteger(), nullable=True),
        sa.Column('created_by', sa.BigInteger(), nullable=True),
        _created(),
        sa.CheckConstraint('amount > 0', name='ck_settlement_adjustments_positive'),
        _fk('settlement_adjustments', 'worker_id', 'users'), _fk('settlement_adjustments', 'order_id', 'orders'),
        _fk('settlement_adjustments', 'entry_id', 'journal_entries'),
        _fk('settlement_adjustments', 'created_by', 'users'),
        sa.PrimaryKeyConstraint('id', name='pk_settlement_adjustments'),
    )
    op.create_index('ix_settlement_adjustments_worker_id', 'settlement_adjustments', ['worker_id'])
    op.create_table(
        'statements',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        *_money('orders', 'gross', 'commission', 'net', 'adjustments', 'total'),
        _created(), _at('approved_at'),
        sa.Column('approved_by', sa.BigInteger(), nullable=True),
        _at('paid_at'),
        sa.Column('paid_by', sa.BigInteger(), nullable=True),
        sa.Column('bank_reference', sa.String(length=64), nullable=True),
        sa.Column('payout_entry_id', sa.BigInteger(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'approved', 'paid')", name='ck_statements_status'),
        _fk('statements', 'worker_id', 'users'), _fk('statements', 'approved_by', 'users'),
        _fk('statements', 'paid_by', 'users'), _fk('statements', 'payout_entry_id', 'journal_entries'),
        sa.PrimaryKeyConstraint('id', name='pk_statements'),
        sa.UniqueConstraint('number', name='uq_statements_number'),
        sa.UniqueConstraint('worker_id', 'period_start', 'period_end', name='uq_statements_worker_period'),
    )
    op.create_index('ix_statements_worker_id', 'statements', ['worker_id'])
    op.create_index('ix_statements_status', 'statements', ['status', 'id'])
    op.create_table(
        'statement_lines',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('statement_id', sa.BigInteger(), nullable=False),
        sa.Column('earning_id', sa.BigInteger(), nullable=True),
        sa.Column('adjustment_id', sa.BigInteger(), nullable=True),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('description', sa.String(length=200), nullable=False),
        *_money('gross', 'commission', 'amount'),
        sa.CheckConstraint('(earning_id IS NULL) <> (adjustment_id IS NULL)', name='ck_statement_lines_one_source'),
        _fk('statement_lines', 'statement_id', 'statements'), _fk('statement_lines', 'earning_id', 'earnings'),
        _fk('statement_lines', 'adjustment_id', 'settlement_adjustments'),
        _fk('statement_lines', 'order_id', 'orders'),
        sa.PrimaryKeyConstraint('id', name='pk_statement_lines'),
        sa.UniqueConstraint('earning_id', name='uq_statement_lines_earning_id'),
        sa.UniqueConstraint('adjustment_id', name='uq_statement_lines_adjustment_id'),
    )
    op.create_index('ix_statement_lines_statement_id', 'statement_lines', ['statement_id'])
    op.create_table(
        'statement_disputes',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('line_id', sa.BigInteger(), nullable=False),
        sa.Column('statement_id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('decision_note', sa.String(length=200), nullable=True),
        sa.Column('adjustment_id', sa.BigInteger(), nullable=True),
        sa.Column('decided_by', sa.BigInteger(), nullable=True),
        _at('decided_at'), _created(),
        sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name='ck_statement_disputes_status'),
        _fk('statement_disputes', 'line_id', 'statement_lines'),
        _fk('statement_disputes', 'statement_id', 'statements'),
        _fk('statement_disputes', 'worker_id', 'users'),
        _fk('statement_disputes', 'adjustment_id', 'settlement_adjustments'),
        _fk('statement_disputes', 'decided_by', 'users'),
        sa.PrimaryKeyConstraint('id', name='pk_statement_disputes'),
        sa.UniqueConstraint('line_id', name='uq_statement_disputes_line_id'),
        sa.UniqueConstraint('adjustment_id', name='uq_statement_disputes_adjustment_id'),
    )
    op.create_index('ix_statement_disputes_statement_id', 'statement_disputes', ['statement_id'])
    op.create_index('ix_statement_disputes_worker_id', 'statement_disputes', ['worker_id'])
    op.create_index('ix_statement_disputes_status', 'statement_disputes', ['status', 'id'])
    op.create_table(
        'withdrawals',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('decided_by', sa.BigInteger(), nullable=True),
        _at('decided_at'),
        sa.Column('statement_id', sa.BigInteger(), nullable=True),
        _at('paid_at'), _created(),
        sa.CheckConstraint('amount > 0', name='ck_withdrawals_positive'),
        sa.CheckConstraint("status IN ('requested', 'approved', 'rejected', 'paid')", name='ck_withdrawals_status'),
        _fk('withdrawals', 'worker_id', 'users'), _fk('withdrawals', 'decided_by', 'users'),
        _fk('withdrawals', 'statement_id', 'statements'),
        sa.PrimaryKeyConstraint('id', name='pk_withdrawals'),
        sa.UniqueConstraint('number', name='uq_withdrawals_number'),
    )
    op.create_index('ix_withdrawals_worker_id', 'withdrawals', ['worker_id'])
    op.create_index('ix_withdrawals_status', 'withdrawals', ['status', 'id'])
    op.create_index('uq_withdrawals_one_open', 'withdrawals', ['worker_id'], unique=True,
                    postgresql_where=sa.text("status IN ('requested', 'approved')"))
    # A statement's lines and amounts are what finance approved and paid: never edited.
    op.execute("""
        CREATE FUNCTION statement_lines_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'statement lines are immutable: correct with an adjustment'
            USING ERRCODE = 'restrict_violation';
        END $$;
        CREATE TRIGGER statement_lines_immutable BEFORE UPDATE OR DELETE ON statement_lines
          FOR EACH ROW EXECUTE FUNCTION statement_lines_immutable();
        CREATE FUNCTION statement_amounts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (NEW.worker_id, NEW.period_start, NEW.period_end, NEW.orders, NEW.gross, NEW.commission, NEW.net,
              NEW.adjustments, NEW.total) IS DISTINCT FROM (OLD.worker_id, OLD.period_start, OLD.period_end,
              OLD.orders, OLD.gross, OLD.commission, OLD.net, OLD.adjustments, OLD.total) THEN
            RAISE EXCEPTION 'statement amounts are immutable: correct with an adjustment'
              USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER statement_amounts_immutable BEFORE UPDATE ON statements
          FOR EACH ROW EXECUTE FUNCTION statement_amounts_immutable();
    """)


def downgrade() -> None:
    op.execute("DROP TABLE withdrawals, statement_disputes, statement_lines, statements, settlement_adjustments, "
               "earnings, commission_rules; DROP FUNCTION statement_lines_immutable(); "
               "DROP FUNCTION statement_amounts_immutable();")
    op.drop_column('worker_profiles', 'level')
