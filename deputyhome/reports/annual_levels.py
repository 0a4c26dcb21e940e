"""The annual report's figures by congress level: the city congress's suggestions, and the township congresses'
in one table (the ten that received most, the others in one 其他 row, and the total).

Built from `suggestion_stats(...)["by_congress"]`, which the report already gathers (no query of its own),
so the table has at most 12 rows whatever the number of townships. The page, the JSON and the Word file
show the same `levels_part(figures)`: a sub-heading of part 四, after its tables and charts.
"""

from __future__ import annotations

from typing import Any

from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel

from .annual_text import num

TOP = 10
HEADING = "各级人大代表建议办理情况"
CAPTION = "各乡镇人大代表建议办理情况"
HEADERS = ["乡镇人大", "收到", "交办", "已答复", "已办结"]
COUNTS = ("received", "assigned", "replied", "closed")


def _sum(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(r[key] for r in rows) for key in COUNTS}


def levels_figures(by_congress: list[dict[str, Any]]) -> dict[str, Any]:
    """The city level's sums, the township congresses' top `TOP` by received (ties by region code), the
    others summed, and the townships' total."""
    city = [r for r in by_congress if r["level"] != CongressLevel.TOWNSHIP]
    towns = sorted(
        (r for r in by_congress if r["level"] == CongressLevel.TOWNSHIP), key=lambda r: (-r["received"], r["region"])
    )
    rest = towns[TOP:]
    return {
        "city": _sum(city) if city else None,
        "townships": [{"name": r["congress"], **{k: r[k] for k in COUNTS}} for r in towns[:TOP]],
        "others": {"count": len(rest), **_sum(rest)} if rest else None,
        "township_total": {"count": len(towns), **_sum(towns)},
    }


def _sentence(figures: dict[str, int]) -> str:
    return (
        f"收到代表建议{num(figures['received'])}件，交办{num(figures['assigned'])}件，"
        f"已答复{num(figures['replied'])}件，已办结{num(figures['closed'])}件"
    )


def levels_part(figures: dict[str, Any]) -> dict[str, Any] | None:
    """{heading, paragraphs, caption, headers, rows} for the report, or None where the user's scope holds a
    single level (a street's officer, a unit, a deputy whose suggestions all went to the city)."""
    levels = figures.get("levels")
    if not levels or (figures["scope"] != ScopeKind.CITY and not levels["townships"]):
        return None
    paragraphs = []
    city = levels["city"] or (dict.fromkeys(COUNTS, 0) if figures["scope"] == ScopeKind.CITY else None)
    if city is not None:
        paragraphs.append(f"市级人大{_sentence(city)}。")
    total = levels["township_total"]
    if total["count"]:
        paragraphs.append(f"{num(total['count'])}个乡镇人大{_sentence(total)}。")
    else:
        paragraphs.append("本年度乡镇人大暂无代表建议。")
    rows = [[r["name"], *(r[k] for k in COUNTS)] for r in levels["townships"]]
    if levels["others"]:
        rows.append([f"其他{levels['others']['count']}个乡镇人大", *(levels["others"][k] for k in COUNTS)])
    if len(rows) > 1:
        rows.append(["合计", *(total[k] for k in COUNTS)])
    return {"heading": HEADING, "paragraphs": paragraphs, "caption": CAPTION, "headers": HEADERS, "rows": rows}
