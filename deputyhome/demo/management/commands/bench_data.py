"""manage.py bench_data --scale 0.1: build the bench province (deputyhome/demo/bench) into this database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from deputyhome.demo.bench import BenchExists, build_bench
from deputyhome.demo.bench.build import DEFAULT_SEED


class Command(BaseCommand):
    help = "生成省级规模的基准测试数据（--scale 1 为10万名代表；0.1 为十分之一）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数，1 为全省规模（默认 1）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认固定，结果可重现）")

    def handle(self, *args, **options) -> None:
        scale = options["scale"]
        if not scale > 0:
            raise CommandError("--scale 须为正数，例如 1 或 0.1")
        started = time.perf_counter()
        try:
            counts = build_bench(scale=scale, seed=options["seed"], log=self.stdout.write)
        except BenchExists as exc:
            raise CommandError(f"基准数据已存在：{exc}") from exc
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does in production after bulk loading: the visibility map (index-only scans for the
            # counts) and the planner's statistics. Outside a transaction (VACUUM refuses one).
            vacuumed = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"VACUUM ANALYZE: {time.perf_counter() - vacuumed:.1f} s")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"基准数据已生成（scale={scale}），用时 {seconds:.1f} 秒"))
        for key, value in counts.items():
            self.stdout.write(f"  {key}: {value}")
