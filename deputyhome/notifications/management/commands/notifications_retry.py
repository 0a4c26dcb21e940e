"""`manage.py notifications_retry [--hours N]`: send again the e-mails and SMS that failed lately.

Run it from cron or a systemd timer, e.g. every 15 minutes: a message that failed while the SMS platform or the
mail server was down goes out once it is back. Each message is tried at most `MAX_TRIES` times in all; a channel
that fails three times running is left for the next run. The system administrator sees what is left, and sends
it again by hand, on 发送失败的通知.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from deputyhome.notifications.selectors import failed_lately
from deputyhome.notifications.services import deliveries_retry

MAX_TRIES = 5
ROUND = 500


class Command(BaseCommand):
    help = "重发最近发送失败的电子邮件和短信通知（每条最多发送5次；可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="重发多少小时内的失败（默认24）。")

    def handle(self, *args, **options):
        hours = max(options["hours"], 1)
        due = failed_lately(days=hours / 24).filter(tries__lt=MAX_TRIES).select_related("user__deputy", "user__unit")
        notes = list(due[:ROUND])
        if not notes:
            self.stdout.write("没有需要重发的通知。")
            return
        result = deliveries_retry(notes=notes, actor="定时任务 notifications_retry")
        self.stdout.write(result.summary() + "。")
