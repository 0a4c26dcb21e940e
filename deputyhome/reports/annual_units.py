"""The handling units of the annual report by their kinds: who handled the suggestions, in words
("市政府组成部门、法院、检察院及供电、通信、供水等单位"), and which units the deputies rated low."""

from __future__ import annotations

from typing import Any

from deputyhome.organisation.choices import UnitKind

KIND_LABELS = {
    UnitKind.GOVERNMENT: "市政府组成部门",
    UnitKind.COURT: "法院",
    UnitKind.PROCURATORATE: "检察院",
}
# The trades of the units that are neither government nor courts (国网, 电信, 水务 ...), found by their names.
SECTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("供电", ("供电", "电力", "国网")),
    ("通信", ("电信", "移动", "联通", "铁塔", "广电")),
    ("供水", ("水务", "供水", "自来水")),
    ("供气", ("燃气", "天然气")),
    ("公共交通", ("公交", "公共交通")),
    ("城市建设", ("城市建设", "城投")),
    ("邮政", ("邮政",)),
    ("金融", ("银行", "保险")),
)


def _sector(name: str) -> str | None:
    return next((label for label, words in SECTORS if any(w in name for w in words)), None)


def units_phrase(units: list[dict[str, Any]]) -> str:
    """Who handled the suggestions, by kind: "市政府组成部门、法院、检察院及供电、通信、供水等单位"."""
    kinds = {u["kind"] for u in units if u["count"]}
    named = [label for kind, label in KIND_LABELS.items() if kind in kinds]
    others = [u for u in units if u["count"] and u["kind"] not in KIND_LABELS]
    if others:
        sectors = {_sector(u["name"]) for u in others}
        listed = [label for label, _words in SECTORS if label in sectors]
        other = ("、".join(listed) + "等单位") if listed else "其他有关单位"
        return ("、".join(named) + "及" + other) if named else other
    return "、".join(named) if named else "有关单位"


def units_breakdown(units: list[dict[str, Any]]) -> str:
    """The breakdown "（其中市政府组成部门主办96件、法院主办3件……）", empty when there is one kind only."""
    counts: dict[str, int] = dict.fromkeys([*KIND_LABELS.values(), "其他单位"], 0)
    for u in units:
        label = KIND_LABELS.get(u["kind"], "其他单位")
        counts[label] = counts.get(label, 0) + u["count"]
    parts = [f"{label}主办{n}件" for label, n in counts.items() if n]
    return "（其中" + "、".join(parts) + "）" if len(parts) > 1 else ""


# A unit whose suggestions the deputies rate below this (satisfied or basically satisfied) is named.
LOW_SATISFACTION = 0.9


def low_satisfaction_units(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rated = [u for u in units if u["evaluated"] and u["dissatisfied"]]
    low = [u for u in rated if (u["evaluated"] - u["dissatisfied"]) / u["evaluated"] < LOW_SATISFACTION]
    return sorted(low, key=lambda u: ((u["evaluated"] - u["dissatisfied"]) / u["evaluated"], u["name"]))
