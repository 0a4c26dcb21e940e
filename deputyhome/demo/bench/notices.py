"""The personas' notifications (通知): five years of the messages their work brings, the last few unread.

At scale 1 the province's officer has 60,000 in the site (every suggestion and opinion that reaches the committee
says so), a unit's clerk 8,000, a township's officer 3,000, a supervisor 2,000, a group leader and a committee
leader 600 each, a deputy 300, an administrator 60; deputies and clerks get each by SMS as well (the delivery
records, not listed; one in fifty failed, which the system administrator's 发送失败的通知 lists). One in sixteen,
the newest, is unread, as in the demo. They are what the layout's unread count reads on every page, and the
inbox."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification

from ..clock import TZ
from .bulk import insert_count
from .shape import YEARS, Shape

# Per persona: the share of the shape's `notices` in the site, and whether each also went out by SMS.
SHARE = {
    "bench_city": (1.0, False),
    "bench_unit": (8 / 60, True),
    "bench_township": (3 / 60, False),
    "bench_group": (1 / 100, True),
    "bench_deputy": (1 / 200, True),
    "bench_supervisor": (1 / 30, False),
    "bench_leader": (1 / 100, False),
    "bench_sysadmin": (1 / 1000, False),  # the accounts to review after a term change, and the like
    "bench_secadmin": (1 / 1000, False),
}
UNREAD = 1 / 16
SMS_FAILED = 1 / 50
SUBJECTS = [
    "新提交的代表建议：",
    "新交办的代表建议：",
    "答复待审核：",
    "建议已答复，请评价：",
    "群众意见待处理：",
    "活动通知：",
]
TOPICS = ["乡村道路维护", "农村饮水安全", "义务教育均衡发展", "茶产业提质增效", "基层医疗服务", "城区停车管理"]


def build_notifications(shape: Shape, rng: random.Random, today: datetime.date, users) -> dict[str, int]:
    start = datetime.datetime(today.year - YEARS + 1, 1, 1, 8, tzinfo=TZ)
    span = (datetime.datetime(today.year, today.month, today.day, 18, tzinfo=TZ) - start).total_seconds()

    def rows() -> Iterator[Notification]:
        for username, (share, sms) in SHARE.items():
            n = max(2, round(shape.notices * share))  # at least one read and one unread
            user = users[username]
            # Oldest first, evenly over the years with a little jitter; the newest n/16 unread.
            for i in range(n):
                at = start + datetime.timedelta(seconds=span * (i + rng.random()) / n)
                read = None if i >= n - max(1, round(n * UNREAD)) else at + datetime.timedelta(hours=rng.randint(1, 72))
                subject = f"{rng.choice(SUBJECTS)}关于{rng.choice(TOPICS)}的建议"
                link = f"/suggestions/{rng.randint(1, max(1, shape.suggestions))}/"
                yield Notification(user=user, subject=subject, link=link, created_at=at, read_at=read)
                if sms:
                    failed = rng.random() < SMS_FAILED  # the platform was down (发送失败的通知)
                    yield Notification(
                        user=user,
                        channel=Channel.SMS,
                        subject=subject,
                        created_at=at,
                        read_at=read,
                        sent_ok=not failed,
                        error="HTTP Error 502: Bad Gateway" if failed else "",
                    )

    return {"notifications": insert_count(Notification, rows())}
