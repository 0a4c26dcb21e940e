"""Training coverage and hours per deputy, and the training figures as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import ScopeKind
from deputyhome.core.api import stats_endpoint
from deputyhome.core.converters import id_url
from deputyhome.core.crud import Column, CountedRows, RegisterView, township_column
from deputyhome.core.filters import YearFilter
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.selectors import current_group_names

from . import filters, precomputed, selectors
from .choices import SessionKind
from .views import forbid_unless, format_hours, may_see_coverage, parse_year

# Coverage and hours -----------------------------------------------------------------------------------

TOWNSHIPS_PER_PAGE = 50


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    user = request.user
    forbid_unless(may_see_coverage(user), "您的角色无权查看培训统计。")
    year = parse_year(request.GET.get("year"))
    bad_year = year is None
    if bad_year:
        messages.error(request, "年度参数无效，已显示本年度：请使用2000至2100之间的四位数年份。")
        year = scopes.today().year
    if user.scope_kind == ScopeKind.CITY:
        # The whole city's figures, computed ahead (training.precomputed): the same for every city-wide user.
        figures, stats, by_township = precomputed.city_coverage_figures(year)
        # The uncovered deputies a page at a time, found through the townships' counts (no walk over all of them).
        uncovered: Any = selectors.UncoveredByTownship(user=user, on=stats["as_of"], townships=by_township)
    else:
        # A township's or a group's, in SQL: its deputies read once give the township rows and the uncovered list;
        # the rows give the coverage figures too (counted once).
        figures, (by_township, uncovered) = None, selectors.scoped_coverage(user=user, year=year)
        stats = selectors.training_stats(user=user, year=year, coverage=selectors.coverage_of(by_township))
    cov = stats["initial_training_coverage"]
    # A province has a thousand townships: a page of them, named once shown.
    townships = Paginator(by_township, TOWNSHIPS_PER_PAGE).get_page(request.GET.get("tpage"))
    if figures is not None:
        selectors.name_townships(townships.object_list)
    page = Paginator(uncovered, 50).get_page(request.GET.get("page"))
    groups = current_group_names(deputy_ids=[d.pk for d in page.object_list], on=stats["as_of"])
    link = id_url("deputies:detail")
    missing_rows = [
        (d.name, _township(d), d.new_since, groups.get(d.pk, "未编组"), link(d.pk)) for d in page.object_list
    ]
    kinds = [(label, stats["sessions_by_kind"][value]) for value, label in SessionKind.choices]
    return render(
        request,
        "training/coverage.html",
        {
            "title": "培训覆盖与学时",
            "year": year,
            "years": range(scopes.today().year, scopes.today().year - 6, -1),
            "stats": stats,
            "cov": cov,
            "percent": f"{cov['ratio'] * 100:.1f}%" if cov["ratio"] is not None else "—",
            "kinds": kinds,
            "townships": townships,
            "township_query": urlencode({"year": year, "page": page.number}),
            "page": page,
            "missing_rows": missing_rows,
            "query": urlencode({"year": year, "tpage": townships.number}),
            "hours_total": format_hours(stats["hours_total"]),
            "figures": figures,
        },
        status=400 if bad_year else 200,
    )


def _township(d: Any) -> str:
    """An uncovered deputy's township: a Deputy (the city's list) or a `selectors.Uncovered` (a scoped one)."""
    if isinstance(d, selectors.Uncovered):
        return d.township
    return d.region.name if d.region_id else ""


class HoursFilter(filters.HoursFilter):
    year = YearFilter(method="keep")

    def keep(self, qs, name, value):
        return qs  # the year is applied by the selector


class HoursList(RegisterView):
    """Hours per deputy in a year: every deputy in scope with sessions attended, hours, leave and absences.

    At province scale the city-wide list has 100,000 deputies: a page of them is read along an index (by township
    or name), its figures counted for those 50 only (`deputy_training`), and the count comes from a snapshot
    (`precomputed.city_hours_deputies`). Sorting by a figure ranks every listed deputy: a township's list (a
    township officer's, or a township chosen) is sorted in SQL; the city-wide one (also narrowed by a name) reads
    the order computed ahead (`precomputed.city_hours_order`).
    """

    allowed = staticmethod(may_see_coverage)
    filterset_class = HoursFilter
    default_sort = "region__code"
    create_url = None
    paginate_by = 50

    @property
    def year(self) -> int:
        return parse_year(self.request.GET.get("year")) or scopes.today().year

    @property
    def title(self) -> str:
        return f"{self.year}年代表培训学时"

    @property
    def extra_links(self) -> list[tuple[str, str]]:
        return [(f"{reverse('training:coverage')}?year={self.year}", "覆盖与学时")]

    @cached_property
    def narrowed(self) -> bool:
        """Whether the list is a township's or smaller (the user's scope, or a valid township chosen): sorted by a
        figure in SQL."""
        if self.request.user.scope_kind != ScopeKind.CITY:
            return True
        return bool(self.request.GET.get("township")) and self._filters_valid()

    @cached_property
    def everyone(self) -> bool:
        """Whether the list is the city-wide one, not narrowed by a township or a name (the snapshot's count)."""
        data = self.request.GET
        if self.request.user.scope_kind != ScopeKind.CITY:
            return False
        return not (data.get("township") or data.get("q", "").strip()) or not self._filters_valid()

    def _filters_valid(self) -> bool:
        data = self.request.GET
        return self.filterset_class(data, queryset=Deputy.objects.none(), **self.filterset_kwargs()).is_valid()

    def get_queryset(self) -> QuerySet:
        return selectors.hours_deputies(user=self.request.user, year=self.year).order_by("name", "pk")

    def get_columns(self) -> list[Column]:
        return [
            Column("姓名", lambda d: d.name, "name", link=lambda d: d.get_absolute_url()),
            township_column(lambda d: d.region.name if d.region_id else "", "region__code"),
            *(Column(label, value, key) for label, value, key in FIGURE_COLUMNS),
        ]

    def order(self, qs: QuerySet, field: str) -> CountedRows | precomputed.HoursOrder:
        key = field.lstrip("-")
        if key in FIGURE_KEYS and not self.narrowed:
            return precomputed.HoursOrder(year=self.year, field=field, within=None if self.everyone else qs)
        counted = KnownCount(precomputed.city_hours_deputies_count(self.year)) if self.everyone else qs
        if key in FIGURE_KEYS:
            return CountedRows(selectors.with_hours(qs, year=self.year).order_by(field, "pk"), counted=counted)
        ordered = qs.order_by(field, "pk")
        if key == "region__code" and not qs.filter(region__isnull=True).exists():
            # Township by township along the region codes' index, a nested loop that stops after a page (the
            # deputies' list does the same), rather than sorting every deputy: only over an inner join.
            ordered = ordered.filter(region__code__isnull=False)
        return CountedRows(ordered, counted=counted)

    def decorate(self, objects: list[Deputy]) -> None:
        figures = selectors.deputy_training(deputy_ids=[d.pk for d in objects], year=self.year)
        for d in objects:
            f = figures[d.pk]
            d.training_sessions, d.training_hours = f["sessions"], f["hours"]
            d.training_excused, d.training_absent = f["excused"], f["absent_unexcused"]


FIGURE_COLUMNS = [
    ("参训次数", lambda d: d.training_sessions, "training_sessions"),
    ("学时", lambda d: format_hours(d.training_hours), "training_hours"),
    ("请假", lambda d: d.training_excused, "training_excused"),
    ("缺席", lambda d: d.training_absent, "training_absent"),
]
FIGURE_KEYS = {key for _, _, key in FIGURE_COLUMNS}


class KnownCount:
    """A count already known (a snapshot's), for `CountedRows`."""

    def __init__(self, n: int) -> None:
        self.n = n

    def count(self) -> int:
        return self.n


# API --------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@stats_endpoint(allowed=selectors.may_see_training, refused="您的角色无权查看代表培训统计。")
def stats_training(request: HttpRequest, year: int) -> dict:
    """GET /api/v1/stats/training?year=YYYY: the year's training figures for the caller's scope."""
    return _plain(selectors.training_stats(user=request.user, year=year))
