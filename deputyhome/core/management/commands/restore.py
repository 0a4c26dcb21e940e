"""`manage.py restore FILE [--force]`: load a backup and verify every table's count and checksum."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputyhome.audit.services import record
from deputyhome.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复数据库，并逐表核对行数和校验和；不一致则回滚。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="备份文件路径")
        parser.add_argument("--force", action="store_true", help="当前数据库非空时清空后再恢复")

    def handle(self, *args, path: str, force: bool, **options) -> None:
        try:
            manifest = restore_backup(Path(path), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["count"] for t in manifest.values())
        record(actor="manage.py restore", action="backup.restore", object_type="database", detail=f"{path}：{rows}行")
        self.stdout.write(self.style.SUCCESS(f"已恢复并校验 {len(manifest)} 张表、{rows} 行：全部一致。"))
