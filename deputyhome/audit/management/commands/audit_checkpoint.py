"""`manage.py audit_checkpoint --out FILE`: append the chain head to a file kept outside the database.

One line: time, last sequence number, head digest, key id. Run it daily (and `audit_purge` writes one);
keep the file on another machine or write-once storage. `audit_verify --checkpoint FILE` compares.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputyhome.audit.chain import checkpoint_write


class Command(BaseCommand):
    help = "把审计日志链头（时间、最后序号、摘要、密钥编号）追加写入数据库之外的检查点文件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="检查点文件，每次追加一行")

    def handle(self, *args, out: str, **options) -> None:
        try:
            line = checkpoint_write(Path(out))
        except OSError as exc:
            raise CommandError(f"无法写入检查点文件 {out}：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已写入检查点：{line}"))
