"""The bench's results: var/bench/latest.json and the Markdown table var/bench/latest.md."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from .measure import Page


def results(*, scale: float, pages: list[Page], floor: list[float], jobs: dict[str, dict], extra: dict) -> dict:
    floor_ms = statistics.median(floor) * 1000 if floor else 0.0
    rows = []
    for p in pages:
        row: dict[str, Any] = {
            "persona": p.persona,
            "url": p.url,
            "status": p.status,
            "median_ms": round(p.median_ms, 1),
            "queries": p.queries,
            "floor_ms": round(floor_ms, 2),
            "bytes": p.bytes,
            "ratio": round(p.median_ms / floor_ms, 1) if floor_ms and p.times else None,
            "samples": len(p.times),
        }
        rows.append(row)

    def get(job: str, key: str) -> Any:
        value = jobs.get(job, {}).get(key)
        return round(value, 1) if isinstance(value, float) else value

    # The exports of a province's tens of thousands of rows; the motions' register (6,000 rows at scale 1, a second)
    # is timed as its own row, where the request's fixed cost would make its rate say little.
    exports = [jobs.get(k, {}) for k in ("export_deputies", "export_register", "export_points")]
    rates = [e["rows_per_s"] for e in exports if e.get("rows_per_s")]
    peaks = [e["peak_mb"] for e in exports if e.get("peak_mb")]
    return {
        "scale": scale,
        "floor_ms": round(floor_ms, 2),
        # The slowest of the exports, and the largest peak: the goals hold for each.
        "import_rows_per_s": get("import", "rows_per_s"),
        "export_rows_per_s": round(min(rates), 1) if rates else None,
        "export_peak_mb": max(peaks) if peaks else None,
        "annual_report_s": get("annual_report", "seconds"),
        "annual_report_peak_mb": get("annual_report", "peak_mb"),
        "similar_median_ms": get("similar", "median_ms"),
        **extra,
        "pages": rows,
        "jobs": jobs,
    }


def markdown(data: dict) -> str:
    lines = [
        f"# make bench: scale {data['scale']} on {data.get('database', '?')}",
        "",
        f"Floor (login-required empty view): {data['floor_ms']} ms; {data.get('rounds', '?')} rounds, interleaved.",
        "",
        "| persona | page | status | median ms | queries | bytes | × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in data["pages"]:
        ratio = "" if p["ratio"] is None else f"{p['ratio']}"
        lines.append(
            f"| {p['persona']} | `{p['url']}` | {p['status']} | {p['median_ms']} | {p['queries']} | "
            f"{p['bytes']:,} | {ratio} |"
        )
    lines += [
        "",
        "| job | rows | seconds | rows/s | peak MB (process) | note |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, job in data["jobs"].items():
        seconds = job.get("seconds", job.get("train_s"))
        rate = job.get("rows_per_s")
        note = job.get("error", job.get("note", ""))
        if name == "similar" and "median_ms" in job:
            note = f"train {job['train_s']:.1f} s; lookup median {job['median_ms']:.1f} ms {note}".strip()
        lines.append(
            f"| {name} | {job.get('rows', '')} | {'' if seconds is None else f'{seconds:.1f}'} | "
            f"{'' if rate is None else f'{rate:,.0f}'} | {job.get('peak_mb', '')} | {note} |"
        )
    lines += ["", *goals(data)]
    lines += [
        "",
        f"Build: {data.get('build_s', '?')} s. import_rows_per_s={data['import_rows_per_s']}, "
        f"export_rows_per_s={data['export_rows_per_s']}, export_peak_mb={data['export_peak_mb']}, "
        f"annual_report_s={data['annual_report_s']}, annual_report_peak_mb={data['annual_report_peak_mb']}",
        "",
    ]
    return "\n".join(lines)


# The personas who see the whole province (the administrators: every account); the others are scoped.
CITY_WIDE = ("city", "supervisor", "leader", "sysadmin", "secadmin")


def goals(data: dict) -> list[str]:
    """The page goals of the issue: city-wide pages within 40× the floor, scoped ones within 20×."""
    out = []
    for label, wide, limit in (("City-wide", True, 40), ("Scoped", False, 20)):
        rows = [p for p in data["pages"] if p["ratio"] is not None and (p["persona"] in CITY_WIDE) == wide]
        over = sorted((p for p in rows if p["ratio"] > limit), key=lambda p: -p["ratio"])
        worst = ", ".join(f"{p['persona']} `{p['url']}` {p['ratio']}×" for p in over[:5])
        out.append(
            f"{label} pages over {limit}× the floor: {len(over)} of {len(rows)}" + (f" ({worst})" if worst else "")
        )
    return out


def write(data: dict, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "latest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    text = markdown(data)
    (folder / "latest.md").write_text(text)
    return text
