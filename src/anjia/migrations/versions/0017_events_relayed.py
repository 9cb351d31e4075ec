"""Events an API process relays itself after commit (batched NOTIFY) skip the per-row trigger.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('events', sa.Column('relayed', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.execute("DROP TRIGGER events_notify ON events")
    op.execute("CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW WHEN (NOT NEW.relayed) "
               "EXECUTE FUNCTION anjia_notify_event()")


def downgrade() -> None:
    op.execute("DROP TRIGGER events_notify ON events")
    op.execute("CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION anjia_notify_event()")
    op.drop_column('events', 'relayed')
