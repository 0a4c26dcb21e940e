"""`manage.py audit_purge --before YYYY-MM-DD`: delete audit rows older than the retention period.

Rows younger than 183 days are never deleted: the command refuses such a date, and the database
triggers refuse such rows whatever the caller does. The purge itself is audited.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import record

RETENTION_DAYS = 183


class Command(BaseCommand):
    help = "清理早于指定日期的审计日志（至少保留183天）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", required=True, help="删除此日期之前的记录，格式 YYYY-MM-DD")

    def handle(self, *args, before: str, **options) -> None:
        try:
            cutoff_day = datetime.date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        latest_allowed = timezone.localdate() - datetime.timedelta(days=RETENTION_DAYS)
        if cutoff_day > latest_allowed:
            raise CommandError(f"审计日志至少保留{RETENTION_DAYS}天：最晚只能清理 {latest_allowed} 之前的记录。")
        cutoff = datetime.datetime.combine(cutoff_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE audit_maintenance SET mode = 'purge' WHERE id = 1")
            try:
                deleted = AuditEvent.objects.filter(at__lt=cutoff)._raw_delete(AuditEvent.objects.db)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("UPDATE audit_maintenance SET mode = '' WHERE id = 1")
            record(
                actor="manage.py audit_purge",
                action="audit.purge",
                object_type="audit.auditevent",
                detail=f"删除 {before} 之前的记录 {deleted} 条",
            )
        self.stdout.write(self.style.SUCCESS(f"已清理 {before} 之前的审计日志 {deleted} 条。"))
