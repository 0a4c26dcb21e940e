"""Pages for the public, without a login: a station's and a deputy's page with the opinion form,
the status page for a tracking code, model-deputy stories.

Pages that carry a form or a tracking code are sent with `Cache-Control: no-store` (never_cache),
so neither a shared phone's browser nor a proxy keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from deputyhome.core.crud import add_service_errors
from deputyhome.core.filters import typed_text
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Station

from . import codes, directory, notices, selectors, services, throttle
from .forms import PublicOpinionForm, TrackForm
from .uploads import PhotoSizeLimitHandler

# The session (server side, per browser) remembers the opinion just filed, so its code is shown again on a
# refresh but to nobody else; a shared phone's next user finds it gone after half an hour.
SUBMITTED_KEY = "opinions_submitted"
SUBMITTED_SHOWN_FOR = 30 * 60
NOT_FOUND = "没有找到与该查询码对应的记录。请核对查询码（共12位，不区分大小写）后重新输入。"


def throttled_response(request: HttpRequest, exc: throttle.Throttled) -> HttpResponse:
    response = render(
        request,
        "opinions/public_throttled.html",
        {"title": "请稍后再试", "message": exc.message, "minutes": max(exc.retry_after // 60, 1)},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@login_not_required
def public_index(request: HttpRequest) -> HttpResponse:
    """The directory of stations: the townships a page at a time with their stations, or a search by name."""
    q = typed_text(request.GET.get("q"), 50)
    number = request.GET.get("page")
    context: dict[str, Any] = {"title": "代表之家 · 群众意见", "q": q}
    if q:
        page = directory.station_search(q, number)
        context.update(page=page, found=page.object_list, query=urlencode({"q": q}))
    else:
        page, townships = directory.township_page(number)
        context.update(page=page, townships=townships, query="")
    return render(request, "opinions/public_index.html", context)


def _submit(request: HttpRequest, *, station: Station | None, deputy: Deputy | None, context: dict) -> HttpResponse:
    """Show the form (GET) or take an opinion (POST) for a station's or a deputy's page."""
    version, notice = notices.current()
    context.update(notice=notice, notice_version=version)
    template = "opinions/public_station.html" if deputy is None else "opinions/public_deputy.html"
    if request.method != "POST":
        context["form"] = PublicOpinionForm()
        return render(request, template, context)
    now = timezone.now()
    address = throttle.client_address(request)
    limits = throttle.submit_limits(
        address=address, target=services.throttle_target(station=station, deputy=deputy), now=now
    )
    try:
        throttle.check(limits, now=now)
    except throttle.Throttled as exc:
        return throttled_response(request, exc)
    form = PublicOpinionForm(request.POST, request.FILES, upload_too_large=getattr(request, "upload_too_large", False))
    if form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_submit(
                data=data,
                station=station,
                deputy=deputy,
                photo=data.get("photo"),
                client_address=address,
                now=now,
            )
        except throttle.Throttled as exc:
            return throttled_response(request, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Post/redirect/get: a refresh of the result page shows the code again, never files a second opinion.
            request.session[SUBMITTED_KEY] = {"pk": opinion.pk, "at": int(now.timestamp())}
            return redirect("opinions:public_submitted")
    context["form"] = form
    return render(request, template, context, status=400)


@login_not_required
@never_cache
def public_submitted(request: HttpRequest) -> HttpResponse:
    """The result of a submission: the tracking code, shown only in the browser that filed it, for a while."""
    held = request.session.get(SUBMITTED_KEY) or {}
    fresh = isinstance(held, dict) and timezone.now().timestamp() - held.get("at", 0) < SUBMITTED_SHOWN_FOR
    opinion = selectors.public_submitted(pk=held.get("pk")) if fresh else None
    if opinion is None:
        request.session.pop(SUBMITTED_KEY, None)
        return redirect("opinions:track")
    return render(
        request, "opinions/public_thanks.html", {"title": "提交成功", "opinion": opinion, "code": opinion.code_display}
    )


def _limited_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page with the opinion form: the photo size limit goes in before anything reads the body (so a
    photo over the limit is dropped while it streams in), and only then the CSRF check, which reads it."""
    protected = csrf_protect(view)

    @csrf_exempt
    @never_cache
    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers.insert(0, PhotoSizeLimitHandler(request))
        return protected(request, *args, **kwargs)

    return limited


@login_not_required
@_limited_uploads
def public_station(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.public_station(pk=pk)
    if station is None:
        raise Http404("没有找到该站点。")
    today = timezone.localdate()
    township = station.region if len(station.region.code) == 9 else station.region.parent
    context = {
        "title": station.name,
        "station": station,
        "township": township,
        "slots": selectors.public_slots(station=station, today=today),
        "deputies": selectors.station_deputies(station=station, today=today),
    }
    return _submit(request, station=station, deputy=None, context=context)


@login_not_required
@_limited_uploads
def public_deputy(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    deputy = selectors.deputy_public(pk=pk, today=today)
    if deputy is None:
        raise Http404("没有找到该代表。")
    order = list(CongressLevel.values)  # province, prefecture, city, township
    held = sorted({m.congress.level for m in deputy.current_mandates}, key=order.index)
    levels = "、".join(str(CongressLevel(level).label) for level in held)
    membership = deputy.current_memberships[0] if deputy.current_memberships else None
    context = {
        "title": f"{deputy.name}代表",
        "deputy": deputy,
        "levels": levels,
        "group": membership.group if membership else None,
        "station": membership.group.station if membership else None,
        "stories": selectors.published_stories().filter(deputy=deputy),
    }
    return _submit(request, station=None, deputy=deputy, context=context)


@login_not_required
@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Look up an opinion by its tracking code. POST only for the look-up: a code in a URL would
    end up in logs and browser histories."""
    if request.method != "POST":
        return render(request, "opinions/public_track.html", {"title": "查询办理进度", "form": TrackForm()})
    now = timezone.now()
    limits = throttle.lookup_limits(address=throttle.client_address(request), now=now)
    try:
        throttle.take(limits, now=now)
    except throttle.Throttled as exc:
        return throttled_response(request, exc)
    form = TrackForm(request.POST)
    result = None
    if form.is_valid():
        code = codes.normalise(form.cleaned_data["code"])
        result = selectors.public_status(code=code) if code else None
        if result is None:
            form.add_error("code", NOT_FOUND)
    return render(
        request,
        "opinions/public_track.html",
        {"title": "查询办理进度", "form": TrackForm() if result else form, "result": result},
    )


@login_not_required
def public_stories(request: HttpRequest) -> HttpResponse:
    return render(
        request, "opinions/public_stories.html", {"title": "代表风采", "stories": selectors.published_stories()}
    )


@login_not_required
def public_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.published_stories().filter(pk=pk).first()
    if story is None:
        raise Http404("没有找到该文章。")
    return render(request, "opinions/public_story.html", {"title": story.title, "story": story})
