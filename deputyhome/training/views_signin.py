"""Training sign-in: opening it by code, the projector screen with its QR code, and the deputy's phone sign-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts import scopes
from deputyhome.opinions import qr

from . import forms, selectors, services
from .models import TrainingSession
from .views import forbid_unless, format_hours, managed_session


@login_required
@require_POST
def session_signin(request: HttpRequest, pk: int) -> HttpResponse:
    """Open or close sign-in by code, or renew the code."""
    session = managed_session(request, pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            session = services.session_signin_set(session=session, is_open=True, actor=request.user)
            messages.success(request, f"已开放签到，签到码 {session.signin_code}，当天有效。")
        elif action == "close":
            services.session_signin_set(session=session, is_open=False, actor=request.user)
            messages.success(request, "已关闭签到。")
        elif action == "renew":
            session = services.session_code_renew(session=session, actor=request.user)
            messages.success(request, f"已更换签到码：{session.signin_code}。原签到码即时失效。")
        else:
            messages.error(request, "未知的操作。")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(session.get_absolute_url())


@login_required
@require_GET
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """投屏签到: the code, a QR code to the sign-in page and the live count, for the projector in the room.

    With `?part=count` only the count is rendered (htmx polls it every 10 seconds).
    """
    session = managed_session(request, pk)
    counts = selectors.session_list(user=request.user).filter(pk=session.pk).values("invited_count", "present_count")
    context = {
        "object": session,
        "title": f"签到 · {session.title}",
        "counts": counts.get(),
        "live": session.signin_open and session.date == scopes.today(),
        "signin_url": request.build_absolute_uri(_signin_path(session)),
    }
    template = "training/_screen_count.html" if request.GET.get("part") == "count" else "training/session_screen.html"
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def session_screen_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the sign-in page, with this session's code filled in while sign-in is open
    (SVG, made here: no outside service)."""
    session = managed_session(request, pk)
    response = HttpResponse(qr.svg(request.build_absolute_uri(_signin_path(session))), content_type="image/svg+xml")
    add_never_cache_headers(response)
    return response


def _signin_path(session: TrainingSession) -> str:
    path = reverse("training:signin")
    return f"{path}?{urlencode({'code': session.signin_code})}" if session.signin_open else path


# The deputy's phone sign-in ---------------------------------------------------------------------------


@login_required
def signin(request: HttpRequest) -> HttpResponse:
    """培训签到: the logged-in deputy types the session's code."""
    user = request.user
    forbid_unless(bool(user.deputy_id), "只有人大代表本人可以用签到码签到。")
    # A scanned QR code brings the code along (?code=123456): the deputy only taps 签到.
    scanned = request.GET.get("code", "")
    initial = {"code": scanned} if scanned.isdigit() and len(scanned) <= 8 else {}
    form = forms.SignInForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services.attendance_sign_in(code=form.cleaned_data["code"], user=user)
            except ValidationError as exc:
                form.add_error("code", exc)
                status = 400
            else:
                messages.success(request, f"签到成功：{row.session.title}。")
                return HttpResponseRedirect(reverse("training:signin"))
        else:
            status = 400
    today = scopes.today()
    year = today.year
    figures = selectors.deputy_training(deputy_ids=[user.deputy_id], year=year)[user.deputy_id]
    return render(
        request,
        "training/signin.html",
        {
            "title": "培训签到",
            "form": form,
            "today_rows": selectors.my_attendance(user=user, on=today),
            "today": today,
            "year": year,
            "figures": figures,
            "hours": format_hours(figures["hours"]),
        },
        status=status,
    )
