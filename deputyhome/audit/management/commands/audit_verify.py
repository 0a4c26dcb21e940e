"""`manage.py audit_verify`: recompute the audit hash chain and report any edited, missing or reordered row."""

from django.core.management.base import BaseCommand, CommandError

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改、删除或插入的记录时以非零状态退出。"

    def handle(self, *args, **options) -> None:
        problems = verify_chain()
        total = AuditEvent.objects.count()
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"审计日志校验失败：共 {total} 条记录，发现 {len(problems)} 处问题。")
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {total} 条记录，哈希链完整。"))
