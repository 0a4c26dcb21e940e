"""The bench province: a reproducible, province-shaped data set for `make bench` (`manage.py bench_data`).

Shape at scale 1 (shape.py): 1 province, 12 prefectures, 100 county-level units, 1,000 township-level units,
villages for the liaison stations, a congress of every level with a session a year, 6,000 stations and groups,
200 handling units, 100,000 deputies, 50,000 suggestions over five years in every state, 200,000 voter opinions,
500,000 training attendance rows, 30,000 activities in yearly campaigns with 45,000 problems found in them,
every session's attendance, the delegations, the motions filed at each session, every station's yearly
assessment, 60,000 households paired with deputies, 500 model deputies' stories, the township matters forwarded
to the units above, the key suggestions' supervision, the stations' rules on the wall and the personas'
notifications (60,000 for the province's officer); `scale` multiplies every count (motions and attendance follow
the congresses and their deputies). One seeded generator per step, so the same seed and scale give the same
province.

Bench rows are not user input: each step writes its tables with bulk_create in big batches inside one
transaction, and records one audit row (`bench.<step>`, with its counts) in that transaction, so the audit
chain stays whole. The measurement on top of it is `manage.py bench_run` (bench/run/).
"""

from .build import BenchExists, build_bench

__all__ = ["BenchExists", "build_bench"]
