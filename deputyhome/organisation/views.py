"""Pages for regions, stations, groups, handling units and congresses.

Each model's register, form and delete pages are declared once as a ModelPages (core.pages);
urls.py mounts them. The detail pages, which differ, are written out.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deputyhome.core import registry
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    FormPageView,
    RegisterView,
    get_in_scope,
    name_column,
    parse_date,
    township_column,
    yes_no_column,
)
from deputyhome.core.pages import ModelPages

from . import filters, forms, selectors, services
from .models import Region, Station
from .selectors import city_only

STATIONS_PER_PAGE = 25


def _township_name(region: Region | None) -> str:
    township = region.township if region is not None else None
    return township.name if township else ""


# Regions -------------------------------------------------------------------------------------------------


@login_required
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_in_scope(selectors.region_list, request.user, pk)
    children = list(selectors.region_list(user=request.user).filter(parent=region).order_by("code"))
    # A province holds every station: a page of them, counted in SQL.
    stations = Paginator(selectors.stations_under(user=request.user, region=region), STATIONS_PER_PAGE)
    return render(
        request,
        "organisation/region_detail.html",
        {
            "object": region,
            "title": region.name,
            "children": children,
            "page": stations.get_page(request.GET.get("page")),
        },
    )


regions = ModelPages(
    "organisation",
    "region",
    selector=selectors.region_list,
    register={
        "title": "行政区域",
        "filterset_class": filters.RegionFilter,
        "default_sort": "code",
        "columns": [
            Column("区划代码", lambda r: r.code, "code"),
            name_column(),
            Column("类型", lambda r: r.get_kind_display(), "kind"),
            Column("上级", lambda r: r.parent.name if r.parent else ""),
        ],
    },
    detail=region_detail,
    form_class=forms.RegionForm,
    form_title="新增行政区域",
    create=services.region_create,
    update=services.region_update,
)


# Stations ------------------------------------------------------------------------------------------------


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station: Station = get_in_scope(selectors.station_list, request.user, pk)
    groups = selectors.group_list(user=request.user).filter(station=station)
    user = request.user
    # The schedule, the public page and the QR code live in the opinions app, which registers the links.
    links = {key: registry.link(f"station_{key}", user, station) for key in ("schedule", "public", "qr")}
    return render(
        request,
        "organisation/station_detail.html",
        {
            "object": station,
            "title": station.name,
            "groups": groups,
            "township": _township_name(station.region),
            "links": links,
        },
    )


stations = ModelPages(
    "organisation",
    "station",
    selector=selectors.station_register,
    decorate=selectors.add_group_counts,
    register={
        "title": "代表之家和联络站",
        "filterset_class": filters.StationFilter,
        "default_sort": "region__code",
        "export_url": "roster:export_stations",
        "columns": [
            name_column(),
            Column("类型", lambda s: s.get_kind_display(), "kind"),
            township_column(lambda s: _township_name(s.region), "region__code"),
            Column("所在区域", lambda s: s.region.name),
            Column("接待时间", lambda s: s.reception_hours),
            Column("小组数", lambda s: s.group_count),  # the page's stations only: not sortable
        ],
    },
    detail=station_detail,
    form_class=forms.StationForm,
    form_title="新增代表之家/联络站",
    create=services.station_create,
    update=services.station_update,
    delete=services.station_delete,
)


# Groups --------------------------------------------------------------------------------------------------


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


class GroupRegister(RegisterView):
    def order(self, qs, field):
        # The township column sorts on its two parts, not on their concatenation (which no index holds, so
        # every group was sorted to show 25): the first page is read along the region codes' index.
        if field.lstrip("-") == "township_order":
            sign = "-" if field.startswith("-") else ""
            return qs.order_by(f"{sign}station__region__code", f"{sign}sort_key", "pk")
        return super().order(qs, field)


groups = ModelPages(
    "organisation",
    "group",
    selector=selectors.group_register,
    register_view=GroupRegister,
    decorate=selectors.add_member_counts,
    register={
        "title": "代表小组",
        "filterset_class": filters.GroupFilter,
        "default_sort": "township_order",
        "export_url": "roster:export_groups",
        "columns": [
            name_column(sort="sort_key"),
            township_column(lambda g: _township_name(g.station.region), "township_order"),
            Column("所在站点", lambda g: g.station.name, "station__name", link=lambda g: g.station.get_absolute_url()),
            Column("在组代表", lambda g: g.member_count),  # the page's groups only: not sortable
        ],
    },
    detail=group_detail,
    form_class=forms.GroupForm,
    form_title="新增代表小组",
    create=services.group_create,
    update=services.group_update,
    delete=services.group_delete,
)


# Handling units ------------------------------------------------------------------------------------------


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_in_scope(selectors.unit_list, request.user, pk)
    # Another congress's unit is read-only (a township's officer reads the city's departments).
    user = request.user
    can_edit = selectors.may_keep_units(user) and selectors.units_managed(user=user).filter(pk=unit.pk).exists()
    return render(request, "organisation/unit_detail.html", {"object": unit, "title": unit.name, "can_edit": can_edit})


def _unit_region(unit) -> str:
    return unit.region.name if unit.region_id else "市直（未填区域）"


units = ModelPages(
    "organisation",
    "unit",
    selector=selectors.unit_list,
    register={
        "title": "承办单位",
        "filterset_class": filters.UnitFilter,
        "default_sort": "name",
        "columns": [
            name_column(),
            Column("类型", lambda u: u.get_kind_display(), "kind"),
            Column("所属区域", _unit_region, "region__code"),
            Column("联系人", lambda u: u.contact_person),
            yes_no_column("在用", "is_active"),
        ],
    },
    detail=unit_detail,
    form_class=forms.UnitForm,
    form_title="新增承办单位",
    create=services.unit_create,
    update=services.unit_update,
    editors=selectors.may_keep_units,
    edit_selector=selectors.units_managed,
)


# Congresses and sessions ---------------------------------------------------------------------------------


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get_in_scope(selectors.congress_list, request.user, pk)
    selectors.add_congress_counts([congress])
    # Each session's own page (delegations, motions) is the motions app's, which registers the link.
    sessions = list(selectors.session_list(user=request.user).filter(congress=congress))
    links = registry.link("sessions", request.user, sessions) or {}
    sessions = [(s, links.get(s.pk, "")) for s in sessions]
    return render(
        request,
        "organisation/congress_detail.html",
        {
            "object": congress,
            "title": congress.name,
            "sessions": sessions,
            "can_edit": city_only(request.user),
            # 换届 ends the deputies' mandates: the deputies app's page, which registers the link.
            "term_change_url": registry.link("congress_term_change", request.user, congress),
            "term_undo_url": registry.link("congress_term_undo", request.user, congress),
        },
    )


congresses = ModelPages(
    "organisation",
    "congress",
    selector=selectors.congress_list,
    decorate=selectors.add_congress_counts,
    register={
        "title": "人民代表大会",
        "filterset_class": filters.CongressFilter,
        "default_sort": "level",
        "columns": [
            name_column(),
            Column("层级", lambda c: c.get_level_display(), "level"),
            Column("届次", lambda c: f"第{c.term}届", "term"),
            # Counted for the page's congresses only (decorate): not sortable.
            Column("会议", lambda c: c.session_count),
            Column("在任代表", lambda c: c.deputy_count),
            yes_no_column("本届", "is_current"),
        ],
    },
    detail=congress_detail,
    form_class=forms.CongressForm,
    form_title="新增人民代表大会",
    create=services.congress_create,
    update=services.congress_update,
    editors=city_only,
)


class SessionFormView(FormPageView):
    """A new session opens from its congress's page (?congress=pk), which fills in the congress."""

    def form_kwargs(self):
        congress_pk = self.request.GET.get("congress")
        if valid_id(congress_pk):
            congress = selectors.congress_list(user=self.request.user).filter(pk=congress_pk).first()
            return {"congress": congress}
        return {}

    def cancel_url(self, instance):
        congress = self.form_kwargs().get("congress") if instance is None else None
        return congress.get_absolute_url() if congress is not None else super().cancel_url(instance)


sessions = ModelPages(
    "organisation",
    "session",
    selector=selectors.session_list,
    form_class=forms.SessionForm,
    form_view=SessionFormView,
    form_title="新增会议",
    create=services.session_create,
    update=services.session_update,
    editors=city_only,
)
