"""Staff pages: the opinions inbox and triage, reception schedules and records, pairings,
model-deputy stories, and the printable QR codes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.audit.middleware import mark_refusal_audited
from deputyhome.audit.services import record
from deputyhome.core.crud import Column, DeletePageView, FormPageView, RegisterView, add_service_errors, get_in_scope
from deputyhome.deputies.models import Deputy
from deputyhome.deputies.validators import mask_phone
from deputyhome.organisation.models import Station

from . import filters, forms, qr, selectors, services
from .choices import OpinionStatus
from .models import Opinion


def _require_see(user: Any) -> None:
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


def _steps(request: HttpRequest, opinion: Opinion, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The triage forms the user may use on this opinion now."""
    user = request.user
    if not selectors.may_triage(user):
        return []
    bound = bound or {}
    status = opinion.status
    out: list[dict[str, Any]] = []

    def add(action: str, label: str, form: Any, danger: bool = False) -> None:
        out.append({"action": action, "label": label, "form": bound.get(action, form), "danger": danger})

    if status != OpinionStatus.MERGED:
        add("reply", "答复群众" if not opinion.reply else "修改答复", forms.ReplyForm(initial={"text": opinion.reply}))
    if status in services.OPEN_STATES:
        add("forward", "转交承办单位", forms.ForwardForm(user=user))
        add("to_problem", "转为发现问题", forms.ProblemForm(user=user, opinion=opinion))
    # A registered problem becomes a suggestion through the activities app, which only officers may use.
    officer = user.role in (Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER) or user.is_superuser
    if status in services.OPEN_STATES or (status == OpinionStatus.PROBLEM and officer):
        add("to_suggestion", "形成代表建议", forms.SuggestionForm(user=user, opinion=opinion))
    if status in services.OPEN_STATES and not opinion.duplicates.exists():
        add("merge", "合并到同类意见", forms.MergeForm(user=user, opinion=opinion), danger=True)
    return out


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
        "steps": _steps(request, opinion, bound),
        "referral": getattr(opinion, "referral", None),
        "problem": getattr(opinion, "problem", None),
        "township": _township(opinion.station),
    }


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_see(request.user)
    opinion = get_in_scope(selectors.opinion_detail_qs, request.user, pk)
    revealed = False
    if request.method == "POST" and "reveal" in request.POST:
        if not selectors.sees_contact(request.user, opinion):
            record(actor=request.user, action="personal_data.reveal", obj=opinion, success=False, detail="无权查看")
            mark_refusal_audited(request)
            raise PermissionDenied("您无权查看群众的完整联系电话。")
        record(actor=request.user, action="personal_data.reveal", obj=opinion, detail="群众联系电话")
        revealed = True
    return render(request, "opinions/detail.html", _detail_context(request, opinion, revealed=revealed))


ACTIONS = {
    "reply": forms.ReplyForm,
    "forward": forms.ForwardForm,
    "merge": forms.MergeForm,
    "to_problem": forms.ProblemForm,
    "to_suggestion": forms.SuggestionForm,
}
MESSAGES = {
    "reply": "已答复，群众凭查询码可以看到答复。",
    "forward": "已转交承办单位。单位答复后，群众凭查询码可以看到。",
    "merge": "已合并。",
    "to_problem": "已转为发现问题。",
    "to_suggestion": "已形成代表建议草稿，请领衔代表完善后提交。",
}


@login_required
@require_POST
def opinion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    _require_see(user)
    if action not in ACTIONS:
        raise Http404
    if not selectors.may_triage(user):
        raise PermissionDenied("您的角色只能查看群众意见，不能处理。")
    opinion = get_in_scope(selectors.opinion_detail_qs, user, pk)
    form_class = ACTIONS[action]
    kwargs: dict[str, Any] = {}
    if action in ("forward",):
        kwargs["user"] = user
    elif action in ("merge", "to_problem", "to_suggestion"):
        kwargs.update(user=user, opinion=opinion)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "reply":
                services.opinion_reply(opinion=opinion, text=data["text"], actor=user)
            elif action == "forward":
                services.opinion_forward(
                    opinion=opinion,
                    unit=data["unit"],
                    title=data["title"],
                    content=data["content"],
                    due_on=data["due_on"],
                    actor=user,
                )
            elif action == "merge":
                services.opinion_merge(opinion=opinion, into=data["into"], actor=user)
            elif action == "to_problem":
                services.opinion_to_problem(opinion=opinion, data=data, actor=user)
            elif action == "to_suggestion":
                services.opinion_to_suggestion(opinion=opinion, deputy=data["deputy"], title=data["title"], actor=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MESSAGES[action])
            return HttpResponseRedirect(opinion.get_absolute_url())
    opinion = get_in_scope(selectors.opinion_detail_qs, user, pk)
    return render(request, "opinions/detail.html", _detail_context(request, opinion, {action: form}), status=400)


@login_required
def opinion_photo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_see(request.user)
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
        if pk and pk.isdigit():
            reception = selectors.reception_list(user=self.request.user).filter(pk=pk).first()
        return self.form_class(data=data, user=self.request.user, reception=reception)

    def save(self, form, instance):
        return services.opinion_record(data=form.cleaned_data, actor=self.request.user)

    def cancel_url(self, instance):
        return reverse("opinions:list")


# Receptions ---------------------------------------------------------------------------------------------


def _station_param(request: HttpRequest) -> Station | None:
    pk = request.GET.get("station")
    if pk and pk.isdigit():
        return Station.objects.filter(scopes.stations_q(request.user), pk=pk).first()
    return None


class SlotList(RegisterView):
    title = "接待安排"
    allowed = staticmethod(selectors.may_see_opinions)
    selector = staticmethod(selectors.slot_list)
    filterset_class = filters.SlotFilter
    default_sort = "station__region__code"
    create_url = "opinions:slot_create"
    create_allowed = staticmethod(selectors.may_edit_station_records)
    columns = [
        Column("家站", lambda s: s.station.name, "station__region__code"),
        Column("接待时间", lambda s: s.when_label, link=lambda s: reverse("opinions:slot_update", args=[s.pk])),
        Column("接待代表", lambda s: "、".join(d.name for d in s.deputies.all())),
        Column("公告日期", lambda s: s.announced_on, "announced_on"),
        Column("有效", lambda s: "是" if s.is_active else "否", "is_active"),
    ]


class StationFormMixin:
    def get_form(self, instance, data=None, files=None):
        return self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, station=_station_param(self.request)
        )


class SlotForm(StationFormMixin, FormPageView):
    form_class = forms.SlotForm
    title = "新增接待安排"
    allowed = staticmethod(selectors.may_edit_station_records)
    selector = staticmethod(selectors.slot_list)

    def save(self, form, instance):
        data = {k: v for k, v in form.cleaned_data.items() if k != "deputies"}
        deputies = form.cleaned_data["deputies"]
        if instance is None:
            return services.reception_slot_create(data=data, deputies=deputies, actor=self.request.user)
        return services.reception_slot_update(slot=instance, data=data, deputies=deputies, actor=self.request.user)

    def success_url(self, obj):
        return reverse("opinions:slot_list") + f"?station={obj.station_id}"


class SlotDelete(DeletePageView):
    allowed = staticmethod(selectors.may_edit_station_records)
    selector = staticmethod(selectors.slot_list)
    service = staticmethod(lambda obj, actor: services.reception_slot_delete(slot=obj, actor=actor))
    success_url_name = "opinions:slot_list"


class ReceptionList(RegisterView):
    title = "接待选民记录"
    allowed = staticmethod(selectors.may_see_opinions)
    selector = staticmethod(selectors.reception_list)
    filterset_class = filters.ReceptionFilter
    default_sort = "-date"
    create_url = "opinions:reception_create"
    create_allowed = staticmethod(selectors.may_edit_station_records)
    columns = [
        Column("接待日期", lambda r: r.date, "date", link=lambda r: r.get_absolute_url()),
        Column("家站", lambda r: r.station.name, "station__name"),
        Column("接待代表", lambda r: "、".join(d.name for d in r.deputies.all())),
        Column("接待选民（人次）", lambda r: r.voters_received, "voters_received"),
        Column("收集意见", lambda r: r.opinion_count, "opinion_count"),
    ]

    def extra_context(self, qs):
        return {"extra_links": [(reverse("opinions:slot_list"), "接待安排")]}


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_see(request.user)
    reception = get_in_scope(selectors.reception_list, request.user, pk)
    opinions = selectors.opinion_list(user=request.user).filter(reception=reception)
    return render(
        request,
        "opinions/reception_detail.html",
        {
            "object": reception,
            "title": str(reception),
            "opinions": opinions,
            "can_edit": selectors.may_edit_station_records(request.user),
            "can_record": selectors.may_triage(request.user),
        },
    )


class ReceptionForm(StationFormMixin, FormPageView):
    form_class = forms.ReceptionForm
    title = "登记接待选民"
    allowed = staticmethod(selectors.may_edit_station_records)
    selector = staticmethod(selectors.reception_list)

    def save(self, form, instance):
        data = {k: v for k, v in form.cleaned_data.items() if k != "deputies"}
        deputies = form.cleaned_data["deputies"]
        if instance is None:
            return services.reception_create(data=data, deputies=deputies, actor=self.request.user)
        return services.reception_update(reception=instance, data=data, deputies=deputies, actor=self.request.user)


class ReceptionDelete(DeletePageView):
    allowed = staticmethod(selectors.may_edit_station_records)
    selector = staticmethod(selectors.reception_list)
    service = staticmethod(lambda obj, actor: services.reception_delete(reception=obj, actor=actor))
    success_url_name = "opinions:reception_list"


# Pairings --------------------------------------------------------------------------------------------


class PairingList(RegisterView):
    title = "结对联系"
    allowed = staticmethod(selectors.may_see_opinions)
    selector = staticmethod(selectors.pairing_list)
    filterset_class = filters.PairingFilter
    default_sort = "deputy__name"
    create_url = "opinions:pairing_create"
    create_allowed = staticmethod(selectors.may_edit_pairings)
    columns = [
        Column("代表", lambda p: p.deputy.name, "deputy__name"),
        Column("联系户", lambda p: f"{p.household}户", "household", link=lambda p: p.get_absolute_url()),
        Column("所在村（社区）", lambda p: p.village.name if p.village else ""),
        Column("人口", lambda p: p.members, "members"),
        Column("结对日期", lambda p: p.since, "since"),
        Column("联系次数", lambda p: p.contact_count, "contact_count"),
        Column("状态", lambda p: "已结束" if p.ended_on else "结对中"),
    ]


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_see(request.user)
    pairing = get_in_scope(selectors.pairing_list, request.user, pk)
    form = forms.ContactForm(initial={"date": scopes.today()})
    status = 200
    if request.method == "POST":
        if not selectors.may_edit_pairings(request.user):
            raise PermissionDenied
        form = forms.ContactForm(request.POST)
        if form.is_valid():
            try:
                services.pairing_contact_add(pairing=pairing, data=form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已记录联系情况。")
                return HttpResponseRedirect(pairing.get_absolute_url())
        status = 400
    return render(
        request,
        "opinions/pairing_detail.html",
        {
            "object": pairing,
            "title": str(pairing),
            "contacts": selectors.contacts_of(pairing=pairing),
            "form": form,
            "can_edit": selectors.may_edit_pairings(request.user),
        },
        status=status,
    )


class PairingForm(FormPageView):
    form_class = forms.PairingForm
    title = "新增结对联系户"
    allowed = staticmethod(selectors.may_edit_pairings)
    selector = staticmethod(selectors.pairing_list)

    def save(self, form, instance):
        if instance is None:
            return services.pairing_create(data=form.cleaned_data, actor=self.request.user)
        return services.pairing_update(pairing=instance, data=form.cleaned_data, actor=self.request.user)


# Stories ---------------------------------------------------------------------------------------------


class StoryList(RegisterView):
    title = "代表典型"
    allowed = staticmethod(selectors.may_see_opinions)
    selector = staticmethod(selectors.story_list)
    filterset_class = filters.StoryFilter
    default_sort = "-published_at"
    create_url = "opinions:story_create"
    create_allowed = staticmethod(selectors.may_edit_stories)
    columns = [
        Column("标题", lambda s: s.title, "title", link=lambda s: s.get_absolute_url()),
        Column("代表", lambda s: s.deputy.name, "deputy__name"),
        Column("发布", lambda s: f"已发布 {s.published_at:%Y-%m-%d}" if s.is_published else "未发布", "published_at"),
    ]

    def extra_context(self, qs):
        return {"extra_links": [(reverse("opinions:public_stories"), "公开页面")]}


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_see(request.user)
    story = get_in_scope(selectors.story_list, request.user, pk)
    return render(
        request,
        "opinions/story_detail.html",
        {"object": story, "title": story.title, "can_edit": selectors.may_edit_stories(request.user)},
    )


@login_required
@require_POST
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.may_edit_stories(request.user):
        raise PermissionDenied
    story = get_in_scope(selectors.story_list, request.user, pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.story_publish(story=story, publish=publish, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "已发布，公众可以看到。" if publish else "已撤下。")
    return HttpResponseRedirect(story.get_absolute_url())


class StoryForm(FormPageView):
    form_class = forms.StoryForm
    title = "新增代表典型"
    allowed = staticmethod(selectors.may_edit_stories)
    selector = staticmethod(selectors.story_list)

    def save(self, form, instance):
        if instance is None:
            return services.story_create(data=form.cleaned_data, actor=self.request.user)
        return services.story_update(story=instance, data=form.cleaned_data, actor=self.request.user)


# QR codes ----------------------------------------------------------------------------------------------


@login_required
def qr_index(request: HttpRequest) -> HttpResponse:
    """The stations in the user's scope, each with its printable QR code."""
    _require_see(request.user)
    stations = Station.objects.filter(scopes.stations_q(request.user)).select_related("region__parent")
    rows = [(s, _township(s)) for s in stations.order_by("region__code", "kind", "name")]
    own = Deputy.objects.filter(pk=request.user.deputy_id).first() if request.user.deputy_id else None
    return render(request, "opinions/qr_index.html", {"title": "群众意见二维码", "rows": rows, "own": own})


def _qr_target(request: HttpRequest, kind: str, pk: int) -> tuple[str, str, str]:
    """(name, public path, subtitle) of a station or deputy in the user's scope; 404 otherwise."""
    _require_see(request.user)
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
