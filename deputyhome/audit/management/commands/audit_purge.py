"""`manage.py audit_purge --before YYYY-MM-DD`: delete audit rows older than the retention period.

Rows younger than 183 days are never deleted: the command refuses such a date, and the database
triggers refuse such rows whatever the caller does. The purge itself is audited, with the first sequence
number it kept (the chain's new anchor, signed), and a checkpoint of the chain head is appended to
`--checkpoint` (default: the AUDIT_CHECKPOINT_FILE setting).
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deputyhome.audit.chain import checkpoint_write
from deputyhome.audit.services import audit_purge

RETENTION_DAYS = 183


class Command(BaseCommand):
    help = "清理早于指定日期的审计日志（至少保留183天）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", required=True, help="删除此日期之前的记录，格式 YYYY-MM-DD")
        parser.add_argument("--checkpoint", default=None, help="检查点文件（默认 AUDIT_CHECKPOINT_FILE）")

    def handle(self, *args, before: str, checkpoint: str | None, **options) -> None:
        try:
            cutoff_day = datetime.date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        latest_allowed = timezone.localdate() - datetime.timedelta(days=RETENTION_DAYS)
        if cutoff_day > latest_allowed:
            raise CommandError(f"审计日志至少保留{RETENTION_DAYS}天：最晚只能清理 {latest_allowed} 之前的记录。")
        cutoff = datetime.datetime.combine(cutoff_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
        deleted = audit_purge(cutoff=cutoff, label=before, actor="manage.py audit_purge")
        self.stdout.write(self.style.SUCCESS(f"已清理 {before} 之前的审计日志 {deleted} 条。"))
        target = checkpoint if checkpoint is not None else settings.AUDIT_CHECKPOINT_FILE
        if target:
            self.stdout.write(f"已写入检查点：{checkpoint_write(Path(target))}")
