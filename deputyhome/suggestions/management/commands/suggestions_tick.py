"""`manage.py suggestions_tick [--today YYYY-MM-DD]`: the daily run over suggestion deadlines.

Run it from cron or a systemd timer, e.g. every morning at 07:30 Asia/Shanghai. It is idempotent
(a second run the same day sends and records nothing new) and keeps no state outside the database,
so any host may run it, and two hosts running it at once do no harm. The logic is in
`deputyhome.suggestions.services.deadlines`.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from deputyhome.suggestions.services.deadlines import run_tick


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，收到“{value}”。") from None


class Command(BaseCommand):
    help = "催办临期和逾期的代表建议、协办意见，记录逾期未评价，提醒到期的跟踪落实（每天运行，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=str,
            default=None,
            help="按此日期判断期限（YYYY-MM-DD，默认今天，Asia/Shanghai）；用于补跑漏掉的一天。",
        )

    def handle(self, *args, **options):
        today = _date(options["today"]) if options["today"] else None
        report = run_tick(today=today)
        self.stdout.write(report.summary())
        if report.errors:
            self.stderr.write(f"{len(report.errors)} 件处理出错，详见日志；其余已照常处理。")
