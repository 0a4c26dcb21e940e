"""Pages for the station checklist, the pass mark, assessments with evidence photos, and rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from deputyhome.core import registry
from deputyhome.core.converters import valid_id
from deputyhome.core.crud import (
    Column,
    DeletePageView,
    RegisterView,
    add_service_errors,
    date_column,
    get_detail_in_scope,
    get_in_scope,
    name_column,
    render_form,
    township_column,
    yes_no_column,
)
from deputyhome.core.filters import query_year
from deputyhome.core.pages import ModelPages

from .. import filters, forms, permissions, selectors, services
from ..choices import ItemStatus
from ..models import EvidencePhoto, StationAssessment
from .base import (
    FORM_TEMPLATE,
    BackToListFormPage,
    FormPage,
    _business,
    _download,
    _township_name,
    _yes_no,
    page_of,
)

# Checklist ---------------------------------------------------------------------------------------------


class StandardRegister(RegisterView):
    """The checklist, with an edit link on each row for those who keep it."""

    def get_columns(self) -> list[Column]:
        if permissions.may_manage_checklist(self.request.user):
            return [
                *self.columns,
                Column("", lambda i: "编辑", link=lambda i: reverse("activities:standard_update", args=[i.pk])),
            ]
        return self.columns


standards = ModelPages(
    "activities",
    "standard",
    selector=selectors.standard_item_list,
    keyword="item",
    viewers=permissions.sees_business,
    editors=permissions.may_manage_checklist,
    register_view=StandardRegister,
    register={
        "title": "家站建设标准",
        "filterset_class": filters.StandardItemFilter,
        "default_sort": "order",
        "extra_links": [
            (reverse_lazy("activities:policy"), "达标分数线"),
            (reverse_lazy("activities:assessment_list"), "家站评估"),
        ],
        "columns": [
            Column("排序", lambda i: i.order, "order"),
            Column("类别", lambda i: i.get_group_display(), "group"),
            Column("编号", lambda i: i.code, "code"),
            Column("名称", lambda i: i.label, "label"),
            Column("评价要点", lambda i: i.description),
            Column("分值", lambda i: i.points, "points"),
            yes_no_column("在用", "is_active"),
        ],
    },
    form_class=forms.StandardItemForm,
    form_title="新增标准项",
    form_view=BackToListFormPage,
    create=services.standard_item_create,
    update=services.standard_item_update,
)


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    _business(request)
    from ..models import AssessmentPolicy

    can_edit = permissions.may_manage_checklist(request.user)
    form = forms.PolicyForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有市人大常委会代工委工作人员可以设置达标分数线。")
        if form.is_valid():
            try:
                services.assessment_policy_set(
                    year=form.cleaned_data["year"], pass_score=form.cleaned_data["pass_score"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "达标分数线已保存。")
                return HttpResponseRedirect(reverse("activities:policy"))
    return render_form(
        request,
        "activities/policy.html",
        {
            "title": "家站达标分数线",
            "form": form,
            "policies": AssessmentPolicy.objects.all(),
            "can_edit": can_edit,
            "current": services.pass_score_for(selectors.today().year),
        },
    )


# Assessments -------------------------------------------------------------------------------------------


class AssessmentList(RegisterView):
    title = "家站年度评估"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.assessment_list)
    filterset_class = filters.AssessmentFilter
    default_sort = "-year"
    create_url = "activities:assessment_create"
    create_allowed = staticmethod(permissions.may_assess)
    extra_links = [
        (reverse_lazy("activities:assessment_overview"), "达标情况总览"),
        (reverse_lazy("activities:standard_list"), "标准项"),
        (reverse_lazy("activities:rule_list"), "制度"),
    ]
    columns = [
        Column("家站", lambda a: a.station.name, "station__name", link=lambda a: a.get_absolute_url()),
        township_column(lambda a: _township_name(a.station.region), "station__region__code"),
        Column("年度", lambda a: a.year, "year"),
        Column("得分", lambda a: a.score, "score"),
        Column("结果", lambda a: _yes_no(a.passed), "passed"),
        Column("未完全达标项", lambda a: a.short_count or "无", "short_count"),
        date_column("评估日期", "assessed_on"),
    ]


def _norms(user: Any, station: Any, year: int | None) -> dict[str, Any]:
    """{item code: figures} the data give for the station's norms in the year (the records app's, by the registry),
    or {} with no station yet."""
    if station is None or not year:
        return {}
    return registry.link("station_norms", user, (station, year)) or {}


def _assessment_form_page(request: HttpRequest, instance: StationAssessment | None) -> HttpResponse:
    items = selectors.active_items()
    if instance is not None:
        kept = {r.item_id for r in instance.results.all()}
        extra = [r.item for r in instance.results.all() if not r.item.is_active]
        items = items + [i for i in extra if i.pk in kept]
    initial = {}
    if instance is None:
        station = request.GET.get("station")
        if valid_id(station):
            initial["station"] = station
        year = query_year(request.GET.get("year"), selectors.today().year)
        initial["year"] = year or selectors.today().year
    form = forms.AssessmentForm(
        request.POST or None, request.FILES or None, user=request.user, items=items, instance=instance, initial=initial
    )
    if instance is not None:
        station, year = instance.station, instance.year
    else:
        chosen = initial.get("station")
        station = form.fields["station"].queryset.filter(pk=chosen).first() if chosen else None
        year = initial["year"]
    norms = _norms(request.user, station, year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.assessment_save(
                station=instance.station if instance else data["station"],
                year=instance.year if instance else data["year"],
                assessed_on=data["assessed_on"],
                notes=data["notes"],
                results=form.results(),
                actor=request.user,
                assessment=instance,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存：得分 {obj.score}，{_yes_no(obj.passed)}。")
            return HttpResponseRedirect(obj.get_absolute_url())
    title = "家站年度评估" if instance is None else f"修改评估：{instance}"
    return render_form(
        request,
        "activities/assessment_form.html",
        {
            "title": title,
            "form": form,
            "rows": [{**row, "norm": norms.get(row["item"].code)} for row in form.rows()],
            "statuses": ItemStatus.choices,
            "object": instance,
            "pass_score": services.pass_score_for(instance.year if instance else selectors.today().year),
        },
    )


@login_required
def assessment_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new assessment, or (with `pk`) the change of one."""
    if not permissions.may_assess(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以评估家站。")
    obj = None
    if pk is not None:
        obj = get_in_scope(selectors.assessment_list, request.user, pk)
        obj = selectors.assessment_detail(user=request.user, pk=obj.pk)
    return _assessment_form_page(request, obj)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    obj = get_detail_in_scope(selectors.assessment_detail, request.user, StationAssessment, pk)
    results = list(obj.results.all())
    norms = _norms(request.user, obj.station, obj.year)
    return render(
        request,
        "activities/assessment_detail.html",
        {
            "title": str(obj),
            "object": obj,
            "results": results,
            "township": _township_name(obj.station.region),
            "short": [r for r in results if r.status != ItemStatus.MET],
            "norms": [(r.item, norm) for r in results if (norm := norms.get(r.item.code))],
            "can_edit": permissions.may_assess(request.user),
        },
    )


class AssessmentDelete(DeletePageView):
    allowed = staticmethod(permissions.may_assess)
    selector = staticmethod(selectors.assessment_list)
    service = staticmethod(lambda obj, actor: services.assessment_delete(assessment=obj, actor=actor))
    success_url_name = "activities:assessment_list"


NOT_ASSESSED_SHOWN = 100  # the stations not yet assessed the overview names on a page
FAILING_SHOWN = 20  # the failing stations the overview names, lowest scores first (the figure counts them all)


class AssessmentOverview(RegisterView):
    """Which stations fall short, and on what: one row per item not fully met."""

    title = "家站达标情况总览"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.shortfall_list)
    filterset_class = filters.ShortfallFilter
    default_sort = "assessment__station__region__code"
    template_name = "activities/assessment_overview.html"
    create_url = None
    columns = [
        Column(
            "家站",
            lambda r: r.assessment.station.name,
            "assessment__station__name",
            link=lambda r: r.assessment.get_absolute_url(),
        ),
        township_column(lambda r: _township_name(r.assessment.station.region), "assessment__station__region__code"),
        Column("年度", lambda r: r.assessment.year, "assessment__year"),
        Column("标准项", lambda r: str(r.item), "item__order"),
        Column("结果", lambda r: r.get_status_display(), "status"),
        Column("说明", lambda r: r.notes),
        Column("家站得分", lambda r: f"{r.assessment.score}（{_yes_no(r.assessment.passed)}）", "assessment__score"),
    ]

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset()
        if not self.request.GET.get("year"):  # without a year, the current one (as the figures above)
            qs = qs.filter(assessment__year=selectors.today().year)
        return qs

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        year = query_year(self.request.GET.get("year"), selectors.today().year) or selectors.today().year
        chosen = selectors.standards_year(
            user=self.request.user, year=year, township_id=valid_id(self.request.GET.get("township"))
        )
        stations, assessed = chosen.stations, chosen.assessed
        # Every failing station, in the assessments' register (the overview names the lowest few).
        failing_query = {"year": year, "passed": "false", "sort": "score"}
        if chosen.township is not None:
            failing_query["township"] = chosen.township.pk
        lowest = assessed.filter(passed=False).order_by("score", "pk")[:FAILING_SHOWN]
        failing = [(a, _township_name(a.station.region)) for a in lowest]
        total = stations.count()
        counts = selectors.assessment_counts(assessed)
        rest = self.request.GET.copy()
        rest.pop("npage", None)
        return {
            "year": year,
            "summary": {"stations": total, **counts, "failing": failing},
            "all_failing_url": f"{reverse('activities:assessment_list')}?{urlencode(failing_query)}",
            # The stations still to assess, a hundred names a page (a province has thousands).
            "not_assessed": Paginator(
                stations.exclude(pk__in=assessed.values("station_id"))
                .select_related(None)
                .only("name")
                .order_by("region__code", "name", "pk"),
                NOT_ASSESSED_SHOWN,
            ).get_page(self.request.GET.get("npage")),
            "not_assessed_query": rest.urlencode(),
            "create_url": reverse("activities:assessment_create"),
            "not_assessed_count": total - counts["assessed"],
        }


@login_required
def evidence_photo(request: HttpRequest, pk: int) -> FileResponse:
    _business(request)
    photo = EvidencePhoto.objects.select_related("result").filter(pk=pk).first()
    if photo is None:
        raise Http404
    get_in_scope(selectors.assessment_list, request.user, photo.result.assessment_id)
    return _download(photo.file, photo.name)


# Rules -------------------------------------------------------------------------------------------------


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    rule = get_in_scope(selectors.rule_list, request.user, pk)
    versions = list(selectors.rule_versions(rule=rule))
    postings = (
        selectors.posting_list(user=request.user)
        .filter(version__rule=rule)
        .order_by("station__region__code", "station__name", "-version__effective_on")
    )
    postings, postings_query = page_of(request, postings)
    latest = versions[0] if versions else None
    stations = selectors.station_choices(user=request.user)
    missing = stations.exclude(rule_postings__version=latest) if latest else stations.none()
    return render(
        request,
        "activities/rule_detail.html",
        {
            "title": rule.title,
            "object": rule,
            "versions": versions,
            "latest": latest,
            "postings": postings,
            "postings_query": postings_query,
            "missing": missing.select_related(None).only("name")[:200],  # their names
            "missing_count": missing.count(),
            "can_manage": permissions.may_manage_rules(request.user),
            "can_post": permissions.may_post_rules(request.user) and latest is not None,
        },
    )


rules = ModelPages(
    "activities",
    "rule",
    selector=selectors.rule_list,
    viewers=permissions.sees_business,
    editors=permissions.may_manage_rules,
    register={
        "title": "家站制度",
        "filterset_class": filters.RuleFilter,
        "default_sort": "category",
        "columns": [
            name_column("制度名称", "title"),
            Column("类别", lambda r: r.get_category_display(), "category"),
            Column("版本数", lambda r: r.version_count, "version_count"),
            date_column("现行版本施行日期", "latest_effective"),
            Column("已上墙家站", lambda r: r.station_count, "station_count"),
            yes_no_column("在用", "is_active"),
        ],
    },
    detail=rule_detail,
    form_class=forms.RuleForm,
    form_title="新增制度",
    form_view=FormPage,
    create=services.rule_create,
    update=services.rule_update,
)


class RuleVersionForm(FormPage):
    form_class = forms.RuleVersionForm
    allowed = staticmethod(permissions.may_manage_rules)

    def get_rule(self):
        return get_in_scope(selectors.rule_list, self.request.user, self.kwargs["rule_pk"])

    def get_title(self, instance) -> str:
        return f"新增版本：{self.get_rule().title}"

    def save(self, form, instance):
        return services.rule_version_create(rule=self.get_rule(), data=form.cleaned_data, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return self.get_rule().get_absolute_url()


@login_required
def posting_create(request: HttpRequest, rule_pk: int) -> HttpResponse:
    if not permissions.may_post_rules(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以登记制度上墙。")
    rule = get_in_scope(selectors.rule_list, request.user, rule_pk)
    form = forms.PostingForm(request.POST or None, user=request.user, rule=rule)
    if request.method == "POST" and form.is_valid():
        done, skipped = 0, []
        version = form.cleaned_data["version"]
        for station in form.cleaned_data["stations"]:
            try:
                services.rule_post(
                    station=station, version=version, posted_on=form.cleaned_data["posted_on"], actor=request.user
                )
                done += 1
            except ValidationError as exc:
                skipped.append(" ".join(exc.messages))
        if done:
            messages.success(request, f"已登记 {done} 个家站上墙“{version}”。")
        for message in skipped:
            messages.error(request, message)
        return HttpResponseRedirect(rule.get_absolute_url())
    return render_form(
        request,
        FORM_TEMPLATE,
        {"title": f"登记制度上墙：{rule.title}", "form": form, "cancel_url": rule.get_absolute_url()},
    )


class PostingDelete(DeletePageView):
    allowed = staticmethod(permissions.may_post_rules)
    selector = staticmethod(selectors.posting_list)
    service = staticmethod(lambda obj, actor: services.rule_unpost(posting=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return reverse("activities:rule_detail", args=[obj.version.rule_id])
