"""manage.py bench_job NAME: one of the bench's jobs (deputyhome/demo/bench/jobs.py) in this process; prints
its figures as one JSON line. `bench_run` starts it, so that each job's peak memory is its own."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from deputyhome.accounts.models import User
from deputyhome.demo.bench.jobs import JOBS, run_job


class Command(BaseCommand):
    help = "运行一项基准测试作业（导入、导出、年度报告、相似建议），输出一行 JSON"

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=sorted(JOBS))
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", default="bench_city")

    def handle(self, *args, **options) -> None:
        user = User.objects.get(username=options["user"])
        out = run_job(options["name"], user=user, scale=options["scale"], year=options["year"])
        self.stdout.write(json.dumps(out, ensure_ascii=False))
