"""The desks (the committee's, the units' inbox, the supervisors' board, a deputy's 待办) and the
public list of replies."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.core import workdays

from . import queues, selectors
from .choices import State
from .models import HANDLING_STATES

LATE = frozenset(HANDLING_STATES)

# Desks --------------------------------------------------------------------------------------------------


DESK_LIMIT = 20
# What a desk's table shows of a suggestion. Of the author only the name: a deputy's row carries numbers kept
# encrypted, which every row would decrypt.
DESK_COLUMNS = ("number", "title", "is_key", "state", "round", "due_on", "follow_up_on", "author__name")


def _section(
    desk: queues.Desk, queue: queues.Queue, counts: dict[str, int], today: datetime.date, limit: int = DESK_LIMIT
) -> dict[str, Any]:
    # An empty queue (counted with the others in one query) is not asked for its rows.
    rows, count = [], counts[queue.key]
    if count:
        qs = desk.rows(queue, counts).select_related(None).prefetch_related(None).select_related("author")
        rows = [_row(s, today) for s in qs.only(*DESK_COLUMNS)[:limit]]
    return {
        "key": queue.key,
        "title": queue.title,
        "rows": rows,
        "count": max(count, len(rows)),
        "more": count > len(rows),
        "empty": queue.empty,
    }


def _row(s, today: datetime.date) -> dict[str, Any]:
    """One line of a desk's table, ready to print (a page shows up to 20 a queue: the template only prints)."""
    forward_due, forward_unit = getattr(s, "forward_due_on", None), getattr(s, "forward_unit", None)
    # The label from the enum: `get_state_display` hashes every choice's lazy label (a translation each) per row.
    state = str(State(s.state).label) + (f"（第{s.round}轮）" if s.round > 1 else "")
    return {
        "number": s.number_label or "—",
        "url": s.get_absolute_url() + ("#forwards" if forward_unit else ""),
        "title": s.title,
        "is_key": s.is_key,
        "forward_unit": forward_unit or "",
        "author": s.author.name,
        "state": state,
        "forward_due": forward_due.isoformat() if forward_due else "",
        "due": s.due_on.isoformat() if s.due_on else "",
        "follow_up": s.follow_up_on.isoformat() if s.follow_up_on else "",
        # Late: a forward past its due date; else a suggestion being handled past its own.
        "late": (forward_due < today) if forward_due else bool(s.due_on and s.due_on < today and s.state in LATE),
    }


def _desk(
    request: HttpRequest, desk: queues.Desk | None, today: datetime.date, calendar_notice: str = ""
) -> HttpResponse:
    if desk is None:
        raise PermissionDenied("您的角色没有建议待办。")
    counts = desk.counts()
    sections = [_section(desk, q, counts, today) for q in desk.queues]
    context = {"title": desk.title, "sections": sections, "today": today, "calendar_notice": calendar_notice}
    return render(request, "suggestions/desk.html", context)


@login_required
def staff_desk(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.CITY_OFFICER and not queues.has_township_desk(request.user):
        raise PermissionDenied("建议工作台仅供市人大常委会代工委和乡镇人大的工作人员使用。")
    today = timezone.localdate()
    # The deadlines set here may reach a year whose adjusted workdays are not entered yet.
    return _desk(request, queues.desk_for(request.user, today), today, workdays.provisional_notice(today))


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    if not selectors.is_unit_user(request.user):
        raise PermissionDenied("承办单位收件箱仅供承办单位经办人使用。")
    today = timezone.localdate()
    return _desk(request, queues.desk_for(request.user, today), today)


@login_required
def supervisor_board(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.SUPERVISOR, Role.LEADER, Role.CITY_OFFICER):
        raise PermissionDenied("督办看板仅供督办人员、领导和代工委使用。")
    today = timezone.localdate()
    return _desk(request, queues.board_desk(request.user, today), today)


@login_required
def deputy_todo(request: HttpRequest) -> HttpResponse:
    """我的建议待办: replies to evaluate, co-signatures to confirm, returned suggestions and drafts."""
    if not request.user.deputy_id:
        raise PermissionDenied("只有人大代表本人有建议待办。")
    today = timezone.localdate()
    return _desk(request, queues.deputy_desk(request.user, today), today)


def public_replies(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_replies()
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    page = Paginator(qs.order_by("-year", "number"), 20).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(
        request, "suggestions/public_list.html", {"title": "代表建议办理结果公开", "page": page, "q": q, "query": query}
    )


def public_reply_detail(request: HttpRequest, token: str) -> HttpResponse:
    s = selectors.published_replies().filter(public_token=token).first()
    if s is None:
        raise Http404
    reply = s.replies.filter(review_status="accepted", publishable=True).order_by("-round").first()
    return render(request, "suggestions/public_detail.html", {"title": s.title, "object": s, "reply": reply})
