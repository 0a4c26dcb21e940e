"""`manage.py backup --out FILE`: write a verifiable backup of the whole database."""

from pathlib import Path

from django.core.management.base import BaseCommand

from deputyhome.audit.services import record
from deputyhome.core.backup import create_backup


class Command(BaseCommand):
    help = "备份整个数据库（gzip 压缩的 JSON，含每张表的行数和校验和）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="备份文件路径，如 backup-2026-11-27.json.gz")

    def handle(self, *args, out: str, **options) -> None:
        manifest = create_backup(Path(out))
        rows = sum(t["count"] for t in manifest.values())
        record(
            actor="manage.py backup",
            action="backup.create",
            object_type="database",
            detail=f"{out}：{len(manifest)}张表，{rows}行",
        )
        self.stdout.write(self.style.SUCCESS(f"已备份 {len(manifest)} 张表、{rows} 行到 {out}。"))
