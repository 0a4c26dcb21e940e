"""Pages for regions, stations, groups, handling units and congresses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deputyhome.accounts.choices import Role
from deputyhome.core.crud import Column, DeletePageView, FormPageView, RegisterView, get_in_scope, parse_date

from . import filters, forms, selectors, services
from .models import Region, Station


def city_only(user) -> bool:
    return user.role == Role.CITY_OFFICER or user.is_superuser


def _township_name(region: Region | None) -> str:
    township = region.township if region is not None else None
    return township.name if township else ""


# Regions -------------------------------------------------------------------------------------------------


class RegionList(RegisterView):
    title = "行政区域"
    selector = staticmethod(selectors.region_list)
    filterset_class = filters.RegionFilter
    default_sort = "code"
    create_url = "organisation:region_create"
    columns = [
        Column("区划代码", lambda r: r.code, "code"),
        Column("名称", lambda r: r.name, "name", link=lambda r: r.get_absolute_url()),
        Column("类型", lambda r: r.get_kind_display(), "kind"),
        Column("上级", lambda r: r.parent.name if r.parent else ""),
    ]


@login_required
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_in_scope(selectors.region_list, request.user, pk)
    children = selectors.region_list(user=request.user).filter(parent=region)
    stations = selectors.station_list(user=request.user).filter(region__code__startswith=region.code)
    return render(
        request,
        "organisation/region_detail.html",
        {"object": region, "title": region.name, "children": children, "stations": stations},
    )


class RegionForm(FormPageView):
    form_class = forms.RegionForm
    title = "新增行政区域"
    selector = staticmethod(selectors.region_list)

    def save(self, form, instance):
        if instance is None:
            return services.region_create(data=form.cleaned_data, actor=self.request.user)
        return services.region_update(region=instance, data=form.cleaned_data, actor=self.request.user)


# Stations ------------------------------------------------------------------------------------------------


class StationList(RegisterView):
    title = "代表之家和联络站"
    selector = staticmethod(selectors.station_list)
    filterset_class = filters.StationFilter
    default_sort = "region__code"
    create_url = "organisation:station_create"
    export_url = "roster:export_stations"
    columns = [
        Column("名称", lambda s: s.name, "name", link=lambda s: s.get_absolute_url()),
        Column("类型", lambda s: s.get_kind_display(), "kind"),
        Column("乡镇（街道）", lambda s: _township_name(s.region), "region__code"),
        Column("所在区域", lambda s: s.region.name),
        Column("接待时间", lambda s: s.reception_hours),
        Column("小组数", lambda s: s.group_count, "group_count"),
    ]


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station: Station = get_in_scope(selectors.station_list, request.user, pk)
    groups = selectors.group_list(user=request.user).filter(station=station)
    return render(
        request,
        "organisation/station_detail.html",
        {"object": station, "title": station.name, "groups": groups, "township": _township_name(station.region)},
    )


class StationForm(FormPageView):
    form_class = forms.StationForm
    title = "新增代表之家/联络站"
    selector = staticmethod(selectors.station_list)

    def save(self, form, instance):
        if instance is None:
            return services.station_create(data=form.cleaned_data, actor=self.request.user)
        return services.station_update(station=instance, data=form.cleaned_data, actor=self.request.user)


class StationDelete(DeletePageView):
    selector = staticmethod(selectors.station_list)
    service = staticmethod(lambda obj, actor: services.station_delete(station=obj, actor=actor))
    success_url_name = "organisation:station_list"


# Groups --------------------------------------------------------------------------------------------------


class GroupList(RegisterView):
    title = "代表小组"
    selector = staticmethod(selectors.group_list)
    filterset_class = filters.GroupFilter
    default_sort = "station__region__code"
    create_url = "organisation:group_create"
    export_url = "roster:export_groups"
    columns = [
        Column("名称", lambda g: g.name, "name", link=lambda g: g.get_absolute_url()),
        Column("乡镇（街道）", lambda g: _township_name(g.station.region), "station__region__code"),
        Column("所在站点", lambda g: g.station.name, "station__name", link=lambda g: g.station.get_absolute_url()),
        Column("在组代表", lambda g: g.member_count, "member_count"),
    ]


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_in_scope(selectors.group_list, request.user, pk)
    on = parse_date(request.GET.get("on")) or selectors.today()
    members = selectors.members_on(group=group, on=on).order_by("role", "deputy__name")
    return render(
        request,
        "organisation/group_detail.html",
        {
            "object": group,
            "title": group.name,
            "members": members,
            "on": on,
            "township": _township_name(group.station.region),
        },
    )


class GroupForm(FormPageView):
    form_class = forms.GroupForm
    title = "新增代表小组"
    selector = staticmethod(selectors.group_list)

    def save(self, form, instance):
        if instance is None:
            return services.group_create(data=form.cleaned_data, actor=self.request.user)
        return services.group_update(group=instance, data=form.cleaned_data, actor=self.request.user)


class GroupDelete(DeletePageView):
    selector = staticmethod(selectors.group_list)
    service = staticmethod(lambda obj, actor: services.group_delete(group=obj, actor=actor))
    success_url_name = "organisation:group_list"


# Handling units ------------------------------------------------------------------------------------------


class UnitList(RegisterView):
    title = "承办单位"
    selector = staticmethod(selectors.unit_list)
    filterset_class = filters.UnitFilter
    default_sort = "name"
    create_url = "organisation:unit_create"
    create_allowed = staticmethod(city_only)
    columns = [
        Column("名称", lambda u: u.name, "name", link=lambda u: u.get_absolute_url()),
        Column("类型", lambda u: u.get_kind_display(), "kind"),
        Column("联系人", lambda u: u.contact_person),
        Column("在用", lambda u: "是" if u.is_active else "否", "is_active"),
    ]


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_in_scope(selectors.unit_list, request.user, pk)
    return render(request, "organisation/unit_detail.html", {"object": unit, "title": unit.name})


class UnitForm(FormPageView):
    form_class = forms.UnitForm
    title = "新增承办单位"
    allowed = staticmethod(city_only)
    selector = staticmethod(selectors.unit_list)

    def save(self, form, instance):
        if instance is None:
            return services.unit_create(data=form.cleaned_data, actor=self.request.user)
        return services.unit_update(unit=instance, data=form.cleaned_data, actor=self.request.user)


# Congresses and sessions ---------------------------------------------------------------------------------


class CongressList(RegisterView):
    title = "人民代表大会"
    selector = staticmethod(selectors.congress_list)
    filterset_class = filters.CongressFilter
    default_sort = "level"
    create_url = "organisation:congress_create"
    create_allowed = staticmethod(city_only)
    columns = [
        Column("名称", lambda c: c.name, "name", link=lambda c: c.get_absolute_url()),
        Column("层级", lambda c: c.get_level_display(), "level"),
        Column("届次", lambda c: f"第{c.term}届", "term"),
        Column("会议", lambda c: c.session_count, "session_count"),
        Column("在任代表", lambda c: c.deputy_count, "deputy_count"),
        Column("本届", lambda c: "是" if c.is_current else "否", "is_current"),
    ]


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get_in_scope(selectors.congress_list, request.user, pk)
    sessions = selectors.session_list(user=request.user).filter(congress=congress)
    return render(
        request,
        "organisation/congress_detail.html",
        {"object": congress, "title": congress.name, "sessions": sessions, "can_edit": city_only(request.user)},
    )


class CongressForm(FormPageView):
    form_class = forms.CongressForm
    title = "新增人民代表大会"
    allowed = staticmethod(city_only)
    selector = staticmethod(selectors.congress_list)

    def save(self, form, instance):
        if instance is None:
            return services.congress_create(data=form.cleaned_data, actor=self.request.user)
        return services.congress_update(congress=instance, data=form.cleaned_data, actor=self.request.user)


class SessionForm(FormPageView):
    form_class = forms.SessionForm
    title = "新增会议"
    allowed = staticmethod(city_only)
    selector = staticmethod(selectors.session_list)

    def form_kwargs(self):
        congress_pk = self.request.GET.get("congress")
        if congress_pk and congress_pk.isdigit():
            congress = selectors.congress_list(user=self.request.user).filter(pk=congress_pk).first()
            return {"congress": congress}
        return {}

    def save(self, form, instance):
        if instance is None:
            return services.session_create(data=form.cleaned_data, actor=self.request.user)
        return services.session_update(session=instance, data=form.cleaned_data, actor=self.request.user)
