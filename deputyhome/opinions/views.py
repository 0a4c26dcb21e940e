"""Staff pages: the opinions inbox and triage, and the printable QR codes. Receptions, pairings
and stories are in `contact_views.py`; the triage table in `steps.py`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts import scopes
from deputyhome.audit.middleware import mark_refusal_audited
from deputyhome.audit.services import record
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import Column, FormPageView, RegisterView, get_detail_in_scope, get_in_scope
from deputyhome.core.filters import typed_text
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.validators import mask_phone
from deputyhome.organisation.filters import StationFilter
from deputyhome.organisation.models import Station

from . import filters, forms, qr, selectors, services
from .models import Opinion
from .steps import TRIAGE


def require_see(user: Any) -> None:
    if not selectors.may_see_opinions(user):
        raise PermissionDenied("您的角色无权查看群众意见。")


def _township(station: Station | None) -> str:
    if station is None:
        return ""
    t = station.region.township
    return t.name if t else ""


# The inbox -----------------------------------------------------------------------------------------------


def _excerpt(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else f"{text[:n]}…"


class OpinionList(RegisterView):
    title = "群众意见"
    allowed = staticmethod(selectors.may_see_opinions)
    selector = staticmethod(selectors.opinion_list)
    filterset_class = filters.OpinionFilter
    default_sort = "-received_on"
    create_url = "opinions:record"
    create_allowed = staticmethod(selectors.may_triage)
    columns = [
        Column("查询码", lambda o: o.code_display, "tracking_code", link=lambda o: o.get_absolute_url()),
        Column("收到日期", lambda o: f"{o.received_on:%Y-%m-%d}", "received_on"),
        Column("反映给", lambda o: o.addressee),
        Column("内容", lambda o: _excerpt(o.content)),
        Column("来源", lambda o: o.get_channel_display(), "channel"),
        Column("状态", lambda o: o.get_status_display(), "status"),
    ]

    def get_queryset(self) -> QuerySet:
        return selectors.opinion_list(user=self.request.user).select_related("region")

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        links = [(reverse("opinions:qr_index"), "二维码"), (reverse("opinions:reception_list"), "接待记录")]
        return {"extra_links": links, "note": "群众扫码留言和接待、走访中收集的意见。"}


# The triage steps whose forms the page loads when one is opened (`opinion_step_form`): each reads the scope's units,
# deputies or opinions to offer, and together they were most of the page's work. The reply is written in place.
LOADED_WHEN_OPENED = ("forward", "to_problem", "to_suggestion", "merge")


def _detail_context(
    request: HttpRequest, opinion: Opinion, bound: dict[str, Any] | None = None, revealed: bool = False
) -> dict[str, Any]:
    user = request.user
    return {
        "object": opinion,
        "title": f"群众意见 {opinion.code_display}",
        # Masked by default; those who may contact the citizen reveal it with an audited POST.
        "phone": opinion.phone if revealed else mask_phone(opinion.phone),
        "may_reveal": bool(opinion.phone) and selectors.sees_contact(user, opinion) and not revealed,
        "revealed": revealed,
        "events": opinion.events.select_related("actor").all(),
        "duplicates": opinion.duplicates.all(),
        "steps": TRIAGE.forms(opinion, user, bound, lazy=LOADED_WHEN_OPENED),
        "referral": getattr(opinion, "referral", None),
        "problem": getattr(opinion, "problem", None),
        "township": _township(opinion.station),
    }


def _opinion_in_scope(user: Any, pk: int) -> Opinion:
    return get_detail_in_scope(selectors.opinion_detail, user, Opinion, pk)


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_see(request.user)
    opinion = _opinion_in_scope(request.user, pk)
    revealed = False
    if request.method == "POST" and "reveal" in request.POST:
        if not selectors.sees_contact(request.user, opinion):
            record(actor=request.user, action="personal_data.reveal", obj=opinion, success=False, detail="无权查看")
            mark_refusal_audited(request)
            raise PermissionDenied("您无权查看群众的完整联系电话。")
        record(actor=request.user, action="personal_data.reveal", obj=opinion, detail="群众联系电话")
        revealed = True
    return render(request, "opinions/detail.html", _detail_context(request, opinion, revealed=revealed))


@login_required
@require_POST
def opinion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    require_see(user)
    TRIAGE.get(action)  # 404 for an unknown action, before the role's 403
    TRIAGE.check_permission(user)
    opinion = _opinion_in_scope(user, pk)

    def again(bound: dict[str, Any]) -> HttpResponse:
        fresh = _opinion_in_scope(user, pk)
        return render(request, "opinions/detail.html", _detail_context(request, fresh, bound), status=400)

    return TRIAGE.handle(request, opinion, action, again)


@login_required
@require_GET
def opinion_step_form(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One triage step's form, as the page loads it when the step is opened (an htmx fragment), or on a page of its
    own (without script)."""
    user = request.user
    require_see(user)
    TRIAGE.get(action)  # 404 for an unknown action, before the role's 403
    TRIAGE.check_permission(user)
    opinion = _opinion_in_scope(user, pk)
    context = {"object": opinion, "step": TRIAGE.unbound_form(opinion, user, action), "action": action}
    if request.htmx:
        return render(request, "opinions/_step_loaded.html", context)
    context["title"] = f"群众意见 {opinion.code_display}"
    return render(request, "opinions/step_page.html", context)


@login_required
def merge_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The merge picker's options for what was typed (an htmx fragment)."""
    user = request.user
    require_see(user)
    TRIAGE.check_permission(user)
    opinion = get_in_scope(selectors.opinion_list, user, pk)
    q = typed_text(request.GET.get("q"))
    candidates = selectors.merge_candidates_search(user=user, opinion=opinion, q=q)
    context = {"candidates": candidates, "name": "into", "selected": "", "q": q}
    return render(request, "opinions/_candidate_options.html", context)


@login_required
def opinion_photo(request: HttpRequest, pk: int) -> HttpResponse:
    require_see(request.user)
    opinion = get_in_scope(selectors.opinion_list, request.user, pk)
    if not opinion.photo:
        raise Http404
    response = FileResponse(opinion.photo.open("rb"))
    response["Content-Type"] = "image/png" if opinion.photo.name.endswith(".png") else "image/jpeg"
    response["Cache-Control"] = "private, no-store"
    return response


class OpinionRecord(FormPageView):
    form_class = forms.OpinionRecordForm
    title = "录入群众意见"
    allowed = staticmethod(selectors.may_triage)

    def get_form(self, instance, data=None, files=None):
        reception = None
        pk = self.request.GET.get("reception")
        if valid_id(pk):
            reception = selectors.reception_list(user=self.request.user).filter(pk=pk).first()
        return self.form_class(data=data, user=self.request.user, reception=reception)

    def save(self, form, instance):
        return services.opinion_record(data=form.cleaned_data, actor=self.request.user)

    def cancel_url(self, instance):
        return reverse("opinions:list")


# QR codes ----------------------------------------------------------------------------------------------


QR_PAGE = 50  # stations a page lists, and a print run prints


def _qr_page(request: HttpRequest) -> tuple[Any, StationFilter]:
    """The page of the user's stations that the QR list shows (and prints), filtered by township, kind or name."""
    stations = selectors.qr_stations(user=request.user)
    filterset = StationFilter(request.GET or None, queryset=stations, user=request.user)
    if filterset.is_bound and filterset.is_valid():
        stations = filterset.qs
    return Paginator(stations, QR_PAGE).get_page(request.GET.get("page")), filterset


@login_required
def qr_index(request: HttpRequest) -> HttpResponse:
    """The stations in the user's scope, a page at a time, each with its printable QR code; a township's clerk
    filters their township and prints the page's codes at once."""
    require_see(request.user)
    page, filterset = _qr_page(request)
    query = request.GET.copy()
    query.pop("page", None)
    own = Deputy.objects.filter(pk=request.user.deputy_id).first() if request.user.deputy_id else None
    context = {
        "title": "群众意见二维码",
        "rows": [(s, _township(s)) for s in page.object_list],
        "page": page,
        "filter": filterset,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "sheet_query": request.GET.urlencode(),
        "own": own,
    }
    return render(request, "opinions/qr_index.html", context)


@login_required
def qr_sheets(request: HttpRequest) -> HttpResponse:
    """The QR sheets of the list's page (the same filter and page): one A4 sheet per station, to print at once."""
    require_see(request.user)
    page, _filterset = _qr_page(request)
    sheets = [(s, qr.public_url(request, reverse("opinions:public_station", args=[s.pk]))) for s in page.object_list]
    back = reverse("opinions:qr_index") + (f"?{request.GET.urlencode()}" if request.GET else "")
    return render(request, "opinions/qr_sheets.html", {"title": "打印二维码", "sheets": sheets, "back": back})


def _qr_target(request: HttpRequest, kind: str, pk: int) -> tuple[str, str, str]:
    """(name, public path, subtitle) of a station or deputy in the user's scope; 404 otherwise."""
    require_see(request.user)
    if kind not in ("station", "deputy"):
        raise Http404
    if kind == "station":
        station = get_in_scope(lambda user: Station.objects.filter(scopes.stations_q(user)), request.user, pk)
        return station.name, reverse("opinions:public_station", args=[station.pk]), "扫码向人大代表反映意见建议"
    deputy = get_in_scope(lambda user: Deputy.objects.filter(scopes.deputies_q(user)), request.user, pk)
    return f"{deputy.name}代表", reverse("opinions:public_deputy", args=[deputy.pk]), "扫码给代表留言"


@login_required
def qr_print(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    name, path, subtitle = _qr_target(request, kind, pk)
    return render(
        request,
        "opinions/qr_print.html",
        {
            "title": name,
            "name": name,
            "subtitle": subtitle,
            "url": qr.public_url(request, path),
            "kind": kind,
            "pk": pk,
        },
    )


@login_required
def qr_image(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("png", "svg"):
        raise Http404
    _name, path, _subtitle = _qr_target(request, kind, pk)
    url = qr.public_url(request, path)
    if fmt == "svg":
        return HttpResponse(qr.svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.png(url), content_type="image/png")
