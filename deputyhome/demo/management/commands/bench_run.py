"""manage.py bench_run: time every main page as each persona, and the imports, exports, annual report and
similar lookup, on the data `bench_data` built; writes var/bench/latest.json and latest.md and prints the table."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.audit.services import record
from deputyhome.demo.bench import report
from deputyhome.demo.bench.jobs import IMPORT_ROWS, JOBS
from deputyhome.demo.bench.measure import measure_pages
from deputyhome.demo.bench.people import PERSONAS
from deputyhome.deputies.models import Deputy


class Command(BaseCommand):
    help = "在基准数据上测量各角色主要页面的服务器用时和查询数，以及导入、导出和年度报告"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rounds", type=int, default=5, help="每个页面测量的轮数（取中位数，默认 5）")
        parser.add_argument(
            "--slow", type=float, default=5.0, help="首次打开超过此秒数的页面不再重复打开，以首次用时为准（默认 5）"
        )
        parser.add_argument(
            "--statement-timeout", type=float, default=60, help="PostgreSQL 上单条查询的时限（秒，默认 60；0 为不限）"
        )
        parser.add_argument("--personas", default="", help="只测这些角色，逗号分隔（如 city,deputy；默认全部）")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "bench"))
        parser.add_argument("--jobs", default=",".join(JOBS), help="要运行的作业，逗号分隔；空为不运行")
        parser.add_argument("--job-timeout", type=int, default=900, help="每项作业的时限（秒，默认 900）")
        parser.add_argument(
            "--no-refresh", action="store_true", help="不先运行 refresh_figures（页面首次打开时才计算统计）"
        )
        parser.add_argument("--build-seconds", type=float, default=None, help="bench_data 的用时，写入结果")

    def handle(self, *args, **options) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PERSONAS])}
        if len(users) != len(PERSONAS):
            raise CommandError("没有基准数据：请先运行 manage.py bench_data --scale 0.1")
        scale = self._scale()
        year = timezone.localdate().year
        personas = {name.removeprefix("bench_"): users[name] for name, _r, _n in PERSONAS}
        if only := [p for p in options["personas"].split(",") if p]:
            personas = {name: user for name, user in personas.items() if name in only}
        jobs = {}
        if not options["no_refresh"]:
            # As the scheduler would have done: the figures computed ahead (refresh_figures), timed as a job.
            jobs["figures_refresh"] = self._refresh()
            self.stderr.write(f"figures_refresh: {jobs['figures_refresh']}")
        started = time.perf_counter()
        collections: list[float] = []
        pages, floor = measure_pages(
            collections=collections,
            personas=personas,
            year=year,
            rounds=options["rounds"],
            slow=options["slow"],
            timeout=options["statement_timeout"],
            log=self.stderr.write,
        )
        pages_s = time.perf_counter() - started
        for name in [j for j in options["jobs"].split(",") if j]:
            jobs[name] = self._job(name, scale=scale, year=year, timeout=options["job_timeout"])
            self.stderr.write(f"{name}: {jobs[name]}")
        extra = {
            "database": connection.vendor,
            "rounds": options["rounds"],
            "statement_timeout_s": options["statement_timeout"],
            "deputies": Deputy.objects.count(),
            "build_s": options["build_seconds"],
            "pages_s": round(pages_s, 1),
            # The collector, paused in the timed requests, runs between personas: its pauses, for the record.
            "collections": len(collections),
            "collection_median_ms": round(statistics.median(collections) * 1000, 1) if collections else None,
            "collection_max_ms": round(max(collections) * 1000, 1) if collections else None,
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }
        data = report.results(scale=scale, pages=pages, floor=floor, jobs=jobs, extra=extra)
        text = report.write(data, Path(options["out"]))
        record(
            actor="manage.py bench_run",
            action="bench.run",
            object_type="bench",
            object_repr="基准测试",
            changes={"scale": scale, "pages": len(pages), "jobs": sorted(jobs)},
        )
        self.stdout.write(text)

    def _refresh(self) -> dict:
        from deputyhome.figures.cache import refresh

        started = time.perf_counter()
        done = refresh()
        slowest = max(done, key=lambda d: d[2], default=None)
        return {
            "seconds": time.perf_counter() - started,
            "rows": len(done),
            "note": f"slowest {slowest[0]} [{slowest[1]}] {slowest[2]:.1f} s" if slowest else "",
        }

    def _scale(self) -> float:
        from deputyhome.audit.models import AuditEvent

        event = AuditEvent.objects.filter(action="bench.organisation").order_by("-seq").first()
        return float((event.changes or {}).get("scale", 0)) if event else 0.0

    def _job(self, name: str, *, scale: float, year: int, timeout: int) -> dict:
        command = [sys.executable, "manage.py", "bench_job", name, "--scale", str(scale), "--year", str(year)]
        started = time.perf_counter()
        try:
            done = subprocess.run(  # noqa: S603 - our own manage.py, no shell
                command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            out = {"error": f"timed out after {timeout} s", "seconds": time.perf_counter() - started}
            if name == "import":
                rows = max(50, min(IMPORT_ROWS, round(IMPORT_ROWS * scale)))
                out |= {"rows": rows, "error": f"timed out after {timeout} s: fewer than {rows / timeout:.0f} rows/s"}
            return out
        if done.returncode != 0:
            return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300]}
        return json.loads(done.stdout.strip().splitlines()[-1])
