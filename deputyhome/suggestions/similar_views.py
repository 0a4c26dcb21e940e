"""Pages and fragments of the committee's memory: similar suggestions, routing, 并案, history import.

The similar list and the routing panel are htmx fragments loaded into the existing pages (the
draft form, the detail page) through small template includes. Scope comes from the selectors;
merging, routing confirmation and the history import are for the committee's staff only.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts.choices import Role
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import not_in_scope
from deputyhome.core.filters import query_year, typed_text
from deputyhome.organisation.models import HandlingUnit

from . import forms, selectors, services
from .choices import State
from .history_models import RoutingChoice
from .history_selectors import history_list
from .models import Suggestion
from .services import history_import, merging
from .similarity import lookup
from .similarity.services import routing_decide
from .similarity.training import suggestion_text, suggestions_learn
from .workflow import IllegalTransition

SESSION_KEY = "suggestions.history_import"
MAX_TYPED = 4000


def _may_see(user) -> bool:
    return user.scope_kind != "none"


def _get(request: HttpRequest, pk: int) -> Suggestion:
    """The suggestion in the user's scope; outside it, the one audited refusal (`not_in_scope`)."""
    try:
        if not _may_see(request.user):
            raise Suggestion.DoesNotExist
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise not_in_scope(request.user, Suggestion, pk, "未找到这件建议，或不在您的范围内。") from None


def _staff(request: HttpRequest) -> None:
    if request.user.role not in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER):
        raise PermissionDenied("只有人大工作人员可以进行此项操作。")


def _committee(request: HttpRequest) -> None:
    if not merging.may_merge(request.user):
        raise PermissionDenied("只有代工委工作人员可以进行此项操作。")


def _staff_get(request: HttpRequest, pk: int) -> Suggestion:
    """The suggestion for one of the staff's actions: 403 for anyone else, then 404 outside the scope."""
    _staff(request)
    s = _get(request, pk)
    if not merging.may_merge_at(request.user, s):
        raise PermissionDenied(f"这件建议由{s.congress}办理，您只能查看。")
    return s


# Similar suggestions ------------------------------------------------------------------------------------------


@login_required
@require_GET
def similar_fragment(request: HttpRequest) -> HttpResponse:
    """The similar list for a suggestion (`?pk=`) or for what is being typed (`?title=&proposals=`)."""
    if not _may_see(request.user):
        raise PermissionDenied
    s = None
    pk = request.GET.get("pk", "")
    if pk:
        if not valid_id(pk):
            raise Http404
        s = _get(request, valid_id(pk))
        text = suggestion_text(s)
    else:
        parts = [request.GET.get(k, "") for k in ("title", "situation", "reasons", "proposals")]
        text = "\n".join(p for p in parts if p)[:MAX_TYPED]
    exclude = request.GET.get("exclude", "")
    items = lookup.similar(
        user=request.user,
        text=text,
        exclude_pk=s.pk if s else valid_id(exclude),
        limit=10,
    )
    mergeable: list[Suggestion] = []
    if (
        s is not None
        and merging.may_merge_at(request.user, s)
        and s.state in merging.LEAD_STATES
        and not s.merged_into_id
    ):
        mergeable = [
            i.obj
            for i in items
            if i.kind == "suggestion"
            and i.obj.state in merging.MERGEABLE_STATES
            and not i.obj.merged_into_id
            and i.obj.year == s.year
        ]
    context = {"items": items, "object": s, "mergeable": {m.pk for m in mergeable}, "typed": s is None}
    return render(request, "suggestions/similar/_list.html", context)


# Routing ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def routing_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """Recommended lead units, co-units and category, with reasons; staff confirm or change."""
    s = _staff_get(request, pk)
    rec = lookup.recommend(text=suggestion_text(s))
    context: dict[str, Any] = {"object": s, "rec": rec}
    if rec and s.state == State.REGISTERED and not s.merged_into_id:
        initial = {
            "lead_unit": rec.units[0].unit.pk if rec.units else None,
            "co_units": [o.unit.pk for o in rec.co_units],
        }
        context["assign_form"] = forms.AssignForm(initial=initial, prefix="route", suggestion=s)
    if rec and s.state == State.SUBMITTED:
        context["register_form"] = forms.RegisterForm(
            initial={"category": rec.categories[0].unit.pk if rec.categories else None},
            prefix="route",
            suggestion=s,
        )
    return render(request, "suggestions/similar/_routing.html", context)


def _back(s: Suggestion) -> HttpResponseRedirect:
    return HttpResponseRedirect(s.get_absolute_url())


def _act(request: HttpRequest, s: Suggestion, act: Callable[[], object], done: str) -> HttpResponseRedirect:
    """One write: its refusal as an error message, or `done`; then back to the suggestion's page."""
    try:
        act()
    except (IllegalTransition, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, IllegalTransition) else "；".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(s)


def _routed(
    request: HttpRequest,
    s: Suggestion,
    kind: str,
    *,
    decide: Callable[[], object],
    chosen: list[int],
    done: str,
) -> HttpResponseRedirect:
    """Staff's routing decision (lead and co-units, or the category) through the ordinary service, and in the
    same transaction what they chose against what was recommended."""
    rec = lookup.recommend(text=suggestion_text(s))
    offered = (rec.units if kind == RoutingChoice.Kind.UNIT else rec.categories) if rec else []

    def act() -> None:
        routing_decide(
            decide=decide,
            suggestion=s,
            kind=kind,
            recommended=[o.unit.pk for o in offered],
            chosen=chosen,
            model_id=rec.model_id if rec else None,
            actor=request.user,
        )

    return _act(request, s, act, done)


@login_required
@require_POST
def route_assign(request: HttpRequest, pk: int) -> HttpResponse:
    s = _staff_get(request, pk)
    form = forms.AssignForm(request.POST, prefix="route", suggestion=s)
    if s.merged_into_id:
        messages.error(request, "这件建议已并案，由主建议统一交办。")
        return _back(s)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(s)
    d = form.cleaned_data
    return _routed(
        request,
        s,
        RoutingChoice.Kind.UNIT,
        decide=lambda: services.suggestion_assign(
            suggestion=s,
            lead_unit=d["lead_unit"],
            co_units=d["co_units"],
            requirements=d["requirements"],
            is_complex=d["is_complex"],
            actor=request.user,
        ),
        chosen=[d["lead_unit"].pk, *(u.pk for u in d["co_units"])],
        done=f"已交办：主办单位 {d['lead_unit']}。",
    )


@login_required
@require_POST
def route_register(request: HttpRequest, pk: int) -> HttpResponse:
    s = _staff_get(request, pk)
    form = forms.RegisterForm(request.POST, prefix="route", suggestion=s)
    if not form.is_valid():
        messages.error(request, "请选择建议分类。")
        return _back(s)
    category = form.cleaned_data["category"]
    return _routed(
        request,
        s,
        RoutingChoice.Kind.CATEGORY,
        decide=lambda: services.suggestion_register(suggestion=s, category=category, actor=request.user),
        chosen=[category.pk],
        done=f"已立案，分类：{category}。",
    )


# 并案 -----------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _staff_get(request, pk)
    ids = [pk for v in request.POST.getlist("others") if (pk := valid_id(v))]
    others = list(selectors.suggestion_list(user=request.user).filter(pk__in=ids))
    if not others or len(others) != len(set(ids)):
        messages.error(request, "请选择要并入本件的建议。")
        return _back(lead)
    note = typed_text(request.POST.get("note"), 200)
    return _act(
        request,
        lead,
        lambda: merging.suggestion_merge(lead=lead, others=others, actor=request.user, note=note),
        f"已将{len(others)}件建议并入本件，其领衔和联名代表已列为联名代表。",
    )


@login_required
@require_POST
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    s = _staff_get(request, pk)
    return _act(request, s, lambda: merging.suggestion_unmerge(suggestion=s, actor=request.user), "已撤销并案。")


# History: the list, the import, retraining ---------------------------------------------------------------------


@login_required
def history_page(request: HttpRequest) -> HttpResponse:
    if not _may_see(request.user):
        raise PermissionDenied
    qs = history_list(user=request.user)
    q = typed_text(request.GET.get("q"))
    if q:
        qs = qs.filter(title__icontains=q)
    year = request.GET.get("year", "")
    if chosen := query_year(year, None):
        qs = qs.filter(year=chosen)
    page = Paginator(qs.prefetch_related("co_units"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/similar/history.html",
        {"page": page, "q": q, "year": year, "staff": merging.may_merge(request.user), "title": "往年建议"},
    )


def _unknown_map(request: HttpRequest, names: list[str]) -> dict[str, int]:
    mapping = {}
    for i, name in enumerate(names):
        v = request.POST.get(f"map_{i}", "")
        if unit_pk := valid_id(v):
            mapping[name] = unit_pk
    return mapping


@login_required
def history_import_page(request: HttpRequest) -> HttpResponse:
    _committee(request)
    context: dict[str, Any] = {"title": "导入往年建议", "units": HandlingUnit.objects.order_by("kind", "name")}
    if request.method != "POST":
        request.session.pop(SESSION_KEY, None)
        return render(request, "suggestions/similar/history_import.html", context)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > 10 * 1024 * 1024:
            context["error"] = "文件过大：不能超过10 MB。"
            return render(request, "suggestions/similar/history_import.html", context, status=400)
        content, name = upload.read(), upload.name
        request.session[SESSION_KEY] = {"name": name, "data": base64.b64encode(content).decode()}
    elif SESSION_KEY in request.session:
        stored = request.session[SESSION_KEY]
        content, name = base64.b64decode(stored["data"]), stored["name"]
    else:
        context["error"] = "请选择要导入的 .xlsx 文件。"
        return render(request, "suggestions/similar/history_import.html", context, status=400)
    try:
        first = history_import.history_check(content=content, filename=name)
        mapping = _unknown_map(request, first.unknown_units) if upload is None else {}
        plan = history_import.history_check(content=content, filename=name, mapping=mapping)
    except history_import.HistoryFileError as exc:
        request.session.pop(SESSION_KEY, None)
        context["error"] = str(exc)
        return render(request, "suggestions/similar/history_import.html", context, status=400)
    context |= {"plan": plan, "filename": name, "unknown": list(enumerate(first.unknown_units)), "mapping": mapping}
    if plan.errors:
        return render(request, "suggestions/similar/history_import.html", context, status=400)
    if plan.unknown_units or request.POST.get("confirm") != "1":
        return render(request, "suggestions/similar/history_import.html", context)
    try:
        created = history_import.history_import(content=content, filename=name, actor=request.user, mapping=mapping)
    except history_import.HistoryFileError as exc:
        context["error"] = str(exc)
        return render(request, "suggestions/similar/history_import.html", context, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"已导入往年建议{len(created)}件。可点击“重新训练”让相似建议和交办推荐用上这些数据。")
    return HttpResponseRedirect(reverse("suggestions:history"))


@login_required
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    _committee(request)
    try:
        row, trained = suggestions_learn(actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已训练模型#{row.pk}。" if trained else "训练数据未变化，沿用现有模型。")
    return HttpResponseRedirect(reverse("suggestions:history"))
