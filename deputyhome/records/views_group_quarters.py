"""代表小组活动情况: whether each of the user's groups held an activity every quarter of a year (`group_quarters`), on
the page and as .xlsx."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts.choices import Role
from deputyhome.accounts.export_rights import GROUP_QUARTERS
from deputyhome.core.exports import ExportFile, export_view

from . import group_quarters as gq
from . import selectors
from .forms import GroupQuarterFilterForm
from .periods import QUARTER_LABELS
from .reminder_services import Reminded, group_reminders_send
from .townships import LOWEST
from .views_norms import filtered, norm_export, remind

GROUPS_PER_PAGE = 25


def _query(request: HttpRequest, data=None) -> tuple[GroupQuarterFilterForm, gq.GroupQuarterQuery, str]:
    fields = ("year", "township", "station", "name", "missing", "running")
    return filtered(request, data, GroupQuarterFilterForm, gq.GroupQuarterQuery, fields)


def may_remind(user) -> bool:
    """Who reminds the groups: the committee's and the townships' officers, who oversee them."""
    return user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER)


def _heading(user, query: gq.GroupQuarterQuery) -> str:
    place = query.station or query.township or selectors.scope_place(user)
    only = "（未达标小组）" if query.missing else ""
    return f"{place}{query.year}年代表小组活动情况{only}{'（本季度尚未开展）' if query.running else ''}"


@login_required
@require_GET
def group_quarters_page(request: HttpRequest) -> HttpResponse:
    form, query, error = _query(request)
    found = gq.group_quarters(query, user=request.user)
    page = Paginator(found.listed, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "title": _heading(request.user, query),
        "form": form,
        "error": error,
        "query": query,
        "found": found,
        "page": page,
        "rows": gq.with_quarters(list(page.object_list), query),
        "lowest": LOWEST,
        "may_remind": may_remind(request.user) and found.quiet > 0,
        "remind_label": f"提醒这{found.quiet}个小组的组长、联络员",
        "params": params.urlencode(),
    }
    return render(request, "records/group_quarters.html", context, status=400 if error else 200)


@export_view(GROUP_QUARTERS)
def group_quarters_export(request: HttpRequest) -> ExportFile | HttpResponse:
    """The list as the page shows it, a column a quarter."""

    def rows(chunk: list[Any], query: gq.GroupQuarterQuery) -> Iterable[list[Any]]:
        for row in gq.with_quarters(chunk, query):
            held = [{gq.AHEAD: "", gq.BEFORE: "不计（新成立）"}.get(state, n) for _label, n, state in row.quarters]
            yield [row.group.name, row.group.station.name, *held, row.missed]

    headers = ["代表小组", "所在站点", *(f"{QUARTER_LABELS[q]}（次）" for q in gq.QUARTERS), "未开展的季度数"]
    return norm_export(
        _query(request),
        heading=lambda query: _heading(request.user, query),
        sheet=("小组活动情况", headers, [24, 24, 14, 14, 14, 14, 14]),
        listed=lambda query: gq.group_quarters(query, user=request.user).listed,
        rows=rows,
    )


@login_required
@require_POST
def group_quarters_remind(request: HttpRequest) -> HttpResponse:
    """提醒: message the leaders and liaison officers of the groups not met yet this quarter (the page's filters)."""
    if not may_remind(request.user):
        raise PermissionDenied("只有市、乡镇（街道）人大工作人员可以提醒代表小组。")

    def said(done: Reminded) -> str:
        return (
            f"已提醒{done.missing}个代表小组的组长、联络员：{done.reached}个登录账号收到站内消息"
            f"{'和短信' if done.texted else ''}（同一天不重复发送）"
            + (f"；另有{done.unreached}个小组没有组长、联络员登录账号，请电话联系。" if done.unreached else "。")
        )

    parsed = _query(request, request.POST)
    return remind(request, parsed, page="records:group_quarters", only="running", send=group_reminders_send, said=said)
