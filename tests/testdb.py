"""Test databases built by migrations once, then copied.

Running every migration takes about 20 s of one core, and `make test` needs five test databases (two xdist workers
per stage and the process beside them). The first process to need a database migrates it as usual and keeps a copy
(a template database on PostgreSQL, a file on SQLite); the others copy it in well under a second, after which
`migrate` finds nothing to apply. The copy is named after a digest of every migration file and the Django version,
so a changed migration builds a new one; a lock file makes the others wait while the first builds it.
"""

import fcntl
import hashlib
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import django
from django.db.backends.base.creation import BaseDatabaseCreation

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "portal_test_template_"


def migrations_digest() -> str:
    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str):
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Postgres:
    def __init__(self, creation, name):
        self.creation, self.name = creation, name

    def _cursor(self):
        return self.creation.connection._nodb_cursor()

    def exists(self) -> bool:
        with self._cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    def copy_into(self, test_name: str):
        quote = self.creation.connection.ops.quote_name
        with self._cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(self.name)}")

    def keep(self, test_name: str):
        quote = self.creation.connection.ops.quote_name
        self.creation.connection.close()  # a template must have no open connection
        with self._cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(self.name)} TEMPLATE {quote(test_name)}")
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                           [PREFIX + "%", self.name])
            for (old,) in cursor.fetchall():
                try:
                    cursor.execute(f"DROP DATABASE {quote(old)}")
                except Exception:  # noqa: BLE001 - another checkout may be copying its own right now
                    pass


class _SQLite:
    def __init__(self, creation, name):
        self.creation = creation
        self.path = _sqlite_file(name)

    def exists(self) -> bool:
        return self.path.exists()

    def copy_into(self, test_name: str):
        connection = self.creation.connection
        connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
        source = sqlite3.connect(self.path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def keep(self, test_name: str):
        partial = self.path.with_suffix(".partial")
        target = sqlite3.connect(partial)
        try:
            self.creation.connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)
        for old in self.path.parent.glob(PREFIX + "*.sqlite3"):
            if old != self.path:
                old.unlink(missing_ok=True)


def _template_name() -> str:
    return PREFIX + migrations_digest()


def _sqlite_file(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}.sqlite3"


def sqlite_template() -> Path | None:
    """The migrated SQLite database kept for this set of migrations, if a test process has built it already."""
    path = _sqlite_file(_template_name())
    return path if path.exists() else None


def _template(creation):
    vendor = creation.connection.vendor
    if creation.connection.alias != "default" or vendor not in ("postgresql", "sqlite"):
        return None
    if vendor == "sqlite" and not creation.is_in_memory_db(creation._get_test_db_name()):
        return None
    name = _template_name()
    return (_Postgres if vendor == "postgresql" else _SQLite)(creation, name)


def _drop_even_if_still_connected():
    """At the end of a session a live server's request thread may still hold a connection to the test database: its
    client (ckanapi's session, a browser) kept the HTTP connection alive, and Django closes that thread's database
    connection only when the HTTP one ends. Django's plain DROP DATABASE then fails ("being accessed by other users")
    and leaves the database behind; PostgreSQL (13 and later) drops it anyway with FORCE, ending that session."""
    from django.db.backends.postgresql.creation import DatabaseCreation

    def _destroy_test_db(self, test_database_name, verbosity):
        self.connection.close_pool()
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)")

    DatabaseCreation._destroy_test_db = _destroy_test_db


def install():
    """Wrap Django's test-database creation (called once from pytest_configure)."""
    _drop_even_if_still_connected()
    create_test_db = BaseDatabaseCreation.create_test_db
    if getattr(create_test_db, "copies_a_template", False):
        return

    def create_from_template(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        template = None if keepdb else _template(self)
        if template is None:
            return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        with _locked(f"{PREFIX}{self.connection.vendor}"):
            if not template.exists():
                name = create_test_db(self, verbosity, autoclobber, serialize, keepdb)
                template.keep(name)
                return name

            def copy(verbosity, autoclobber, keepdb=False):
                name = self._get_test_db_name()
                template.copy_into(name)
                return name

            # in place of creating an empty database; `migrate` then finds every migration applied
            self._create_test_db = copy
            try:
                return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
            finally:
                del self._create_test_db

    create_from_template.copies_a_template = True
    BaseDatabaseCreation.create_test_db = create_from_template
