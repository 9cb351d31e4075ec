"""Worker certificates (with the skills they are required for), training records, operators'
notes, sign-up photos and face verification on the profile; `worker_certified_until`, the one
certificate rule that availability and dispatch both read.

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# Which certificate kinds a skill needs; '*' is every skill (a health certificate for all work).
REQUIREMENTS = [('*', 'health'), ('nanny', 'nanny'), ('maternity', 'maternity'), ('elderly_care', 'elderly'),
                ('patient_care', 'elderly')]

# The day the worker stops being certified for a skill: the earliest, over the kinds the skill
# needs, of the latest expiry of an approved certificate of that kind; NULL when a kind is
# missing; 'infinity' when the skill needs nothing. Eligible on day d  <=>  d < this date.
CERTIFIED_UNTIL = """
CREATE FUNCTION worker_certified_until(for_worker bigint, for_skill text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN count(*) = 0 THEN 'infinity'::date
                WHEN bool_and(held.until IS NOT NULL) THEN min(held.until) END
    FROM certificate_requirements r
    CROSS JOIN LATERAL (SELECT max(c.expires_on) AS until FROM worker_certificates c
                        WHERE c.worker_id = for_worker AND c.kind = r.kind AND c.status = 'approved') held
    WHERE r.skill IN ('*', for_skill)
$$
"""


def _created() -> sa.Column:
    return sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def upgrade() -> None:
    for name, type_ in [('id_photo_key', sa.String(length=200)), ('selfie_key', sa.String(length=200)),
                        ('face_provider', sa.String(length=16)), ('face_status', sa.String(length=16)),
                        ('face_score', sa.Float()), ('face_checked_at', sa.DateTime(timezone=True))]:
        op.add_column('worker_profiles', sa.Column(name, type_, nullable=True))
    op.add_column('worker_profiles', sa.Column('face_detail', sa.Text(), server_default='', nullable=False))

    op.create_table(
        'worker_certificates',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('photo_key', sa.String(length=200), nullable=False),
        sa.Column('thumb_key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('review_note', sa.Text(), server_default='', nullable=False),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lapsed_at', sa.DateTime(timezone=True), nullable=True),
        _created(),
        sa.CheckConstraint("kind IN ('health', 'housekeeping', 'nanny', 'maternity', 'elderly')",
                           name=op.f('ck_worker_certificates_kind')),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_worker_certificates_status')),
        sa.CheckConstraint('issued_on IS NULL OR issued_on < expires_on', name=op.f('ck_worker_certificates_dates')),
        sa.ForeignKeyConstraint(['worker_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_worker_certificates_worker_kind', 'worker_certificates', ['worker_id', 'kind'])

    op.create_table(
        'certificate_requirements',
        sa.Column('skill', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('skill', 'kind'),
    )
    op.bulk_insert(sa.table('certificate_requirements', sa.column('skill'), sa.column('kind')),
                   [{'skill': s, 'kind': k} for s, k in REQUIREMENTS])

    op.create_table(
        'worker_trainings',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('course', sa.String(length=64), nullable=False),
        sa.Column('taken_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('result', sa.String(length=16), nullable=False),
        sa.Column('certificate_number', sa.String(length=64), server_default='', nullable=False),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        _created(),
        sa.CheckConstraint("result IN ('passed', 'failed', 'attended')", name=op.f('ck_worker_trainings_result')),
        sa.CheckConstraint('hours > 0 AND hours <= 1000', name=op.f('ck_worker_trainings_hours')),
        sa.ForeignKeyConstraint(['worker_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_worker_trainings_worker_id'), 'worker_trainings', ['worker_id'])

    op.create_table(
        'worker_notes',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('worker_id', sa.BigInteger(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        _created(),
        sa.ForeignKeyConstraint(['worker_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_worker_notes_worker_id'), 'worker_notes', ['worker_id'])

    op.execute(CERTIFIED_UNTIL)
    # Workers approved before certificates existed keep serving: their declared skills are taken
    # as certified for a year, pending an operator's check (the console shows the placeholder).
    op.execute("""
        INSERT INTO worker_certificates (worker_id, kind, number, expires_on, photo_key, thumb_key, status, review_note)
        SELECT p.user_id, k.kind, 'MIGRATED', current_date + 365, '', '', 'approved', '迁移前已审核，待补证书照片'
        FROM worker_profiles p
        CROSS JOIN LATERAL (SELECT DISTINCT r.kind FROM certificate_requirements r
                            WHERE r.skill = '*' OR r.skill = ANY(p.declared_skills)) k
        WHERE p.review_status = 'approved'""")


def downgrade() -> None:
    op.execute("DROP FUNCTION worker_certified_until(bigint, text)")
    op.drop_table('worker_notes')
    op.drop_table('worker_trainings')
    op.drop_table('certificate_requirements')
    op.drop_table('worker_certificates')
    for name in ('face_detail', 'face_checked_at', 'face_score', 'face_status', 'face_provider', 'selfie_key',
                 'id_photo_key'):
        op.drop_column('worker_profiles', name)
