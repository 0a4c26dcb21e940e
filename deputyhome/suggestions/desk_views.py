"""The desks (the committee's, the units' inbox, the supervisors' board, a deputy's 待办) and the
public list of replies."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.core import workdays
from deputyhome.core.filters import typed_text
from deputyhome.core.models import number_label

from . import queues, selectors
from .choices import State
from .models import HANDLING_STATES

LATE = frozenset(HANDLING_STATES)

# Desks --------------------------------------------------------------------------------------------------


DESK_LIMIT = 20


def _section(queue: queues.Queue, count: int, rows: list[dict[str, Any]], today: datetime.date) -> dict[str, Any]:
    return {
        "key": queue.key,
        "title": queue.title,
        "rows": [_row(r, today) for r in rows],
        "count": max(count, len(rows)),
        "more": count > len(rows),
        "empty": queue.empty,
    }


def _row(r: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """One line of a desk's table, ready to print (a page shows up to 20 a queue: the template only prints)."""
    forward_due, due = r["forward_due_on"], r["due_on"]
    state = str(State(r["state"]).label) + (f"（第{r['round']}轮）" if r["round"] > 1 else "")
    return {
        "number": number_label(r["number"]) or "—",
        "url": reverse("suggestions:detail", args=[r["pk"]]) + ("#forwards" if r["forward_unit"] else ""),
        "title": r["title"],
        "is_key": r["is_key"],
        "forward_unit": r["forward_unit"] or "",
        "author": r["author_name"],
        "state": state,
        "forward_due": forward_due.isoformat() if forward_due else "",
        "due": due.isoformat() if due else "",
        "follow_up": r["follow_up_on"].isoformat() if r["follow_up_on"] else "",
        # Late: a forward past its due date; else a suggestion being handled past its own.
        "late": (forward_due < today) if forward_due else bool(due and due < today and r["state"] in LATE),
    }


def _desk(
    request: HttpRequest, desk: queues.Desk | None, today: datetime.date, calendar_notice: str = ""
) -> HttpResponse:
    if desk is None:
        raise PermissionDenied("您的角色没有建议待办。")
    # The counts first (one query), then the first rows of the queues that hold something (one query more).
    counts = desk.counts()
    rows = desk.first_rows(counts, DESK_LIMIT)
    sections = [_section(q, counts[q.key], rows.get(q.key, []), today) for q in desk.queues]
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


@login_not_required
def public_replies(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_replies()
    q = typed_text(request.GET.get("q"))
    if q:
        qs = qs.filter(title__icontains=q)
    page = Paginator(qs.order_by("-year", "number"), 20).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(
        request, "suggestions/public_list.html", {"title": "代表建议办理结果公开", "page": page, "q": q, "query": query}
    )


@login_not_required
def public_reply_detail(request: HttpRequest, token: str) -> HttpResponse:
    s = selectors.published_replies().filter(public_token=token).first()
    if s is None:
        raise Http404
    reply = s.replies.filter(review_status="accepted", publishable=True).order_by("-round").first()
    return render(request, "suggestions/public_detail.html", {"title": s.title, "object": s, "reply": reply})
