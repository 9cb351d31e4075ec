"""Monthly performance: evaluated months, scorecards, reward rules and the rewards given; a
settlement adjustment's source (a reward is posted once per source).

Revision ID: 0022
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0022'
down_revision = '0020'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True, now: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=sa.text('now()') if now else None)


def _fk(table: str, column: str, target: str, key: str = 'id') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.{key}'], name=f'fk_{table}_{column}_{target}')


def _ints(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.Integer(), nullable=False) for n in names]


def _points(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.Numeric(4, 1), nullable=False) for n in names]


def upgrade() -> None:
    op.add_column('settlement_adjustments', sa.Column('source', sa.String(length=64), nullable=True))
    op.create_unique_constraint('uq_settlement_adjustments_source', 'settlement_adjustments', ['source'])
    op.create_table(
        'performance_months',
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('weights', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('workers', sa.Integer(), nullable=False),
        _at('computed_at', False, True),
        sa.Column('computed_by', sa.BigInteger(), nullable=True),
        _at('published_at'),
        sa.Column('published_by', sa.BigInteger(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'published')", name='ck_performance_months_status'),
        sa.CheckConstraint('extract(day FROM month) = 1', name='ck_performance_months_first_day'),
        _fk('performance_months', 'computed_by', 'users'), _fk('performance_months', 'published_by', 'users'),
        sa.PrimaryKeyConstraint('month', name='pk_performance_months'),
    )
    op.create_table(
        'performance_scorecards',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('region_id', sa.BigInteger(), nullable=True),
        sa.Column('service_ids', postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Numeric(3, 2), nullable=True),
        *_ints('visits', 'late', 'late_minutes', 'taken', 'completed', 'offered', 'accepted', 'overruns',
               'overrun_minutes', 'complaints'),
        *_points('rating_points', 'punctuality_points', 'completion_points', 'acceptance_points', 'overrun_points',
                 'complaint_points', 'score'),
        sa.Column('grade', sa.String(length=1), nullable=False),
        _at('computed_at', False, True),
        sa.CheckConstraint("grade IN ('S', 'A', 'B', 'C')", name='ck_performance_scorecards_grade'),
        _fk('performance_scorecards', 'month', 'performance_months', 'month'),
        _fk('performance_scorecards', 'worker_id', 'users'), _fk('performance_scorecards', 'region_id', 'regions'),
        sa.PrimaryKeyConstraint('id', name='pk_performance_scorecards'),
        sa.UniqueConstraint('worker_id', 'month', name='uq_performance_scorecards_worker_month'),
    )
    op.create_index('ix_performance_scorecards_month_score', 'performance_scorecards', ['month', 'score'])
    op.create_table(
        'performance_reward_rules',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('min_score', sa.Numeric(4, 1), nullable=True),
        sa.Column('below_score', sa.Numeric(4, 1), nullable=True),
        sa.Column('min_completed', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('badge', sa.String(length=16), nullable=True),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        _at('created_at', False, True), _at('updated_at', False, True),
        sa.CheckConstraint("kind IN ('bonus', 'level_up', 'level_down', 'badge')",
                           name='ck_performance_reward_rules_kind'),
        sa.CheckConstraint("(kind = 'bonus') = (amount IS NOT NULL)", name='ck_performance_reward_rules_bonus_amount'),
        sa.CheckConstraint("(kind = 'badge') = (badge IS NOT NULL)", name='ck_performance_reward_rules_badge_name'),
        sa.CheckConstraint('min_score IS NOT NULL OR below_score IS NOT NULL',
                           name='ck_performance_reward_rules_has_range'),
        sa.PrimaryKeyConstraint('id', name='pk_performance_reward_rules'),
    )
    op.create_table(
        'performance_rewards',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('rule_id', sa.BigInteger(), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('adjustment_id', sa.BigInteger(), nullable=True),
        sa.Column('badge', sa.String(length=16), server_default='', nullable=False),
        sa.Column('level_from', sa.SmallInteger(), nullable=True),
        sa.Column('level_to', sa.SmallInteger(), nullable=True),
        _at('created_at', False, True),
        sa.CheckConstraint("kind IN ('bonus', 'level', 'badge')", name='ck_performance_rewards_kind'),
        _fk('performance_rewards', 'month', 'performance_months', 'month'),
        _fk('performance_rewards', 'worker_id', 'users'),
        _fk('performance_rewards', 'rule_id', 'performance_reward_rules'),
        _fk('performance_rewards', 'adjustment_id', 'settlement_adjustments'),
        sa.PrimaryKeyConstraint('id', name='pk_performance_rewards'),
        sa.UniqueConstraint('worker_id', 'month', 'kind', 'badge', name='uq_performance_rewards_once'),
    )
    op.create_index('ix_performance_rewards_worker_id', 'performance_rewards', ['worker_id'])
    # A published month is final: its row cannot go back to draft, its scorecards cannot change, and
    # rewards are only ever added.
    op.execute("""
        CREATE FUNCTION performance_month_final() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'performance month % is published', OLD.month USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$;
        CREATE TRIGGER performance_month_final BEFORE UPDATE OR DELETE ON performance_months
          FOR EACH ROW EXECUTE FUNCTION performance_month_final();
        CREATE FUNCTION performance_scorecard_final() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM performance_months WHERE month = OLD.month AND status = 'published') THEN
            RAISE EXCEPTION 'performance month % is published', OLD.month USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$;
        CREATE TRIGGER performance_scorecard_final BEFORE UPDATE OR DELETE ON performance_scorecards
          FOR EACH ROW EXECUTE FUNCTION performance_scorecard_final();
        CREATE FUNCTION performance_rewards_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'performance rewards are append-only' USING ERRCODE = 'restrict_violation';
        END $$;
        CREATE TRIGGER performance_rewards_append_only BEFORE UPDATE OR DELETE ON performance_rewards
          FOR EACH ROW EXECUTE FUNCTION performance_rewards_append_only();
    """)


def downgrade() -> None:
    op.execute("DROP TABLE performance_rewards, performance_reward_rules, performance_scorecards, performance_months; "
               "DROP FUNCTION performance_month_final(); DROP FUNCTION performance_scorecard_final(); "
               "DROP FUNCTION performance_rewards_append_only();")
    op.drop_constraint('uq_settlement_adjustments_source', 'settlement_adjustments')
    op.drop_column('settlement_adjustments', 'source')
