"""The worker's file, first part: review and employment status (verified/active become columns
generated from them), declared vs eligible skills, identity (sealed ID number, its keyed hash,
gender and birth date from it), experience; the status history.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add = lambda *a, **k: op.add_column('worker_profiles', sa.Column(*a, **k))  # noqa: E731
    add('declared_skills', postgresql.ARRAY(sa.String(length=32)), server_default='{}', nullable=False)
    add('review_status', sa.String(length=16), server_default='draft', nullable=False)
    add('employment_status', sa.String(length=16), server_default='active', nullable=False)
    # today's workers: verified -> approved, inactive -> suspended; what they do is what they declared
    op.execute("UPDATE worker_profiles SET declared_skills = skills, "
               "review_status = CASE WHEN verified THEN 'approved' ELSE 'draft' END, "
               "employment_status = CASE WHEN active THEN 'active' ELSE 'suspended' END")
    op.execute("DROP INDEX IF EXISTS ix_worker_profiles_home_earth")
    op.drop_column('worker_profiles', 'verified')
    op.drop_column('worker_profiles', 'active')
    op.execute("ALTER TABLE worker_profiles ADD COLUMN verified boolean "
               "GENERATED ALWAYS AS (review_status = 'approved') STORED")
    op.execute("ALTER TABLE worker_profiles ADD COLUMN active boolean "
               "GENERATED ALWAYS AS (employment_status = 'active') STORED")
    op.execute("CREATE INDEX ix_worker_profiles_home_earth ON worker_profiles USING gist (home_earth) "
               "WHERE active AND verified")
    add('real_name', sa.String(length=32), nullable=True)
    add('id_number_sealed', sa.Text(), nullable=True)
    add('id_number_hash', sa.String(length=64), nullable=True)
    add('id_number_masked', sa.String(length=18), nullable=True)
    add('gender', sa.String(length=8), nullable=True)
    add('birth_date', sa.Date(), nullable=True)
    add('experience_years', sa.SmallInteger(), server_default=sa.text('0'), nullable=False)
    add('experience', sa.Text(), server_default='', nullable=False)
    add('review_reasons', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"),
        nullable=False)
    add('review_note', sa.Text(), server_default='', nullable=False)
    add('submitted_at', sa.DateTime(timezone=True), nullable=True)
    add('reviewed_at', sa.DateTime(timezone=True), nullable=True)
    add('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)
    add('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)
    op.create_unique_constraint('uq_worker_profiles_id_number_hash', 'worker_profiles', ['id_number_hash'])
    op.create_check_constraint('ck_worker_profiles_review_status', 'worker_profiles',
                               "review_status IN ('draft', 'submitted', 'more_info', 'rejected', 'approved')")
    op.create_check_constraint('ck_worker_profiles_employment_status', 'worker_profiles',
                               "employment_status IN ('active', 'suspended', 'left')")
    op.create_check_constraint('ck_worker_profiles_gender', 'worker_profiles', "gender IN ('female', 'male')")
    op.create_table(
        'worker_status_events',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('from_status', sa.String(length=16), nullable=True),
        sa.Column('to_status', sa.String(length=16), nullable=False),
        sa.Column('reasons', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"),
                  nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['worker_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_worker_status_events_worker_id', 'worker_status_events', ['worker_id'])


def downgrade() -> None:
    op.drop_table('worker_status_events')
    for name in ('gender', 'employment_status', 'review_status'):
        op.drop_constraint(f'ck_worker_profiles_{name}', 'worker_profiles', type_='check')
    op.drop_constraint('uq_worker_profiles_id_number_hash', 'worker_profiles', type_='unique')
    for name in ('updated_at', 'created_at', 'reviewed_at', 'submitted_at', 'review_note', 'review_reasons',
                 'experience', 'experience_years', 'birth_date', 'gender', 'id_number_masked', 'id_number_hash',
                 'id_number_sealed', 'real_name'):
        op.drop_column('worker_profiles', name)
    op.execute("DROP INDEX IF EXISTS ix_worker_profiles_home_earth")
    op.drop_column('worker_profiles', 'verified')
    op.drop_column('worker_profiles', 'active')
    op.add_column('worker_profiles', sa.Column('verified', sa.Boolean(), server_default=sa.text('false'),
                                               nullable=False))
    op.add_column('worker_profiles', sa.Column('active', sa.Boolean(), server_default=sa.text('true'),
                                               nullable=False))
    op.execute("UPDATE worker_profiles SET verified = review_status = 'approved', "
               "active = employment_status = 'active'")
    op.execute("CREATE INDEX ix_worker_profiles_home_earth ON worker_profiles USING gist (home_earth) "
               "WHERE active AND verified")
    op.drop_column('worker_profiles', 'employment_status')
    op.drop_column('worker_profiles', 'review_status')
    op.drop_column('worker_profiles', 'declared_skills')
