"""Migration round trips on a scratch database of their own, not on the test database.

Taking the test database back to before an early migration unapplies nearly every later migration of every app, and
Django re-renders every model state on the way (a minute of a core on this project); bringing it forward again costs
as much. A scratch database is migrated forward only as far as a test needs, which takes seconds, and is dropped
after it. It is of the test database's engine (an SQLite file, or a PostgreSQL database beside the test database).

For the block, the default connection is the scratch database's, so the migrations' own code (which reads and writes
through the default manager, as most data migrations do) and the test's queries both reach it; the test database's
connection is put back untouched afterwards.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend


@contextmanager
def scratch_database(directory, django_db_blocker):
    original = connections[DEFAULT_DB_ALIAS]
    settings_dict = {**original.settings_dict}
    postgres = original.vendor == "postgresql"
    name = f"{original.settings_dict['NAME']}_scratch" if postgres else str(directory / "scratch.sqlite3")
    settings_dict["NAME"] = name
    quoted = original.ops.quote_name(name)
    with django_db_blocker.unblock():
        if postgres:
            _run_outside(original, f"DROP DATABASE IF EXISTS {quoted}", f"CREATE DATABASE {quoted}")
        scratch = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = scratch
        try:
            yield
        finally:
            scratch.close()
            connections[DEFAULT_DB_ALIAS] = original
            _forget_cached_rows()
            if postgres:
                _run_outside(original, f"DROP DATABASE IF EXISTS {quoted}")


def migrate(targets):
    """Migrate the (scratch) database to `targets` ([(app, migration)]); returns the model classes of that state."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _run_outside(connection, *statements):
    with connection._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _forget_cached_rows():
    """Content types cached while the scratch database was the default would carry its ids."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
