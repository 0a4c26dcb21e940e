"""`manage.py audit_verify [--checkpoint FILE] [--allow-empty]`: recompute the keyed audit chain.

Exits non-zero on any edited, missing, reordered or re-signed row, on an empty or truncated chain (unless
`--allow-empty` says the system is new), and on a chain head that no longer matches a checkpoint.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputyhome.audit.chain import checkpoint_problems, verify_chain
from deputyhome.audit.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计日志的密钥哈希链：发现被修改、删除、插入或重算的记录时以非零状态退出。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--checkpoint", help="检查点文件（audit_checkpoint 写入），逐条核对链头")
        parser.add_argument("--allow-empty", action="store_true", help="新系统：允许审计日志为空")

    def handle(self, *args, checkpoint: str | None, allow_empty: bool, **options) -> None:
        problems = verify_chain(allow_empty=allow_empty)
        if checkpoint:
            problems += checkpoint_problems(Path(checkpoint))
        total = AuditEvent.objects.count()
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"审计日志校验失败：共 {total} 条记录，发现 {len(problems)} 处问题。")
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {total} 条记录，哈希链完整。"))
