"""Database triggers that refuse UPDATE and DELETE on audit rows, on SQLite and PostgreSQL.

The only way to delete is the purge maintenance mode (`audit_maintenance.mode = 'purge'`), which
the triggers limit to rows older than 183 days. Mode 'reset' exists for the test suite's table
flushes only. The mode table is created here with raw SQL, outside Django's models, so that
`flush` never empties it. See docs/security.md.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (id INTEGER PRIMARY KEY CHECK (id = 1), mode TEXT NOT NULL DEFAULT '')",
    "INSERT OR IGNORE INTO audit_maintenance (id, mode) VALUES (1, '')",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT (
         (SELECT mode FROM audit_maintenance WHERE id = 1) = 'reset'
         OR ((SELECT mode FROM audit_maintenance WHERE id = 1) = 'purge'
             AND OLD.at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-183 days'))
       )
       BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (id integer PRIMARY KEY CHECK (id = 1), mode text NOT NULL DEFAULT '')",
    "INSERT INTO audit_maintenance (id, mode) VALUES (1, '') ON CONFLICT DO NOTHING",
    """CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
       DECLARE m text;
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'audit rows are append-only';
         END IF;
         SELECT mode INTO m FROM audit_maintenance WHERE id = 1;
         IF m = 'reset' OR (m = 'purge' AND OLD.at < now() - interval '183 days') THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit rows cannot be deleted';
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP TABLE IF EXISTS audit_maintenance",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor)
        if chosen is None:
            raise RuntimeError(f"audit triggers are not written for {vendor}")
        with schema_editor.connection.cursor() as cursor:
            for sql in chosen:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
