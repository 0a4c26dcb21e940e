"""Importing past years' ledgers (交办清单／登记册 .xlsx) as the committee's memory.

Read → check → (map unknown unit names) → apply, like the roster import: the package is
inspected before openpyxl opens it (deputies.roster / core.xlsx), every problem is reported
with its row and column in Chinese, and nothing is written unless every row is good.
Unit names that match no unit (a renamed or merged bureau: 市水利局 → 市水利和湖泊局) are
listed for a mapping step; the mapping applies to this import only.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.deputies.roster_columns import clean_text, header_key
from deputyhome.deputies.roster_reading import BadCell, RosterFileError, xlsx_grids
from deputyhome.organisation.models import HandlingUnit

from ..history_models import HistoricalSuggestion
from ..models import Category, ResultClass
from .merging import may_merge

MAX_ROWS = 20000
HEADER_SCAN_ROWS = 10
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "建议标题", "案由", "建议名称", "题目"),
    "content": ("内容", "建议内容", "主要内容", "正文"),
    "author": ("领衔代表", "提出人", "领衔人", "代表姓名", "代表"),
    "lead": ("主办单位", "承办单位", "主办", "主办单位名称"),
    "co": ("协办单位", "会办单位", "协办"),
    "category": ("类别", "分类", "建议分类", "建议类别"),
    "year": ("年份", "年度", "年"),
    "result": ("答复类别", "办理结果", "答复类型", "结果类别"),
    "number": ("编号", "建议编号", "案号"),
}
LABELS = {"title": "标题", "content": "内容", "author": "领衔代表", "lead": "主办单位", "co": "协办单位",
          "category": "类别", "year": "年份", "result": "答复类别", "number": "编号"}  # fmt: skip
REQUIRED = ("title", "lead", "year")
_ALIASES = {header_key(a): key for key, aliases in COLUMNS.items() for a in aliases}
_SPLIT = re.compile(r"[、，,;；/\s]+")


class HistoryFileError(Exception):
    """The file as a whole cannot be used; the message says why, in Chinese."""


@dataclass
class HistoryRow:
    line: int
    year: int
    number: int | None
    title: str
    content: str
    author: str
    lead: str
    co: list[str]
    category: Category | None
    result: ResultClass | None


@dataclass
class HistoryPlan:
    rows: list[HistoryRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown_units


def _unit_key(name: str) -> str:
    return re.sub(r"\s+", "", name)


def _table(content: bytes, filename: str) -> tuple[dict[str, int], list[tuple[int, list[Any]]], int]:
    if not (filename or "").lower().endswith(".xlsx"):
        raise HistoryFileError("只能导入 .xlsx 文件（往年建议交办清单或登记册）。")
    try:
        grids = xlsx_grids(content)
    except RosterFileError as exc:
        raise HistoryFileError(str(exc)) from None
    for grid in grids:
        for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
            cols: dict[str, int] = {}
            for i, v in enumerate(row):
                key = _ALIASES.get(header_key(v))
                if key and key not in cols:
                    cols[key] = i
            if len(cols) >= 3:
                missing = [LABELS[k] for k in REQUIRED if k not in cols]
                if missing:
                    raise HistoryFileError(
                        f"第{index + 1}行的表头缺少必需的列：" + "、".join(f"「{m}」" for m in missing) + "。"
                    )
                rows = [
                    (n, r)
                    for n, r in enumerate(grid[index + 1 :], start=index + 2)
                    if any(clean_text(v) for v in r if not isinstance(v, BadCell))
                    or any(isinstance(v, BadCell) for v in r)
                ]
                if not rows:
                    raise HistoryFileError(f"表头（第{index + 1}行）下面没有数据行。")
                if len(rows) > MAX_ROWS:
                    raise HistoryFileError(f"数据行过多：{len(rows)}行，一次最多导入{MAX_ROWS}行。")
                return cols, rows, index
    raise HistoryFileError(
        "没有找到表头：前10行中没有包含「标题」「主办单位」「年份」等列名的一行，这可能不是建议交办清单。"
    )


def history_check(*, content: bytes, filename: str, mapping: Mapping[str, int] | None = None) -> HistoryPlan:
    """Read and check every row; unknown unit names are listed for mapping. Writes nothing."""
    cols, rows, _ = _table(content, filename)
    mapping = {_unit_key(k): v for k, v in (mapping or {}).items()}
    units = {_unit_key(u.name): u.pk for u in HandlingUnit.objects.only("id", "name")}
    valid_ids = set(units.values())
    categories = {c.name: c for c in Category.objects.all()}
    results: dict[str, ResultClass] = {}
    for rc in ResultClass.objects.all():
        results[rc.code.upper()] = results[f"{rc.code.upper()}类"] = results[rc.label] = rc
    this_year = timezone.localdate().year
    plan = HistoryPlan()
    unknown: dict[str, None] = {}
    seen: dict[tuple[int, int], int] = {}
    seen_titles: dict[tuple[int, str], int] = {}

    def cell(row: list[Any], key: str) -> Any:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    for line, row in rows:
        errs: list[str] = []

        def where(key: str, msg: str) -> None:
            errs.append(f"第{line}行「{LABELS[key]}」：{msg}")  # noqa: B023 - used within this iteration

        values: dict[str, str] = {}
        for key in cols:
            v = cell(row, key)
            if isinstance(v, BadCell):
                where(key, v.message)
                values[key] = ""
            else:
                values[key] = clean_text(v)
        title = values.get("title", "")
        if not title:
            where("title", "不能为空")
        elif len(title) > 200:
            where("title", f"过长（{len(title)}字），最多200字")
        year_text = values.get("year", "").removesuffix("年")
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else 0
        if not year_text:
            where("year", "不能为空")
        elif not 1990 <= year <= this_year:
            where("year", f"“{values.get('year')}”不是有效年份（1990—{this_year}）")
        number = None
        num_text = values.get("number", "").removeprefix("第").removesuffix("号")
        if num_text:
            if num_text.isascii() and num_text.isdigit() and int(num_text) > 0:
                number = int(num_text)
            else:
                where("number", f"“{values['number']}”不是正整数")
        names = {"lead": [values.get("lead", "")], "co": [n for n in _SPLIT.split(values.get("co", "")) if n]}
        if not names["lead"][0]:
            where("lead", "不能为空")
        for group in names.values():
            for name in group:
                if name and _unit_key(name) not in units and _unit_key(name) not in mapping:
                    unknown[name] = None
        category = None
        if values.get("category"):
            category = categories.get(values["category"])
            if category is None:
                where("category", f"没有名为“{values['category']}”的分类（现有：{'、'.join(categories)}）")
        result = None
        if values.get("result"):
            result = results.get(values["result"].upper()) or results.get(values["result"])
            if result is None:
                where("result", f"“{values['result']}”不是已设置的答复类别（如A、B、C）")
        if year and number is not None:
            if (year, number) in seen:
                where("number", f"{year}年第{number}号与第{seen[(year, number)]}行重复")
            seen[(year, number)] = line
        if year and title:
            if (year, title) in seen_titles:
                where("title", f"与第{seen_titles[(year, title)]}行重复（同一年度同一标题）")
            seen_titles[(year, title)] = line
        plan.errors.extend(errs)
        if not errs:
            plan.rows.append(
                HistoryRow(
                    line,
                    year,
                    number,
                    title,
                    values.get("content", ""),
                    values.get("author", ""),
                    names["lead"][0],
                    names["co"],
                    category,
                    result,
                )  # fmt: skip
            )
    for key, pk in mapping.items():
        if pk not in valid_ids:
            plan.errors.append(f"单位对应关系中“{key}”对应的单位不存在。")
    if plan.rows:
        years = {r.year for r in plan.rows}
        existing_numbers = set(
            HistoricalSuggestion.objects.filter(year__in=years, number__isnull=False).values_list("year", "number")
        )
        existing_titles = set(HistoricalSuggestion.objects.filter(year__in=years).values_list("year", "title"))
        for r in plan.rows:
            if r.number is not None and (r.year, r.number) in existing_numbers:
                plan.errors.append(f"第{r.line}行「编号」：{r.year}年第{r.number}号已导入过")
            elif (r.year, r.title) in existing_titles:
                plan.errors.append(f"第{r.line}行「标题」：{r.year}年已有同一标题的往年建议（已导入过）")
    plan.unknown_units = list(unknown)
    return plan


@transaction.atomic
def history_import(
    *, content: bytes, filename: str, actor: Any, mapping: Mapping[str, int] | None = None
) -> list[HistoricalSuggestion]:
    """Check and write every row, or nothing: raises HistoryFileError with all the problems."""
    if not may_merge(actor):
        raise PermissionDenied("只有代工委工作人员可以导入往年建议。")
    plan = history_check(content=content, filename=filename, mapping=mapping)
    if plan.unknown_units:
        raise HistoryFileError("以下单位名称没有对应的承办单位，请先指定对应关系：" + "、".join(plan.unknown_units))
    if plan.errors:
        raise HistoryFileError(
            "；".join(plan.errors[:50]) + (f"……共{len(plan.errors)}处问题" if len(plan.errors) > 50 else "")
        )
    units = {_unit_key(u.name): u.pk for u in HandlingUnit.objects.only("id", "name")}
    units |= {_unit_key(k): v for k, v in (mapping or {}).items()}
    source = f"{filename}（{datetime.date.today():%Y-%m-%d}导入）"  # noqa: DTZ011 - a label only
    created = HistoricalSuggestion.objects.bulk_create(
        [
            HistoricalSuggestion(
                year=r.year,
                number=r.number,
                title=r.title,
                content=r.content,
                author_name=r.author[:50],
                lead_unit_id=units[_unit_key(r.lead)],
                category=r.category,
                result_class=r.result,
                source=source[:200],
            )  # fmt: skip
            for r in plan.rows
        ]
    )
    through = HistoricalSuggestion.co_units.through
    links = {(h.pk, units[_unit_key(n)]) for h, r in zip(created, plan.rows, strict=True) for n in r.co} - {
        (h.pk, h.lead_unit_id) for h in created
    }
    through.objects.bulk_create([through(historicalsuggestion_id=h, handlingunit_id=u) for h, u in sorted(links)])
    record(
        actor=actor,
        action="suggestions.history_import",
        object_type="suggestions.historicalsuggestion",
        object_repr=filename[:255],
        changes={"rows": len(created), "years": sorted({r.year for r in plan.rows}), "mapping": dict(mapping or {})},
    )
    return created
