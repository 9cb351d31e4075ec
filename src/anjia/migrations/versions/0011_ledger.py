"""Double-entry ledger: accounts, journal entries, postings; the database refuses unbalanced
entries (deferred constraint trigger, checked at commit) and edits of posted rows.

Revision ID: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ledger_accounts',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('owner_id', sa.BigInteger(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_ledger_accounts'),
        sa.UniqueConstraint('code', name='uq_ledger_accounts_code'),
    )
    op.create_index('ix_ledger_accounts_owner_id', 'ledger_accounts', ['owner_id'])
    op.create_table(
        'journal_entries',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('memo', sa.String(length=200), nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('payment_id', sa.BigInteger(), nullable=True),
        sa.Column('refund_id', sa.BigInteger(), nullable=True),
        sa.Column('reference', sa.String(length=64), nullable=True),
        sa.Column('reverses_id', sa.BigInteger(), nullable=True),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['reverses_id'], ['journal_entries.id'],
                                name='fk_journal_entries_reverses_id_journal_entries'),
        sa.PrimaryKeyConstraint('id', name='pk_journal_entries'),
        sa.UniqueConstraint('reverses_id', name='uq_journal_entries_reverses_id'),
    )
    for col in ('order_id', 'payment_id', 'refund_id', 'reference'):
        op.create_index(f'ix_journal_entries_{col}', 'journal_entries', [col])
    op.create_index('ix_journal_entries_created', 'journal_entries', ['created_at'])
    op.create_table(
        'postings',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('entry_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.CheckConstraint('amount <> 0', name='ck_postings_nonzero'),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name='fk_postings_entry_id_journal_entries'),
        sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name='fk_postings_account_id_ledger_accounts'),
        sa.PrimaryKeyConstraint('id', name='pk_postings'),
    )
    op.create_index('ix_postings_entry_id', 'postings', ['entry_id'])
    op.create_index('ix_postings_account_entry', 'postings', ['account_id', 'entry_id'])
    op.execute("""
        CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE bad record;
        BEGIN
          SELECT currency, sum(amount) AS total INTO bad FROM postings WHERE entry_id = NEW.entry_id
            GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'journal entry % does not balance: % % off', NEW.entry_id, bad.total, bad.currency
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON postings
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
        CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the ledger is append-only: post a reversing entry instead'
            USING ERRCODE = 'restrict_violation';
        END $$;
        CREATE TRIGGER postings_immutable BEFORE UPDATE OR DELETE ON postings
          FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
        CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
          FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
    """)


def downgrade() -> None:
    op.execute("DROP TABLE postings; DROP TABLE journal_entries; DROP TABLE ledger_accounts;"
               "DROP FUNCTION ledger_entry_balanced(); DROP FUNCTION ledger_immutable();")
