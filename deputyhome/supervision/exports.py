"""The scores export: the year's ranking and breakdown of the handling units as .xlsx.

Apart from the services: building the file reads the scorecards (`selectors.unit_scorecards`), which
themselves ask the services for the year's scheme; the services need nothing from here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from deputyhome.core.exports import ExportFile
from deputyhome.core.xlsx import StreamedSheet, streamed_workbook, workbook_bytes

from .selectors import township_congress_of, unit_scorecards


def _num(value: Decimal | None) -> float | str:
    return "" if value is None else float(value)


def scores_workbook(board) -> bytes:
    """Two sheets: the ranking (one row per unit) and the breakdown (one row per suggestion), streamed (a
    province's year has ten thousand suggestions)."""
    items = board.items
    today = timezone.localdate()
    workbook = streamed_workbook()
    headers = [
        "名次",
        "承办单位",
        "主办件数",
        *(f"{i.label}（{i.points:g}）" for i in items),
        "扣分",
        "加分",
        "总分",
        "备注",
    ]
    ranking = StreamedSheet(
        workbook,
        "排名",
        f"{board.year}年度代表建议承办单位考核评分（导出日期 {today:%Y-%m-%d}）",
        headers,
        [6, 28, 8, *([12] * len(items)), 8, 8, 8, 16],
    )
    for unit_score in board.all_units:
        card = unit_score.card
        ranking.append(
            [
                unit_score.rank or "",
                unit_score.unit.name,
                unit_score.lead_count,
                *(_num(card.item(i.rule).earned if card.item(i.rule) else None) for i in items),
                _num(card.deductions),
                _num(card.bonus),
                _num(card.total),
                "" if unit_score.ranked else "不参与排名",
            ]
        )
    breakdown = StreamedSheet(
        workbook,
        "明细",
        f"{board.year}年度考核评分明细（按建议；空白为该项不适用，全额计分的不适用项不在明细中）",
        ["承办单位", "建议", *(i.label for i in items), "合计"],
        [28, 40, *([12] * len(items)), 8],
    )
    for unit_score in board.all_units:
        for row in unit_score.card.rows():
            breakdown.append(
                [
                    unit_score.unit.name,
                    row.facts.label,
                    *(_num(row.cells.get(i.rule)) for i in items),
                    _num(row.total),
                ]
            )
    return workbook_bytes(workbook)


@transaction.atomic
def scores_file(*, year: int, actor: Any) -> ExportFile:
    """The year's scores in the actor's scope as .xlsx; the download view writes the audit row (export.scores).

    Atomic because opening a year's scores for the first time saves (and audits) its default scheme.
    """
    board = unit_scorecards(year=year, user=actor, congress=township_congress_of(actor))
    return ExportFile(
        content=scores_workbook(board),
        filename=f"{year}年度承办单位考核评分-{timezone.localdate():%Y%m%d}.xlsx",
        rows=len(board.all_units),
        filters={"year": year},
    )
