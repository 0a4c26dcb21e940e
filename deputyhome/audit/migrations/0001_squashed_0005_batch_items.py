"""The audit trail's tables, and the database triggers that keep them append-only on SQLite and PostgreSQL.

UPDATE is refused. DELETE only in the maintenance modes: 'purge' (`audit_purge`), which the events' trigger limits
to rows older than 183 days and which deletes the items of the events it deletes, and 'reset', for the test suite's
table flushes only. The mode table is created here with raw SQL, outside Django's models, so that `flush` never
empties it. See docs/security.md.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


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
    """CREATE TRIGGER IF NOT EXISTS audit_item_no_update BEFORE UPDATE ON audit_audititem
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_item_no_delete BEFORE DELETE ON audit_audititem
       WHEN (SELECT mode FROM audit_maintenance WHERE id = 1) NOT IN ('reset', 'purge')
       BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_item_no_update",
    "DROP TRIGGER IF EXISTS audit_item_no_delete",
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
    """CREATE OR REPLACE FUNCTION audit_item_guard() RETURNS trigger AS $$
       DECLARE m text;
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'audit rows are append-only';
         END IF;
         SELECT mode INTO m FROM audit_maintenance WHERE id = 1;
         IF m IN ('reset', 'purge') THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit rows cannot be deleted';
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_item_guard ON audit_audititem",
    """CREATE TRIGGER audit_item_guard BEFORE UPDATE OR DELETE ON audit_audititem
       FOR EACH ROW EXECUTE FUNCTION audit_item_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP TRIGGER IF EXISTS audit_item_guard ON audit_audititem",
    "DROP FUNCTION IF EXISTS audit_item_guard()",
    "DROP TABLE IF EXISTS audit_maintenance",
]


def _run(statements):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor)
        if chosen is None:
            raise RuntimeError(f"audit triggers are not written for {schema_editor.connection.vendor}")
        with schema_editor.connection.cursor() as cursor:
            for sql in chosen:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('audit', '0001_initial'),
        ('audit', '0002_hash_chain'),
        ('audit', '0003_append_only_triggers'),
        ('audit', '0004_keyed_chain'),
        ('audit', '0005_batch_items'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(default='', max_length=64)),
            ],
            options={
                'verbose_name': '审计链头',
                'verbose_name_plural': '审计链头',
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='操作人账号')),
                ('action', models.CharField(db_index=True, max_length=64, verbose_name='操作')),
                ('object_type', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='对象类型')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象编号')),
                ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='对象')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='变更字段')),
                ('success', models.BooleanField(default=True, verbose_name='成功')),
                ('client_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='客户端地址')),
                ('detail', models.TextField(blank=True, verbose_name='说明')),
                ('seq', models.PositiveBigIntegerField(editable=False, null=True, unique=True, verbose_name='序号')),
                ('prev_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='前一条摘要')),
                ('hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='摘要')),
                ('key_id', models.CharField(blank=True, editable=False, max_length=16, verbose_name='签名密钥')),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
            ],
            options={
                'verbose_name': '审计事件',
                'verbose_name_plural': '审计事件',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AuditItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_type', models.CharField(max_length=64, verbose_name='对象类型')),
                ('object_id', models.CharField(max_length=64, verbose_name='对象编号')),
                ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='对象')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='变更字段')),
                ('event', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='items', to='audit.auditevent', verbose_name='审计事件')),
            ],
            options={
                'verbose_name': '审计事件明细',
                'verbose_name_plural': '审计事件明细',
                'ordering': ['event', 'id'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_item_object')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
