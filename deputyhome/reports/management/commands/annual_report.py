"""`manage.py annual_report --year 2026 --out report.docx [--user USERNAME]`: write the year's report.

Without --user the report covers the whole city, as a city officer sees it. The file is
recorded in the audit trail as an export, like a download from the dashboard.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.records.services import export_recorded
from deputyhome.reports.annual import annual_report_docx, can_download

ACTOR = "manage.py annual_report"


class Command(BaseCommand):
    help = "生成年度代表工作报告（Word）：默认为全市范围；指定 --user 则按该用户的数据范围生成。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2026")
        parser.add_argument("--out", required=True, help="输出文件路径，例如 report.docx")
        parser.add_argument("--user", default="", help="按该用户名的数据范围生成（默认全市）")

    def handle(self, *args, year: int, out: str, user: str, **options) -> None:
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度无效：{year}。请使用2000至2100之间的四位数年份。")
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError(f"输出文件应以 .docx 结尾：{out}")
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}")
        if user:
            viewer = User.objects.filter(username=user).select_related("region", "group", "deputy").first()
            if viewer is None:
                raise CommandError(f"用户不存在：{user}")
            if not can_download(viewer):
                raise CommandError(f"用户 {user}（{viewer.get_role_display()}）的角色无权生成年度代表工作报告。")
            actor = viewer
        else:
            # An unsaved city officer: the city-wide scope, with no account behind it.
            viewer = User(username=ACTOR, role=Role.CITY_OFFICER)
            actor = ACTOR
        content, filename = annual_report_docx(user=viewer, year=year)
        path.write_bytes(content)
        export_recorded(
            actor=actor,
            action="export.annual_report",
            filename=filename,
            rows=1,
            params={"year": year, "user": user, "out": str(path)},
        )
        self.stdout.write(self.style.SUCCESS(f"已生成《{filename[:-5]}》：{path}（{len(content) // 1024} KB）"))
