"""Pages for the assessment of handling units (考核评分) and the suggestion statistics.

Thin views: the role check (403), the year from the query string, one selector or service, a page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from deputyhome.accounts import export_rights
from deputyhome.core import exports
from deputyhome.core.crud import not_in_scope, scheme_form_page
from deputyhome.organisation.models import HandlingUnit
from deputyhome.supervision.precomputed import suggestion_stats
from deputyhome.supervision.stats import parse_year

from . import boards, scoring, selectors, services
from .exports import scores_file
from .forms import SchemeForm

YEAR_ERROR = "年度无效：请选择2000至2100之间的年份。已显示本年度。"
RANKING_PAGE = 50  # units per page of the ranking (the ranked first, then those not ranked)
SATISFACTION_LABELS = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意", "no_response": "逾期未评价"}


def _year(request: HttpRequest) -> tuple[int, str]:
    """The year asked for, or this year and a message saying the one given was not understood."""
    year = parse_year(request.GET.get("year"))
    if year is None:
        return timezone.localdate().year, YEAR_ERROR
    return year, ""


def _recent_years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - 5, this + 1), year}, reverse=True)


def _with_year(url: str, year: int) -> str:
    return f"{url}?year={year}"


def _require_scores(user) -> None:
    if not selectors.can_view_scores(user):
        raise PermissionDenied("您的角色无权查看承办单位考核评分。")


@login_required
@require_GET
def scores(request: HttpRequest) -> HttpResponse:
    """The year's ranking of all units; a unit clerk goes to their own unit's card instead."""
    user = request.user
    _require_scores(user)
    year, error = _year(request)
    if not selectors.sees_all_units(user):
        return HttpResponseRedirect(_with_year(reverse("supervision:score_detail", args=[user.unit_id]), year))
    congress = selectors.board_congress(user, request.GET.get("congress"))
    board, figures = boards.ranking_board(year=year, user=user, congress=congress)
    page = Paginator(board.all_units, RANKING_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/scores.html",
        {
            "title": f"{year}年度承办单位考核评分",
            "year": year,
            "years": selectors.score_years(user=user),
            "year_error": error,
            "board": board,
            "figures": figures,
            "rate_items": [i for i in board.items if i.kind == scoring.RATE],
            "other_items": [i for i in board.items if i.kind != scoring.RATE],
            "full_marks": sum((i.points for i in board.items if i.kind == scoring.RATE), 0),
            "page": page,
            "query": query.urlencode(),
            "rows": [_ranking_row(u, board.items) for u in page.object_list if u.ranked],
            "unranked_rows": [_ranking_row(u, board.items) for u in page.object_list if not u.ranked],
            # A township congress's scores: its officer's own, the city's roles read them (no scheme to edit).
            "congress": congress,
            "can_edit_scheme": selectors.can_edit_scheme(user, congress),
        },
        status=400 if error else 200,
    )


def _ranking_row(unit_score: selectors.UnitScore, items: list[scoring.ItemSpec]) -> dict:
    card = unit_score.card
    return {"score": unit_score, "cells": [card.item(i.rule) for i in items if i.kind == scoring.RATE]}


@login_required
@require_GET
def unit_year(request: HttpRequest) -> HttpResponse:
    """A unit clerk's home page panel (htmx): their unit's year as its score card counts it so far (the total, the
    suggestions led, each rate item's rate), and the way to the card."""
    user = request.user
    _require_scores(user)
    if not user.unit_id:
        raise Http404("您的账号没有关联承办单位。")
    year, error = _year(request)
    found = boards.unit_scorecard(year=year, user=user, unit_id=user.unit_id)
    if found is None:
        raise Http404("未找到您的承办单位。")
    _board, unit_score, _figures = found
    context = {"year": year, "year_error": error, "unit_score": unit_score, "card": unit_score.card}
    return render(request, "supervision/_unit_year.html", context, status=400 if error else 200)


@login_required
@require_GET
def score_detail(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """One unit's card: each item, and each suggestion's share of it."""
    user = request.user
    _require_scores(user)
    year, error = _year(request)
    found = boards.unit_scorecard(year=year, user=user, unit_id=unit_pk)
    if found is None:
        raise not_in_scope(user, HandlingUnit, unit_pk, "未找到该承办单位，或不在您的查看范围内。")
    board, unit_score, figures = found
    card = unit_score.card
    breakdown = [
        {
            "link": _suggestion_link(row.facts.key),
            "label": row.facts.label,
            "cells": [(i.label, row.cells.get(i.rule)) for i in card.items],
            "total": row.total,
            "notes": _notes(row.facts),
        }
        for row in card.rows()
    ]
    for row in breakdown:
        # A unit leads a hundred suggestions or more a year: the cells are formatted here, not node by node.
        row["shown"] = [(label, "" if c is None else floatformat(c, 2)) for label, c in row["cells"]]
    return render(
        request,
        "supervision/score_detail.html",
        {
            "title": f"{unit_score.unit.name} {year}年度考核评分",
            "year": year,
            "years": selectors.score_years(user=user),
            "year_error": error,
            "board": board,
            "unit_score": unit_score,
            "figures": figures,
            "card": card,
            "breakdown": breakdown,
            "column_totals": [
                sum((r["cells"][n][1] for r in breakdown if r["cells"][n][1] is not None), 0)
                for n in range(len(card.items))
            ],
            "breakdown_total": sum((r["total"] for r in breakdown), 0),
            "all_visible": board.all_visible,
        },
        status=400 if error else 200,
    )


def _suggestion_link(key: Any) -> str:
    """The suggestion's page for a breakdown row's key ("" when the key is not a suggestion's id)."""
    try:
        return reverse("suggestions:detail", args=[key])
    except NoReverseMatch:
        return ""


def _notes(facts: scoring.SuggestionFacts) -> str:
    notes = []
    if facts.on_time is None:
        notes.append("尚未答复")
    elif facts.overdue:
        notes.append("逾期")
    if facts.consulted_before_reply is False:
        notes.append("答复前未沟通")
    if facts.first_reply_accepted is False:
        notes.append("答复曾被退回")
    if facts.final_satisfaction:
        notes.append(f"代表评价：{SATISFACTION_LABELS.get(facts.final_satisfaction, facts.final_satisfaction)}")
    if facts.finally_dissatisfied:
        notes.append("办结时不满意")
    if facts.key_closed:
        notes.append("重点督办件已办结")
    return "；".join(notes)


@exports.export_view(export_rights.SCORES)
def scores_export(request: HttpRequest) -> exports.ExportFile:
    """The scores as .xlsx (ranking and breakdown sheets), only what the user may see; audited by the decorator."""
    _require_scores(request.user)
    year, _error = _year(request)
    return scores_file(year=year, actor=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest) -> HttpResponse:
    """City officers edit the year's scoring scheme; the scores follow at once."""
    user = request.user
    congress = selectors.township_congress_of(user)
    if not selectors.can_edit_scheme(user, congress):
        raise PermissionDenied("只有代工委或乡镇人大工作人员可以修改本级考核评分办法。")
    year, error = _year(request)
    region = congress.region if congress else None
    current = services.scheme_for_year(year=year, actor=user, region=region)
    return scheme_form_page(
        request,
        current,
        SchemeForm,
        save=lambda form: services.scheme_update(
            scheme=current,
            items=form.items_data(),
            min_suggestions=form.cleaned_data["min_suggestions"],
            actor=user,
            region=region,
        ),
        saved="考核评分办法已保存，各单位得分已按新办法重新计算。",
        success_url=_with_year(reverse("supervision:scheme"), year),
        template="supervision/scheme.html",
        context={
            "title": f"{year}年度考核评分办法",
            "year": year,
            "years": sorted({*selectors.score_years(user=user), year}, reverse=True),
            "year_error": error,
        },
    )


TOP_ROWS = 20


def top_rows(rows: list[dict[str, Any]], sums: tuple[str, ...], n: int | None = None) -> list[dict[str, Any]]:
    """The `n` (`TOP_ROWS`) rows with the highest count (ties in their order), then one 其他 row summing the
    rest's `sums`."""
    n = TOP_ROWS if n is None else n
    if len(rows) <= n:
        return rows
    ranked = sorted(rows, key=lambda r: -r["count"])
    rest = ranked[n:]
    other = {"id": None, "name": f"其他（{len(rest)}个）", "other": True} | {k: sum(r[k] for r in rest) for k in sums}
    return [*ranked[:n], other]


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """The year's suggestion statistics in the user's scope, as tables."""
    user = request.user
    if not selectors.can_view_stats(user):
        raise PermissionDenied("您的角色无权查看代表建议统计。")
    year, error = _year(request)
    data = suggestion_stats(user=user, year=year)
    # A province has hundreds of units and a thousand townships: the page shows the most and one 其他 row
    # (the API gives every row, 50 a page).
    data["by_unit"] = top_rows(data["by_unit"], ("count", "replied", "overdue", "closed"))
    data["by_township"] = top_rows(data["by_township"], ("count",))
    return render(
        request,
        "reports/suggestion_stats.html",
        {
            "title": f"{year}年度代表建议统计",
            "year": year,
            "years": _recent_years(year),
            "year_error": error,
            "s": data,
        },
        status=400 if error else 200,
    )
