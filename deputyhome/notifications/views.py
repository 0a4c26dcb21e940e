"""The user's notification inbox: a list, and marking read (one, with a jump to its target, or all)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputyhome.accounts.choices import Role
from deputyhome.core.crud import get_in_scope
from deputyhome.core.masking import mask_email, mask_phone

from . import selectors, services
from .choices import Channel
from .models import Notification

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


# The system administrator: 发送失败的通知 ----------------------------------------------------------------------------

FAILED_PAGE_SIZE = 50
RETRY_MAX = 100  # sent again per click (the rest stay listed for the next)
CHANNELS = {"": "全部", Channel.SMS: "短信", Channel.EMAIL: "电子邮件"}


def _destination(note: Notification) -> str:
    """Where the message goes now, masked (the administrator runs the channel, not the users' data)."""
    if note.channel == Channel.EMAIL:
        return mask_email(note.user.email) or "（无电子邮箱）"
    return mask_phone(services.phone_of(note.user)) or "（无手机号）"


def _picked(rows, one: str | None):
    """All of `rows` (no id given), the one whose id is `one`, or none (an id that is not a number)."""
    return rows if one is None else rows.filter(pk=one) if one.isdigit() else rows.none()


def _resend_chosen(request: HttpRequest, failed, numbers) -> None:
    """POST of 发送失败的通知: `number` one SMS to a number, `numbers` every one listed; `id` one notification, else
    every one listed (the first `RETRY_MAX` each time, for `IN_REQUEST_SECONDS` at the most); what was done, as a
    message."""
    result = None
    if "number" in request.POST or "numbers" in request.POST:
        rows = list(_picked(numbers, request.POST.get("number"))[:RETRY_MAX])
        if rows:
            result = services.number_sms_send(rows=rows, actor=request.user, seconds=services.IN_REQUEST_SECONDS)
    else:
        notes = _picked(failed, request.POST.get("id")).select_related("user__deputy", "user__unit")
        chosen = list(notes[:RETRY_MAX])
        if chosen:
            result = services.deliveries_send(notes=chosen, actor=request.user, seconds=services.IN_REQUEST_SECONDS)
    if result is None:
        messages.error(request, "没有要重新发送的通知（可能已发送成功）。")
    else:
        (messages.success if not (result.failed or result.out_of_time) else messages.warning)(
            request, result.summary() + "。"
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def failed_list(request: HttpRequest) -> HttpResponse:
    """System administrator: the e-mails and SMS whose sending failed, newest first, with the error, and the SMS to
    numbers not sent yet (failed, or waiting for the command); POST sends again one of them or the first
    `RETRY_MAX` listed. Who they were to and where (masked) are shown, not what they said: the administrator keeps
    the channel working, the messages are the users' business (三员分立)."""
    if request.user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以查看和重发发送失败的通知。")
    channel = request.GET.get("channel", "")
    if channel not in CHANNELS:
        return render(request, "notifications/failed.html", {"title": "发送失败的通知", "bad": True}, status=400)
    failed, numbers = selectors.failed_deliveries(channel=channel), selectors.numbers_unsent()
    if request.method == "POST":
        _resend_chosen(request, failed, numbers)
        return HttpResponseRedirect(request.get_full_path())
    page = Paginator(failed.select_related("user__deputy", "user__unit"), FAILED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    number_page = Paginator(numbers, FAILED_PAGE_SIZE).get_page(request.GET.get("npage"))
    return render(
        request,
        "notifications/failed.html",
        {
            "title": "发送失败的通知",
            "page": page,
            "rows": [(note, _destination(note)) for note in page.object_list],
            "number_page": number_page,
            "number_rows": [(row, mask_phone(row.phone)) for row in number_page.object_list],
            "channel": channel,
            "channels": CHANNELS,
            "query": f"channel={channel}" if channel else "",
            "retry_max": RETRY_MAX,
        },
    )
