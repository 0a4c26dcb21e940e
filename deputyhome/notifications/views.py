"""The user's notification inbox: a list, and marking read (one, with a jump to its target, or all)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from deputyhome.core.crud import get_in_scope

from . import selectors, services

PAGE_SIZE = 20


def safe_link(link: str) -> str | None:
    """`link` if it is a relative path on this site ("/suggestions/12/"), else None.

    Links are written by the system, but a link that leaves the site is never followed.
    """
    if not link.startswith("/") or link.startswith(("//", "/\\")):
        return None
    return link if url_has_allowed_host_and_scheme(link, allowed_hosts=None) else None


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    inbox = selectors.Inbox(request.user)
    page = Paginator(inbox, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "title": "我的通知",
            "page": page,
            "query": "",
            "unread": inbox.unread_count,
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and go to what it is about; 404 for anyone else's."""
    notification = get_in_scope(selectors.notification_list, request.user, pk)
    services.notification_mark_read(notification=notification)
    return HttpResponseRedirect(safe_link(notification.link) or reverse("notifications:list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return HttpResponseRedirect(reverse("notifications:list"))
