"""`manage.py demo`: load the demo city (19 homes, 78 stations, 78 groups, 1,338 deputies, logins)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from deputyhome.demo.builder import DEFAULT_SEED, DemoExists, build_demo

LABELS = {
    "regions": "行政区域",
    "homes": "人大代表之家",
    "stations": "人大代表联络站",
    "groups": "代表小组",
    "units": "承办单位",
    "congresses": "人民代表大会",
    "sessions": "会议",
    "deputies": "人大代表",
    "mandates": "代表资格",
    "memberships": "小组成员",
    "users": "演示账号",
}


class Command(BaseCommand):
    help = "载入演示数据：恩施市的乡镇、家站、代表小组、人大代表和各角色演示账号（可重复运行，已载入则跳过）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认 %(default)s）")

    def handle(self, *args, seed: int, **options) -> None:
        started = time.monotonic()
        try:
            result = build_demo(seed=seed)
        except DemoExists as exc:
            self.stdout.write(self.style.WARNING(f"演示数据已载入，未作改动：{exc}。如需重建，请先清空数据库。"))
            return
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入（{elapsed:.1f} 秒）："))
        for key, value in result.counts.items():
            self.stdout.write(f"  {LABELS.get(key, key)}：{value}")
        self.stdout.write(f"演示账号（密码均为 {result.password}）：")
        width = max((len(login.username) for login in result.logins), default=10)
        for login in result.logins:
            anchor = f"（{login.anchor}）" if login.anchor else ""
            self.stdout.write(f"  {login.username:<{width}} {login.display_name} · {login.role_label}{anchor}")
