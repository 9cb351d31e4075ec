from alembic import context

import anjia.models  # noqa: F401  (registers every table on Base.metadata)
from anjia.core.db import Base, sync_engine

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # The job queue's tables belong to procrastinate (applied from its schema in 0001).
    return not (type_ == "table" and name.startswith("procrastinate_")) and not (
        type_ == "index" and getattr(getattr(obj, "table", None), "name", "").startswith("procrastinate_"))


def run() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata, compare_type=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sync_engine(context.config.attributes.get("url"))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, compare_type=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
