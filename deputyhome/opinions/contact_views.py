"""Staff pages of voter contact at the stations: reception schedules and records, pairings with
households, and model-deputy stories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from deputyhome.accounts import scopes
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import Column, FormPageView, add_service_errors, get_in_scope, name_column, yes_no_column
from deputyhome.core.pages import ModelPages
from deputyhome.organisation.models import Station

from . import filters, forms, selectors, services
from .views import require_see

# Receptions ---------------------------------------------------------------------------------------------


def _station_param(request: HttpRequest) -> Station | None:
    pk = request.GET.get("station")
    if valid_id(pk):
        return Station.objects.filter(scopes.stations_q(request.user), pk=pk).first()
    return None


class StationForm(FormPageView):
    """A reception schedule or record: the station from the query string; deputies apart from the data."""

    def get_form(self, instance, data=None, files=None):
        return self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, station=_station_param(self.request)
        )

    def save(self, form, instance):
        data = {k: v for k, v in form.cleaned_data.items() if k != "deputies"}
        kwargs = {"data": data, "deputies": form.cleaned_data["deputies"], "actor": self.request.user}
        if instance is None:
            return type(self).create(**kwargs)
        return type(self).update(**{self.entity: instance}, **kwargs)


class SlotForm(StationForm):
    def success_url(self, obj):
        return reverse("opinions:slot_list") + f"?station={obj.station_id}"


slots = ModelPages(
    "opinions",
    "slot",
    selector=selectors.slot_list,
    viewers=selectors.may_see_opinions,
    editors=selectors.may_edit_station_records,
    register={
        "title": "接待安排",
        "filterset_class": filters.SlotFilter,
        "default_sort": "station__region__code",
        "columns": [
            Column("家站", lambda s: s.station.name, "station__region__code"),
            Column("接待时间", lambda s: s.when_label, link=lambda s: reverse("opinions:slot_update", args=[s.pk])),
            Column("接待代表", lambda s: "、".join(d.name for d in s.deputies.all())),
            Column("公告日期", lambda s: s.announced_on, "announced_on"),
            yes_no_column("有效", "is_active"),
        ],
    },
    form_class=forms.SlotForm,
    form_title="新增接待安排",
    form_view=SlotForm,
    create=services.reception_slot_create,
    update=services.reception_slot_update,
    delete=services.reception_slot_delete,
)


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_see(request.user)
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


receptions = ModelPages(
    "opinions",
    "reception",
    selector=selectors.reception_list,
    viewers=selectors.may_see_opinions,
    editors=selectors.may_edit_station_records,
    register={
        "title": "接待选民记录",
        "filterset_class": filters.ReceptionFilter,
        "default_sort": "-date",
        "extra_links": [(reverse_lazy("opinions:slot_list"), "接待安排")],
        "columns": [
            Column("接待日期", lambda r: r.date, "date", link=lambda r: r.get_absolute_url()),
            Column("家站", lambda r: r.station.name, "station__name"),
            Column("接待代表", lambda r: "、".join(d.name for d in r.deputies.all())),
            Column("接待选民（人次）", lambda r: r.voters_received, "voters_received"),
            Column("收集意见", lambda r: r.opinion_count, "opinion_count"),
        ],
    },
    detail=reception_detail,
    form_class=forms.ReceptionForm,
    form_title="登记接待选民",
    form_view=StationForm,
    create=services.reception_create,
    update=services.reception_update,
    delete=services.reception_delete,
)


# Pairings --------------------------------------------------------------------------------------------


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_see(request.user)
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


class PairingFormView(FormPageView):
    initial_from = ("deputy",)  # 新增 from the register narrowed to a deputy (as 结对联系群众情况 links it)


pairings = ModelPages(
    "opinions",
    "pairing",
    selector=selectors.pairing_list,
    viewers=selectors.may_see_opinions,
    editors=selectors.may_edit_pairings,
    register={
        "title": "结对联系",
        "filterset_class": filters.PairingFilter,
        "default_sort": "deputy__name",
        "columns": [
            Column("代表", lambda p: p.deputy.name, "deputy__name"),
            Column("联系户", lambda p: f"{p.household}户", "household", link=lambda p: p.get_absolute_url()),
            Column("所在村（社区）", lambda p: p.village.name if p.village else ""),
            Column("人口", lambda p: p.members, "members"),
            Column("结对日期", lambda p: p.since, "since"),
            Column("联系次数", lambda p: p.contact_count, "contact_count"),
            Column("状态", lambda p: "已结束" if p.ended_on else "结对中"),
        ],
        "create_carries": ("deputy",),
    },
    detail=pairing_detail,
    form_class=forms.PairingForm,
    form_view=PairingFormView,
    form_title="新增结对联系户",
    create=services.pairing_create,
    update=services.pairing_update,
)


# Stories ---------------------------------------------------------------------------------------------


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_see(request.user)
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


stories = ModelPages(
    "opinions",
    "story",
    selector=selectors.story_list,
    viewers=selectors.may_see_opinions,
    editors=selectors.may_edit_stories,
    register={
        "title": "代表典型",
        "filterset_class": filters.StoryFilter,
        "default_sort": "-published_at",
        "extra_links": [(reverse_lazy("opinions:public_stories"), "公开页面")],
        "columns": [
            name_column("标题", "title"),
            Column("代表", lambda s: s.deputy.name, "deputy__name"),
            Column(
                "发布", lambda s: f"已发布 {s.published_at:%Y-%m-%d}" if s.is_published else "未发布", "published_at"
            ),
        ],
    },
    detail=story_detail,
    form_class=forms.StoryForm,
    form_title="新增代表典型",
    create=services.story_create,
    update=services.story_update,
)
