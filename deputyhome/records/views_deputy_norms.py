"""The lists of the station norms each deputy in a group meets or not (`deputy_norms`): 代表进站情况 (`visits`) and
结对联系群众情况 (`households`). One page, export and 提醒 each, described by a `DeputyNormList`: the words, the
columns, and the functions that count."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts.export_rights import PAIRED_HOUSEHOLDS, STATION_VISITS, ExportKind
from deputyhome.core.exports import ExportFile, export_view
from deputyhome.opinions.selectors import may_see_opinions

from . import households, selectors, visits
from .deputy_norms import DeputyQuery, NormPage
from .forms import HouseholdFilterForm, VisitFilterForm
from .reminder_services import Reminded, household_reminders_send, visit_reminders_send
from .townships import LOWEST
from .views_norms import filtered, norm_export, remind

PER_PAGE = 25  # as the points list


class Words(NamedTuple):
    """What a norm's list calls the deputies held to it, those who meet it, those who do not, and the rate."""

    held: str
    met: str
    missing: str
    rate: str


@dataclass(frozen=True)
class DeputyNormList:
    """A norm's list: its URL names' stem (`records:{stem}`, `_export`, `_remind`), its title, its words for the
    deputies held to it, those who meet it, those who do not and the rate, its own columns (after name, township and
    group), the page's explanation (a function of the query), and what counts."""

    stem: str
    title: str
    words: Words
    question: str  # the rows' last column (是 or 否 in the export)
    columns: tuple[str, ...]
    widths: tuple[int, ...]
    explain: Callable[[DeputyQuery], str]
    form: type
    found: Callable[..., NormPage]
    rows: Callable[[list[Any], DeputyQuery], list[Any]]
    send: Callable[..., Reminded]
    export: ExportKind
    link: Callable[[Any, Any], str] | None = None  # (user, row): where the row's first figure leads, or ""

    @property
    def missing(self) -> str:
        return self.words.missing


def _visits_explained(query: DeputyQuery) -> str:
    return (
        f"进站代表每人每年至少到家站参加一次活动或接待选民。统计{query.period.start:%Y年%-m月%-d日}至"
        f"{query.on:%Y年%-m月%-d日}：在代表小组的代表，登记为接待代表的接待选民，或出席代表小组、家站组织的活动，"
        "即为已进站。"
    )


def _households_explained(query: DeputyQuery) -> str:
    return (
        f"每名代表经常联系{households.least()}户以上群众。统计{query.on:%Y年%-m月%-d日}在代表小组的代表：结对联系户"
        f"（结对未结束的）不少于{households.least()}户即为达标；本年联系记录列在旁边，供对照。"
    )


def _pairings_of(user, row: households.HouseholdRow) -> str:
    """The deputy's pairings in force in the register, for those who read it."""
    if not may_see_opinions(user):
        return ""
    return f"{reverse('opinions:pairing_list')}?{urlencode({'deputy': row.deputy.pk, 'in_force': 'true'})}"


VISITS = DeputyNormList(
    "visits",
    "代表进站情况",
    Words("应进站代表", "已进站", "未进站", "进站率"),
    "是否进站",
    ("接待选民（次）", "参加小组或家站活动（次）"),
    (14, 22),
    _visits_explained,
    VisitFilterForm,
    visits.visits,
    visits.with_figures,
    visit_reminders_send,
    STATION_VISITS,
)
HOUSEHOLDS = DeputyNormList(
    "households",
    "代表结对联系群众情况",
    Words("在小组代表", "达标", "未达标", "达标率"),
    "是否达标",
    ("结对联系户（户）", "本年联系过的户", "本年联系（次）"),
    (16, 16, 14),
    _households_explained,
    HouseholdFilterForm,
    households.households,
    households.with_figures,
    household_reminders_send,
    PAIRED_HOUSEHOLDS,
    _pairings_of,
)


def _query(norm: DeputyNormList, request: HttpRequest, data=None) -> tuple[Any, DeputyQuery, str]:
    fields = ("year", "township", "station", "group", "name", "missing")
    return filtered(request, data, norm.form, DeputyQuery, fields)


def _heading(norm: DeputyNormList, user, query: DeputyQuery) -> str:
    place = query.group or query.station or query.township or selectors.scope_place(user)
    return f"{place}{query.year}年{norm.title}{f'（{norm.missing}代表）' if query.missing else ''}"


def _page(norm: DeputyNormList, request: HttpRequest) -> HttpResponse:
    form, query, error = _query(norm, request)
    user = request.user
    found = norm.found(query, user=user)
    summary = found.summary
    page = Paginator(found.listed, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "title": _heading(norm, user, query),
        "norm": norm,
        "explained": norm.explain(query),
        "form": form,
        "error": error,
        "query": query,
        "summary": summary,
        "page": page,
        "rows": [
            (row, list(zip(row.cells, norm.columns, strict=True)), norm.link(user, row) if norm.link else "")
            for row in norm.rows(list(page), query)
        ],
        "params": params.urlencode(),
        # Those who organise the station work: the same roles as organise reports to voters.
        "may_remind": selectors.can_edit_reports(user) and summary.missing > 0,
        "remind_label": f"提醒这{summary.missing}名{norm.missing}代表",
        "townships": found.townships,
        "township_heading": f"各乡镇（街道）{norm.title.removeprefix('代表')}",
        "township_count": found.township_count,
        "lowest": LOWEST,
    }
    return render(request, "records/deputy_norm.html", context, status=400 if error else 200)


def _remind(norm: DeputyNormList, request: HttpRequest) -> HttpResponse:
    """提醒: message the deputies the page lists as short of the norm (its filters, sent with the button)."""
    if not selectors.can_edit_reports(request.user):
        raise PermissionDenied("您的角色无权提醒代表。")

    def said(done: Reminded) -> str:
        sent = (
            f"已提醒{done.reached}名{norm.missing}代表（站内消息{'和短信' if done.texted else ''}，同一天不重复发送）"
        )
        return sent + (f"；另有{done.unreached}名代表没有登录账号，请电话联系。" if done.unreached else "。")

    parsed = _query(norm, request, request.POST)
    return remind(request, parsed, page=f"records:{norm.stem}", only="missing", send=norm.send, said=said)


def _export(norm: DeputyNormList, request: HttpRequest) -> ExportFile | HttpResponse:
    """The list as the page shows it, with each deputy's figures."""

    def rows(chunk: list[Any], query: DeputyQuery) -> Iterable[list[Any]]:
        for row in norm.rows(chunk, query):
            region = row.deputy.region.name if row.deputy.region_id else ""
            yield [row.deputy.name, region, row.group, *row.cells, "是" if row.met else "否"]

    headers = ["姓名", "乡镇（街道）", "代表小组", *norm.columns, norm.question]
    return norm_export(
        _query(norm, request),
        heading=lambda query: _heading(norm, request.user, query),
        sheet=(norm.title.removeprefix("代表"), headers, [10, 16, 24, *norm.widths, 10]),
        listed=lambda query: norm.found(query, user=request.user).listed,
        rows=rows,
    )


def _views(norm: DeputyNormList) -> tuple[Callable, Callable, Callable]:
    """The list's page, its 提醒 and its export, as views."""

    @login_required
    @require_GET
    def page(request: HttpRequest) -> HttpResponse:
        return _page(norm, request)

    @login_required
    @require_POST
    def send(request: HttpRequest) -> HttpResponse:
        return _remind(norm, request)

    @export_view(norm.export)
    def export(request: HttpRequest) -> ExportFile | HttpResponse:
        return _export(norm, request)

    return page, send, export


visits_page, visits_remind, visits_export = _views(VISITS)
households_page, households_remind, households_export = _views(HOUSEHOLDS)
