"""Time the roster import, the deputies ledger export and the annual report at province scale.

    scripts/with-postgres.sh env DEPUTYHOME_TESTING=1 .venv/bin/python scripts/bench_io.py [--deputies 100000]
        [--import-rows 20000] [--townships 790]

Builds, on the (throwaway) database of DATABASE_URL, the small test city plus `--townships` townships, each
with a station and a group, and `--deputies` deputies spread over them (bulk inserts, not the services: the
data set is the input, not what is measured). Then each measurement runs in a process of its own, so its peak
memory (ru_maxrss) is its own: the import of `--import-rows` new deputies (an .xlsx built beforehand), the
deputies ledger of every deputy as the city officer, and the annual report (.docx). Prints one JSON line per
measurement. A simple stand-in for the full `make bench`, which measures every page on a province's data.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEPUTYHOME_TESTING", "1")
IMPORT_FILE = ROOT / "var" / "bench-io-import.xlsx"


def _setup() -> None:
    import django

    django.setup()


def _id_number(serial: int) -> str:
    from deputyhome.testing import make_id_number

    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=serial // 1000)
    return make_id_number(serial, birth, area="422801")


def build(deputies: int, townships: int, import_rows: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from openpyxl import Workbook

    from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
    from deputyhome.deputies.roster_columns import IMPORT_HEADERS
    from deputyhome.organisation.choices import RegionKind, StationKind
    from deputyhome.organisation.models import DeputyGroup, Region, Station
    from deputyhome.testing import build_small_city, make_personas

    sc = build_small_city()
    make_personas(sc, "bench-password-1")
    regions = Region.objects.bulk_create(
        [
            Region(code=f"422801{200 + i:03d}", name=f"第{i}镇", kind=RegionKind.TOWN, parent=sc.city)
            for i in range(townships)
        ]
    )
    stations = Station.objects.bulk_create(
        [Station(kind=StationKind.HOME, name=f"{r.name}人大代表之家", region=r) for r in regions]
    )
    groups = DeputyGroup.objects.bulk_create(
        [DeputyGroup(name=f"{s.region.name}代表小组", station=s) for s in stations]
    )
    since = datetime.date(2021, 10, 1)
    batch = 5000
    for start in range(0, deputies, batch):
        rows = []
        for serial in range(start + 1000, min(start + batch, deputies) + 1000):
            group = groups[serial % len(groups)]
            rows.append(
                Deputy(
                    name=f"代表{serial}",
                    gender="M" if serial % 2 else "F",
                    ethnicity="汉族",
                    birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=serial // 1000),
                    party="群众",
                    education="大学",
                    employer_title="某单位职员",
                    phone=f"139{serial:08d}",
                    id_number=_id_number(serial),
                    region=group.station.region,
                )
            )
        created = Deputy.objects.bulk_create(rows, batch_size=2000)
        Mandate.objects.bulk_create(
            [Mandate(deputy=d, congress=sc.city_congress, constituency="第1选区", start_date=since) for d in created],
            batch_size=2000,
        )
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(deputy=d, group=groups[(start + 1000 + k) % len(groups)], start_date=since)
                for k, d in enumerate(created)
            ],
            batch_size=2000,
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(IMPORT_HEADERS)
    first = deputies + 2000
    for serial in range(first, first + import_rows):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=serial // 1000)
        cells = {
            "姓名": f"新代表{serial}",
            "性别": "男" if serial % 2 else "女",
            "民族": "汉族",
            "出生年月": f"{birth:%Y.%m}",
            "政治面貌": "群众",
            "文化程度": "大学",
            "工作单位及职务": "某单位职员",
            "代表层级": "市",
            "选区": "第2选区",
            "所在小组": groups[serial % len(groups)].name,
            "联系电话": f"138{serial:08d}",
            "身份证号": _id_number(serial),
        }
        sheet.append([cells.get(h, "") for h in IMPORT_HEADERS])
    IMPORT_FILE.parent.mkdir(exist_ok=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    IMPORT_FILE.write_bytes(buffer.getvalue())


def measure(part: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username="city")
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        if part == "import":
            from deputyhome.deputies.roster import roster_import

            result = roster_import(content=IMPORT_FILE.read_bytes(), filename="bench.xlsx", actor=user)
            assert result.applied, (result.file_error, [str(i) for i in result.issues[:5]])
            rows = len(result.rows)
        elif part == "export":
            from deputyhome.deputies.ledgers import ledger_export

            rows = ledger_export(kind="deputies", actor=user).rows
        elif part == "annual":
            from django.utils import timezone

            from deputyhome.reports.annual import annual_report_docx

            content, _ = annual_report_docx(user=user, year=timezone.localdate().year)
            rows = len(content)
        else:
            raise SystemExit(f"unknown part {part}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"part": part, "rows": rows, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}
    out["queries"] = len(ctx.captured_queries)
    if part != "annual":
        out["rows_per_s"] = round(rows / seconds)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deputies", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--townships", type=int, default=790)  # codes 422801200 to 422801989
    parser.add_argument("--part", default="")
    args = parser.parse_args()
    _setup()
    if args.part:
        print(json.dumps(measure(args.part), ensure_ascii=False))
        return
    started = time.perf_counter()
    build(args.deputies, args.townships, args.import_rows)
    print(json.dumps({"built_s": round(time.perf_counter() - started, 1), "deputies": args.deputies}), flush=True)
    for part in ("export", "import", "annual"):
        subprocess.run([sys.executable, __file__, "--part", part], check=False)


if __name__ == "__main__":
    main()
