"""`manage.py notifications_retry [--hours N]`: send the e-mails and SMS still waiting (of a batch larger than the 20
sent at once after its write's commit) and again those that failed lately, to users and to numbers.

Run it from cron or a systemd timer, e.g. every 15 minutes: a message that failed while the SMS platform or the
mail server was down goes out once it is back. Each message is tried at most `MAX_TRIES` times in all; a channel
that fails three times running is left for the next run. The system administrator sees what is left, and sends
it again by hand, on 发送失败的通知.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from deputyhome.notifications.selectors import failed_lately, numbers_unsent
from deputyhome.notifications.services import deliveries_send, number_sms_send

MAX_TRIES = 5
ROUND = 500


class Command(BaseCommand):
    help = "发送排队等待的电子邮件和短信，重发最近发送失败的（每条最多发送5次；可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="发送多少小时内的排队和失败（默认24）。")

    def handle(self, *args, **options):
        days = max(options["hours"], 1) / 24
        actor = "定时任务 notifications_retry"
        # Oldest first: the queue in the order it was filled.
        notes = failed_lately(days=days).filter(tries__lt=MAX_TRIES).select_related("user__deputy", "user__unit")
        notes = list(notes.order_by("created_at", "id")[:ROUND])
        numbers = list(numbers_unsent(days=days).filter(tries__lt=MAX_TRIES).order_by("created_at", "id")[:ROUND])
        if not notes and not numbers:
            self.stdout.write("没有需要重发的通知。")
            return
        if notes:
            self.stdout.write("通知：" + deliveries_send(notes=notes, actor=actor).summary() + "。")
        if numbers:
            self.stdout.write("发往号码的短信：" + number_sms_send(rows=numbers, actor=actor).summary() + "。")
