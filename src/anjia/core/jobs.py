"""Background jobs on procrastinate (PostgreSQL-backed queue, periodic tasks, retries): the queue's
schema and the one transaction helper every job runs through. The registry of tasks is
`anjia.jobs` (above the domains)."""
import procrastinate

from anjia.core import db


def schema_sql() -> str:
    return procrastinate.schema.SchemaManager.get_schema()


async def in_transaction(work, *args):
    """Jobs open their own session (never a request's), run one unit of work and commit it."""
    async with db.sessionmaker()() as session:
        result = await work(session, *args)
        await session.commit()
        return result
