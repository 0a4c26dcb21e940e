"""Measure the committee's memory at province scale: retraining, similar lookup and routing per call.

Run once against a throwaway database (it writes 50,000 past-year rows):

    DATABASE_URL=sqlite:////tmp/bench.db python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.db python scripts/bench_similarity.py [--rows 50000] [--calls 200]

The rows come from the demo's ledger generator (deputyhome/demo/history_data.py), so they read
like real titles and each has a plausible unit.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEPUTYHOME_TESTING", "1")


def main() -> None:
    import django

    django.setup()
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User
    from deputyhome.demo import history as demo_history
    from deputyhome.demo.history_data import UNITS
    from deputyhome.organisation.models import HandlingUnit
    from deputyhome.suggestions.models import HistoricalSuggestion
    from deputyhome.suggestions.similarity import lookup
    from deputyhome.suggestions.similarity.training import suggestions_learn

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--no-train", action="store_true", help="reuse the newest model")
    args = parser.parse_args()
    rng = random.Random(7)
    units = {
        name: HandlingUnit.objects.get_or_create(name=name, defaults={"duties": d})[0]
        for name, (_, d, _) in UNITS.items()
    }
    villages = [f"{a}{b}村" for a in "青龙白石马黄金双" for b in "坪坝溪湾岭"]
    townships = ["龙凤镇", "白杨坪镇", "崔家坝镇", "板桥镇", "三岔乡", "新塘乡", "红土乡", "沙地乡", "太阳河乡"]
    have = HistoricalSuggestion.objects.count()
    if have < args.rows:
        names = sorted(units)
        batch = []
        for i in range(have, args.rows):
            unit = rng.choice(names)
            r = demo_history._row(rng, unit, villages, townships)
            batch.append(
                HistoricalSuggestion(
                    year=2010 + i % 15, number=i + 1, title=r["title"], content=r["content"], lead_unit=units[unit]
                )
            )
            if len(batch) == 5000:
                HistoricalSuggestion.objects.bulk_create(batch)
                batch = []
        HistoricalSuggestion.objects.bulk_create(batch)
    print(f"rows: {HistoricalSuggestion.objects.count()}")
    started, cpu = time.perf_counter(), time.process_time()
    row, _ = suggestions_learn(actor="bench", force=not args.no_train)
    print(
        f"retraining: {time.perf_counter() - started:.1f} s (CPU {time.process_time() - cpu:.1f} s); model {row.meta['bytes'] / 1e6:.1f} MB, {row.meta['terms']} terms"
    )
    staff, _ = User.objects.get_or_create(username="bench_staff", defaults={"role": Role.CITY_OFFICER})
    queries = [
        demo_history._row(rng, rng.choice(sorted(units)), villages, townships)["title"] for _ in range(args.calls)
    ]
    t0 = time.perf_counter()
    lookup.similar(user=staff, text=queries[0])  # loads the model once per process
    print(f"first call (loads the model): {(time.perf_counter() - t0) * 1000:.0f} ms")
    for name, fn in (
        ("similar", lambda q: lookup.similar(user=staff, text=q)),
        ("routing", lambda q: lookup.recommend(text=q)),
    ):
        times, cpu_times = [], []
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
            cpu_times.append((time.process_time() - c) * 1000)
        times.sort()
        cpu_times.sort()
        n95 = int(len(times) * 0.95)
        print(
            f"{name}: wall median {statistics.median(times):.1f} ms, p95 {times[n95]:.1f} ms; "
            f"CPU median {statistics.median(cpu_times):.1f} ms, p95 {cpu_times[n95]:.1f} ms per call"
        )


if __name__ == "__main__":
    main()
