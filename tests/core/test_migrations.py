"""The migrations build exactly the tables the models declare (several people add migrations in
parallel: a column in a model but not in a migration would only fail in production)."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import anjia.models  # noqa: F401  (every table on the metadata)
from anjia.core.db import Base, sync_engine


@pytest.mark.filterwarnings("ignore:Did not recognize type 'cube'")  # earthdistance's domain, not ours
def test_models_and_migrations_agree(database_url):
    engine = sync_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False,
                                                             "include_object": _ours})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def _ours(obj, name, type_, reflected, compare_to):
    # procrastinate's queue tables are created by its own schema, not by our models
    return not (type_ == "table" and name and name.startswith("procrastinate"))
