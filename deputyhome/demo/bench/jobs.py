"""The bench's jobs beyond pages: the roster import, the two big exports, the annual report and the similar
lookup. Each runs in a process of its own (`manage.py bench_job NAME`), so that its peak memory is its own,
inside a transaction that is rolled back, so that the data set stays as built for the next run."""

from __future__ import annotations

import io
import random
import resource
import statistics
import time
from typing import Any

from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from openpyxl import Workbook

from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.roster import IMPORT_HEADERS, roster_import
from deputyhome.deputies.validators import id_check_digit
from deputyhome.organisation.choices import RegionKind
from deputyhome.organisation.models import DeputyGroup

from .measure import _body_size, _host

IMPORT_ROWS = 20_000  # at scale 1; the roster import's limit (ROSTER_MAX_ROWS)


def rss_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mb() -> float:
    """This process's peak resident memory so far: VmHWM, which starts afresh with the program (getrusage's
    ru_maxrss does not: it keeps the parent's size at the fork, here bench_run's)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def roster_file(rows: int, *, seed: int = 12) -> bytes:
    """A roster of `rows` new deputies of the county congresses, spread over the groups, as .xlsx.

    Born in the 1950s, so that no ID number meets one of the bench's deputies (born 1960 and later)."""
    rng = random.Random(seed)
    groups = list(
        DeputyGroup.objects.select_related("station__region")
        .order_by("id")
        .values_list("name", "station__region__code")
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("代表名册")
    sheet.append(IMPORT_HEADERS)
    seen: set[str] = set()
    for i in range(rows):
        name, code = groups[i % len(groups)]
        while True:
            first17 = f"{code[:6]}195{rng.randrange(10)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randrange(1000):03d}"
            if first17 not in seen:
                seen.add(first17)
                break
        sheet.append(
            [
                f"测试代表{i + 1}",
                "男" if int(first17[16]) % 2 else "女",
                "汉族",
                f"{first17[6:10]}.{first17[10:12]}",
                "中共党员",
                "大学",
                "县农业农村局干部",
                "市",
                "第一选区",
                name,
                f"139{rng.randrange(10**8):08d}",
                first17 + id_check_digit(first17),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _client(user: User) -> Client:
    # A job that fails (the annual report at province scale) still reports its time and memory, with its status.
    client = Client(HTTP_HOST=_host(), raise_request_exception=False)
    client.force_login(user)
    return client


def job_import(*, scale: float, user: User, **_kw) -> dict[str, Any]:
    # Past scale 1 the file stays at the import's limit: a larger roster is refused, and split by the clerk.
    rows = max(50, min(IMPORT_ROWS, round(IMPORT_ROWS * scale)))
    content = roster_file(rows)
    started = time.perf_counter()
    result = roster_import(content=content, filename="bench-roster.xlsx", actor=user)
    seconds = time.perf_counter() - started
    issues = [str(i) for i in (result.issues or [])[:3]]
    out = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "applied": bool(result.applied)}
    if not result.applied:
        out["error"] = result.file_error or "; ".join(issues) or "not applied"
    return out


def _export(url: str, action: str, user: User) -> dict[str, Any]:
    client = _client(user)
    started = time.perf_counter()
    with override_settings(OTP_REQUIRED=False):
        response = client.get(url, secure=True, follow=True)
        size = _body_size(response)
    seconds = time.perf_counter() - started
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    rows = int((event.changes or {}).get("rows", 0)) if event else 0
    out = {"status": response.status_code, "bytes": size, "rows": rows, "seconds": seconds}
    if response.status_code != 200:
        out["error"] = f"HTTP {response.status_code}"
    out["rows_per_s"] = rows / seconds if seconds else 0
    return out


def job_export_deputies(*, user: User, **_kw) -> dict[str, Any]:
    return _export("/roster/export/deputies.xlsx", "export.deputies", user)


def job_export_register(*, user: User, **_kw) -> dict[str, Any]:
    return _export("/suggestions/register.xlsx", "export.suggestion_register", user)


def job_export_points(*, user: User, year: int, **_kw) -> dict[str, Any]:
    return _export(f"/records/points/export.xlsx?year={year}", "export.duty_points", user)


def job_export_motions(*, user: User, **_kw) -> dict[str, Any]:
    return _export("/motions/register.xlsx", "export.motion_register", user)


def job_export_scores(*, user: User, year: int, **_kw) -> dict[str, Any]:
    """Last year's scores of the handling units, with the breakdown a suggestion a row (its rows: the units)."""
    out = _export(f"/supervision/scores/export.xlsx?year={year - 1}", "export.scores", user)
    del out["rows_per_s"]
    return out


def job_annual_report(*, user: User, year: int, **_kw) -> dict[str, Any]:
    out = _export(f"/records/annual-report.docx?year={year}", "export.annual_report", user)
    del out["rows"], out["rows_per_s"]  # one document
    return out


def job_similar(*, user: User, calls: int = 20, **_kw) -> dict[str, Any]:
    """Train the similar-suggestion model on the bench's suggestions, then time the lookup as staff type."""
    from deputyhome.suggestions.similarity.training import suggestions_learn

    started = time.perf_counter()
    suggestions_learn(actor=user, force=True)
    train_s = time.perf_counter() - started
    client = _client(user)
    towns = list(
        DeputyGroup.objects.filter(station__region__kind=RegionKind.VILLAGE).values_list("name", flat=True)[:calls]
    )
    times = []
    with override_settings(OTP_REQUIRED=False):
        for i in range(calls):
            place = towns[i % len(towns)][:6] if towns else "青龙镇"
            url = f"/suggestions/similar/?title=关于加快{place}农村公路提档升级的建议&proposals=统筹安排资金"
            t = time.perf_counter()
            response = client.get(url, secure=True)
            times.append(time.perf_counter() - t)
    return {"train_s": train_s, "median_ms": statistics.median(times) * 1000, "status": response.status_code}


JOBS = {
    "import": job_import,
    "export_deputies": job_export_deputies,
    "export_register": job_export_register,
    "export_points": job_export_points,
    "export_motions": job_export_motions,
    "export_scores": job_export_scores,
    "annual_report": job_annual_report,
    "similar": job_similar,
}


def run_job(name: str, *, user: User, scale: float, year: int) -> dict[str, Any]:
    """Run one job in this process, rolled back; its figures with the process's memory before and at peak."""
    base = rss_mb()
    with transaction.atomic():
        out = JOBS[name](user=user, scale=scale, year=year)
        transaction.set_rollback(True)
    return {**out, "base_mb": round(base, 1), "peak_mb": round(peak_mb(), 1)}
