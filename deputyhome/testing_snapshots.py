"""Table snapshots for tests: build a large data set once (the demo city), load it again in a moment.

A snapshot is the rows a build added, per table; `take_snapshot` builds and checks it, `cached_snapshot` shares it
between the test processes of one `make test` run, `load_snapshot` writes it into the current transaction.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import functools
import hashlib
import os
import pickle  # noqa: S403 - our own snapshots, written by this test run into its own folder
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TableSnapshot:
    """The rows a build added to the database: restored by `load_snapshot` in the current transaction.

    `added` holds, per table, the column names and the rows that were not there before the build;
    `replaced` names the tables whose earlier rows the build changed or removed: they are emptied and
    refilled whole.
    """

    added: dict[str, tuple[list[str], list[tuple]]]
    replaced: set[str]


# The audit triggers' switch: a test sets it itself (see conftest.py), never a snapshot.
_NOT_SNAPSHOT = {"audit_maintenance"}


def _table_contents(cursor, tables: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    from django.db import connection

    contents = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
        contents[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    return contents


def _tables(cursor) -> list[str]:
    from django.db import connection

    return sorted(set(connection.introspection.table_names(cursor)) - _NOT_SNAPSHOT)


# The rows the migrations left in this worker's test database (default categories, result classes, the station
# checklist ...), read by conftest.py right after the database was made, before any test could change them.
_MIGRATED: dict[str, tuple[list[str], list[tuple]]] = {}


def remember_migration_rows() -> None:
    """Read the rows the migrations wrote; `restore_migration_rows` puts them back."""
    from django.db import connection

    with connection.cursor() as cursor:
        contents = _table_contents(cursor, _tables(cursor))
    _MIGRATED.clear()
    _MIGRATED.update({table: content for table, content in contents.items() if content[1]})


def restore_migration_rows() -> None:
    """Put back the rows the migrations wrote where a transactional test's flush removed them (conftest.py calls this
    right after each flush). They get back the ids the migrations gave them, so a snapshot's rows that point to them
    stay right. Tables that the flush refilled itself (content types, permissions) are left as they are."""
    from django.db import connection

    qn = connection.ops.quote_name
    if not _MIGRATED:
        return
    tables = list(_MIGRATED)
    # One query for every table: a row of 1s, a NULL for each empty table.
    probes = ", ".join(f"(SELECT 1 FROM {qn(table)} LIMIT 1)" for table in tables)  # noqa: S608 - introspected
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}")  # noqa: S608 - names from introspection
        found = cursor.fetchone()
        emptied = {table: _MIGRATED[table] for table, row in zip(tables, found, strict=True) if row is None}
        if emptied:
            _insert(cursor, emptied)


def take_snapshot(build: Callable[[], object]) -> tuple[object, TableSnapshot]:
    """Run `build()` in a transaction that is rolled back afterwards: its result and the rows it wrote.

    The snapshot is checked once: loaded into the emptied database it must give back exactly the
    rows the build left, or this raises.
    """
    from django.db import connection, transaction

    with transaction.atomic():
        # The migrations' rows are never part of a snapshot: every test that loads one has them (conftest.py puts
        # them back after each flush).
        with connection.cursor() as cursor:
            tables = _tables(cursor)
            before = _table_contents(cursor, tables)
        result = build()
        with connection.cursor() as cursor:
            after = _table_contents(cursor, tables)
        transaction.set_rollback(True)
    added, replaced = {}, set()
    for table in tables:
        columns, rows = after[table]
        old = before[table][1]
        if rows == old:
            continue
        old_set = set(map(repr, old))
        if old_set <= set(map(repr, rows)):
            added[table] = (columns, [row for row in rows if repr(row) not in old_set])
        else:
            added[table] = (columns, rows)
            replaced.add(table)
    snapshot = TableSnapshot(added=added, replaced=replaced)
    with transaction.atomic():
        load_snapshot(snapshot, check_references=True)
        # The one check of the snapshot's foreign keys: every later load skips it (`_references_unchecked`).
        connection.check_constraints()
        with connection.cursor() as cursor:
            loaded = _table_contents(cursor, tables)
        transaction.set_rollback(True)
    differ = [t for t in tables if sorted(map(repr, loaded[t][1])) != sorted(map(repr, after[t][1]))]
    if differ:
        raise AssertionError(f"a loaded snapshot differs from the build in {differ}")
    return result, snapshot


# The folder `make test` gives its test processes (pytest-xdist workers, one run per database and kind) to share
# the large builds: the first process to need one builds it, the others wait for it and read it from there.
SNAPSHOT_CACHE = "DEPUTYHOME_SNAPSHOT_CACHE"


def cached_snapshot(key: str, build: Callable[[], object]) -> tuple[object, TableSnapshot]:
    """`take_snapshot(build)`, built once per database kind, day and schema for all the test processes of one run.

    Without the folder (a developer's own pytest run) it is built here, as before. The snapshot is the rows
    as this database kind returns them, so SQLite and PostgreSQL keep one each.
    """
    folder = os.environ.get(SNAPSHOT_CACHE)
    if not folder:
        return take_snapshot(build)
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    from django.utils import timezone

    # The schema's migrations and the code that builds the rows in the name: a folder kept between runs
    # (`make test-postgres` alone, a developer's own runs) never hands a run the rows of an older schema or builder.
    applied = sorted(MigrationRecorder(connection).applied_migrations())
    schema = hashlib.sha256(repr(applied).encode()).hexdigest()[:12]
    built = f"{timezone.localdate():%Y%m%d}-{schema}-{_code_digest()}"
    path = Path(folder) / f"{connection.vendor}-{key}-{built}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())  # noqa: S301 - written above by this run
        found = take_snapshot(build)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(found))
        partial.replace(path)
        return found


@functools.cache
def _code_digest() -> str:
    """A digest of the application's code outside its tests (the builders and the services they call), read once
    per process: about a thousand files, a tenth of a second."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        if "tests" not in path.relative_to(root).parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def load_committed(snapshot: TableSnapshot) -> None:
    """Load a snapshot for good (a browser test's live server must see the rows); the test's flush removes them."""
    from django.db import transaction

    with transaction.atomic():
        load_snapshot(snapshot)


def _sqlite_value(value):
    # Django's SQLite backend reads TIME columns back as datetime.time but registers no adapter to
    # write one; it stores them as their ISO text, as here.
    return value.isoformat() if isinstance(value, datetime.time) else value


def _insert(cursor, tables: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """Write these rows, ids included, and move PostgreSQL's sequences past them (SQLite moves its own counters)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    qn = connection.ops.quote_name
    for table, (columns, rows) in tables.items():
        names = ", ".join(qn(c) for c in columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from introspection
            cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(sql)


@contextlib.contextmanager
def _references_unchecked(cursor) -> Iterator[None]:
    """On PostgreSQL as a superuser (the throwaway test cluster), rows written in the block queue no foreign-key
    checks. Each row of a snapshot otherwise queued one, run when the test checked its constraints or the load
    committed: about 25 s of the database's time in a run, for rows checked once already (`take_snapshot`).
    Elsewhere the rows are checked as usual."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('is_superuser') = 'on', current_setting('session_replication_role')")
    superuser, role = cursor.fetchone()
    if not superuser:
        yield
        return
    # "replica": the foreign keys' triggers (and any other trigger) do not fire for these rows.
    cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('session_replication_role', %s, false)", [role])


def load_snapshot(snapshot: TableSnapshot, *, check_references: bool = False) -> None:
    """Write a snapshot's rows in the current transaction. Their foreign keys were checked when the snapshot was
    taken; `check_references` checks them again (on PostgreSQL; SQLite checks them at commit as usual)."""
    from django.db import connection

    qn = connection.ops.quote_name
    with connection.cursor() as cursor, contextlib.nullcontext() if check_references else _references_unchecked(cursor):
        for table in sorted(snapshot.replaced):
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - names from introspection
        _insert(cursor, snapshot.added)
    analyze(*snapshot.added)


def analyze(*tables: str) -> None:
    """On PostgreSQL, statistics for tables a test has just filled in its own transaction (production's autovacuum
    would have taken them; it cannot see rows not committed). Without them the planner may count a table of
    20,000 rows as two, and pick nested loops that compare every row with every other (minutes, not a second)."""
    from django.db import connection

    if connection.vendor == "postgresql" and tables:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")


@contextlib.contextmanager
def snapshot_loaded(django_db_blocker, snapshot: TableSnapshot) -> Iterator[None]:
    """A snapshot's rows for the length of the block (a test module), rolled back after it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_snapshot(snapshot)
        yield
        transaction.set_rollback(True)
