"""Pages for station standards, rules, campaigns, activities, problems, referrals and statistics.

Thin views: permission → form → one service → redirect. Every queryset comes from a selector.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from deputyhome.audit.services import record
from deputyhome.core.crud import Column, DeletePageView, FormPageView, RegisterView, add_service_errors, get_in_scope

from . import filters, forms, permissions, selectors, services
from .choices import ItemStatus, ProblemStatus, ReferralStatus
from .models import Activity, EvidencePhoto, Problem, Referral, StationAssessment

# Helpers -----------------------------------------------------------------------------------------------


def _township_name(region) -> str:
    if region is None:
        return ""
    if region.parent_id is None:
        return "全市"
    township = region.township
    return township.name if township else region.name


def _business(request: HttpRequest) -> None:
    if not permissions.sees_business(request.user):
        raise PermissionDenied("您的角色无权访问此页面。")


def _yes_no(value: bool) -> str:
    return "达标" if value else "未达标"


def _year_param(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _download(f, name: str) -> FileResponse:
    try:
        handle = f.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(handle, as_attachment=False, filename=name)


# Checklist ---------------------------------------------------------------------------------------------


class StandardList(RegisterView):
    title = "家站建设标准"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.standard_item_list)
    filterset_class = filters.StandardItemFilter
    default_sort = "order"
    create_url = "activities:standard_create"
    create_allowed = staticmethod(permissions.may_manage_checklist)
    columns = [
        Column("排序", lambda i: i.order, "order"),
        Column("类别", lambda i: i.get_group_display(), "group"),
        Column("编号", lambda i: i.code, "code"),
        Column("名称", lambda i: i.label, "label"),
        Column("评价要点", lambda i: i.description),
        Column("分值", lambda i: i.points, "points"),
        Column("在用", lambda i: "是" if i.is_active else "否", "is_active"),
    ]

    def get_columns(self) -> list[Column]:
        if permissions.may_manage_checklist(self.request.user):
            return [
                *self.columns,
                Column("", lambda i: "编辑", link=lambda i: reverse("activities:standard_update", args=[i.pk])),
            ]
        return self.columns

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        self.extra_links = [
            (reverse("activities:policy"), "达标分数线"),
            (reverse("activities:assessment_list"), "家站评估"),
        ]
        return {"extra_links": self.extra_links}


class StandardForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.StandardItemForm
    title = "新增标准项"
    allowed = staticmethod(permissions.may_manage_checklist)
    selector = staticmethod(selectors.standard_item_list)

    def save(self, form, instance):
        if instance is None:
            return services.standard_item_create(data=form.cleaned_data, actor=self.request.user)
        return services.standard_item_update(item=instance, data=form.cleaned_data, actor=self.request.user)

    def success_url(self, obj) -> str:
        return reverse("activities:standard_list")

    def cancel_url(self, instance) -> str:
        return reverse("activities:standard_list")


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    _business(request)
    from .models import AssessmentPolicy

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
    return render(
        request,
        "activities/policy.html",
        {
            "title": "家站达标分数线",
            "form": form,
            "policies": AssessmentPolicy.objects.all(),
            "can_edit": can_edit,
            "current": services.pass_score_for(selectors.today().year),
        },
        status=400 if form.errors else 200,
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
    columns = [
        Column("家站", lambda a: a.station.name, "station__name", link=lambda a: a.get_absolute_url()),
        Column("乡镇（街道）", lambda a: _township_name(a.station.region), "station__region__code"),
        Column("年度", lambda a: a.year, "year"),
        Column("得分", lambda a: a.score, "score"),
        Column("结果", lambda a: _yes_no(a.passed), "passed"),
        Column("未完全达标项", lambda a: a.short_count or "无", "short_count"),
        Column("评估日期", lambda a: f"{a.assessed_on:%Y-%m-%d}", "assessed_on"),
    ]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        return {
            "extra_links": [
                (reverse("activities:assessment_overview"), "达标情况总览"),
                (reverse("activities:standard_list"), "标准项"),
                (reverse("activities:rule_list"), "制度"),
            ]
        }


def _assessment_form_page(request: HttpRequest, instance: StationAssessment | None) -> HttpResponse:
    items = selectors.active_items()
    if instance is not None:
        kept = {r.item_id for r in instance.results.all()}
        extra = [r.item for r in instance.results.all() if not r.item.is_active]
        items = items + [i for i in extra if i.pk in kept]
    initial = {}
    if instance is None:
        station = request.GET.get("station")
        if station and station.isdigit():
            initial["station"] = station
        year = _year_param(request.GET.get("year"), selectors.today().year)
        initial["year"] = year or selectors.today().year
    form = forms.AssessmentForm(
        request.POST or None, request.FILES or None, user=request.user, items=items, instance=instance, initial=initial
    )
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
    return render(
        request,
        "activities/assessment_form.html",
        {
            "title": title,
            "form": form,
            "rows": form.rows(),
            "object": instance,
            "pass_score": services.pass_score_for(instance.year if instance else selectors.today().year),
        },
        status=400 if form.errors else 200,
    )


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may_assess(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以评估家站。")
    return _assessment_form_page(request, None)


@login_required
def assessment_update(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.may_assess(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以评估家站。")
    obj = get_in_scope(selectors.assessment_list, request.user, pk)
    obj = selectors.assessment_detail(user=request.user, pk=obj.pk)
    return _assessment_form_page(request, obj)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    try:
        obj = selectors.assessment_detail(user=request.user, pk=pk)
    except StationAssessment.DoesNotExist as exc:
        raise Http404("未找到，或不在您的管辖范围内。") from exc
    results = list(obj.results.all())
    return render(
        request,
        "activities/assessment_detail.html",
        {
            "title": str(obj),
            "object": obj,
            "results": results,
            "township": _township_name(obj.station.region),
            "short": [r for r in results if r.status != ItemStatus.MET],
            "can_edit": permissions.may_assess(request.user),
        },
    )


class AssessmentDelete(DeletePageView):
    allowed = staticmethod(permissions.may_assess)
    selector = staticmethod(selectors.assessment_list)
    service = staticmethod(lambda obj, actor: services.assessment_delete(assessment=obj, actor=actor))
    success_url_name = "activities:assessment_list"


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
        Column(
            "乡镇（街道）", lambda r: _township_name(r.assessment.station.region), "assessment__station__region__code"
        ),
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
        year = _year_param(self.request.GET.get("year"), selectors.today().year) or selectors.today().year
        stations = selectors.station_choices(user=self.request.user)
        assessed = selectors.assessment_list(user=self.request.user).filter(year=year)
        township = self.request.GET.get("township")
        if township and township.isdigit():
            region = selectors.township_choices(user=self.request.user).filter(pk=township).first()
            if region is not None:
                stations = stations.filter(region__code__startswith=region.code)
                assessed = assessed.filter(station__region__code__startswith=region.code)
        failing = [(a, _township_name(a.station.region)) for a in assessed.filter(passed=False).order_by("score")[:50]]
        total = stations.count()
        assessed_count = assessed.count()
        passed = assessed.filter(passed=True).count()
        return {
            "year": year,
            "summary": {"stations": total, "assessed": assessed_count, "passed": passed, "failing": failing},
            "not_assessed": stations.exclude(pk__in=assessed.values("station_id"))[:100],
            "not_assessed_count": total - assessed_count,
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


class RuleList(RegisterView):
    title = "家站制度"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.rule_list)
    filterset_class = filters.RuleFilter
    default_sort = "category"
    create_url = "activities:rule_create"
    create_allowed = staticmethod(permissions.may_manage_rules)
    columns = [
        Column("制度名称", lambda r: r.title, "title", link=lambda r: r.get_absolute_url()),
        Column("类别", lambda r: r.get_category_display(), "category"),
        Column("版本数", lambda r: r.version_count, "version_count"),
        Column(
            "现行版本施行日期",
            lambda r: f"{r.latest_effective:%Y-%m-%d}" if r.latest_effective else "",
            "latest_effective",
        ),
        Column("已上墙家站", lambda r: r.station_count, "station_count"),
        Column("在用", lambda r: "是" if r.is_active else "否", "is_active"),
    ]


class RuleForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.RuleForm
    title = "新增制度"
    allowed = staticmethod(permissions.may_manage_rules)
    selector = staticmethod(selectors.rule_list)

    def save(self, form, instance):
        if instance is None:
            return services.rule_create(data=form.cleaned_data, actor=self.request.user)
        return services.rule_update(rule=instance, data=form.cleaned_data, actor=self.request.user)


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
            "missing": missing[:200],
            "missing_count": missing.count(),
            "can_manage": permissions.may_manage_rules(request.user),
            "can_post": permissions.may_post_rules(request.user) and latest is not None,
        },
    )


class RuleVersionForm(FormPageView):
    template_name = "activities/form.html"
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
    return render(
        request,
        "activities/form.html",
        {"title": f"登记制度上墙：{rule.title}", "form": form, "cancel_url": rule.get_absolute_url()},
        status=400 if form.errors else 200,
    )


class PostingDelete(DeletePageView):
    allowed = staticmethod(permissions.may_post_rules)
    selector = staticmethod(selectors.posting_list)
    service = staticmethod(lambda obj, actor: services.rule_unpost(posting=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return reverse("activities:rule_detail", args=[obj.version.rule_id])


# Campaigns ---------------------------------------------------------------------------------------------


class CampaignList(RegisterView):
    title = "代表行动"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.campaign_list)
    filterset_class = filters.CampaignFilter
    default_sort = "-start_on"
    create_url = "activities:campaign_create"
    create_allowed = staticmethod(permissions.may_manage_campaigns)
    columns = [
        Column("行动", lambda c: f"“{c.slogan}”", "slogan", link=lambda c: c.get_absolute_url()),
        Column("期间", lambda c: f"{c.start_on:%Y-%m-%d} 至 {c.end_on:%Y-%m-%d}", "start_on"),
        Column("全市主题", lambda c: c.main_theme),
        Column("乡镇主题", lambda c: c.theme_count, "theme_count"),
        Column("活动", lambda c: c.activity_count, "activity_count"),
    ]


class CampaignForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.CampaignForm
    title = "新增代表行动"
    allowed = staticmethod(permissions.may_manage_campaigns)
    selector = staticmethod(selectors.campaign_list)

    def save(self, form, instance):
        if instance is None:
            return services.campaign_create(data=form.cleaned_data, actor=self.request.user)
        return services.campaign_update(campaign=instance, data=form.cleaned_data, actor=self.request.user)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    campaign = get_in_scope(selectors.campaign_list, request.user, pk)
    return render(
        request,
        "activities/campaign_detail.html",
        {
            "title": str(campaign),
            "object": campaign,
            "themes": selectors.campaign_themes(campaign=campaign),
            "topics": selectors.campaign_topics(campaign=campaign, user=request.user),
            "can_manage": permissions.may_manage_campaigns(request.user),
            "can_theme": permissions.may_set_themes(request.user),
            "can_topic": permissions.may_set_topics(request.user),
            "activities_url": reverse("activities:activity_list") + f"?campaign={campaign.pk}",
        },
    )


class CampaignDelete(DeletePageView):
    allowed = staticmethod(permissions.may_manage_campaigns)
    selector = staticmethod(selectors.campaign_list)
    service = staticmethod(lambda obj, actor: services.campaign_delete(campaign=obj, actor=actor))
    success_url_name = "activities:campaign_list"


def _campaign_part_form(request: HttpRequest, pk: int, form_class, title: str, run) -> HttpResponse:
    campaign = get_in_scope(selectors.campaign_list, request.user, pk)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run(campaign, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return HttpResponseRedirect(campaign.get_absolute_url())
    return render(
        request,
        "activities/form.html",
        {"title": f"{title}：{campaign}", "form": form, "cancel_url": campaign.get_absolute_url()},
        status=400 if form.errors else 200,
    )


@login_required
def theme_set(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.may_set_themes(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以设置乡镇主题。")

    def run(campaign, data):
        services.township_theme_set(
            campaign=campaign,
            region=data["region"],
            theme=data["theme"],
            description=data["description"],
            actor=request.user,
        )

    return _campaign_part_form(request, pk, forms.ThemeForm, "设置乡镇（街道）主题", run)


@login_required
def topic_set(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.may_set_topics(request.user):
        raise PermissionDenied("您的角色不能设置小组小切口。")

    def run(campaign, data):
        services.group_topic_set(
            campaign=campaign,
            group=data["group"],
            topic=data["topic"],
            description=data["description"],
            actor=request.user,
        )

    return _campaign_part_form(request, pk, forms.TopicForm, "设置小组小切口", run)


def _themes(user):
    from .models import TownshipTheme

    return TownshipTheme.objects.filter(
        campaign__in=selectors.campaign_list(user=user), region__in=selectors.township_choices(user=user)
    ).select_related("campaign", "region")


def _topics(user):
    from .models import GroupTopic

    return GroupTopic.objects.filter(
        campaign__in=selectors.campaign_list(user=user), group__in=selectors.group_choices(user=user)
    ).select_related("campaign", "group__station__region")


class ThemeDelete(DeletePageView):
    allowed = staticmethod(permissions.may_set_themes)
    selector = staticmethod(_themes)
    service = staticmethod(lambda obj, actor: services.township_theme_delete(theme=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return obj.campaign.get_absolute_url()


class TopicDelete(DeletePageView):
    allowed = staticmethod(permissions.may_set_topics)
    selector = staticmethod(_topics)
    service = staticmethod(lambda obj, actor: services.group_topic_delete(topic=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return obj.campaign.get_absolute_url()


# Activities --------------------------------------------------------------------------------------------


def _organiser(a: Activity) -> str:
    if a.group_id:
        return a.group.name
    if a.region.parent_id is None:
        return "市人大常委会"
    return f"{a.region.name}人大"


class ActivityList(RegisterView):
    title = "代表活动"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.activity_list)
    filterset_class = filters.ActivityFilter
    default_sort = "-date"
    create_url = "activities:activity_create"
    create_allowed = staticmethod(permissions.may_record_activities)
    columns = [
        Column("日期", lambda a: f"{a.date:%Y-%m-%d}", "date"),
        Column("活动主题", lambda a: a.topic, "topic", link=lambda a: a.get_absolute_url()),
        Column("类型", lambda a: a.get_kind_display(), "kind"),
        Column("组织", lambda a: _organiser(a), "region__code"),
        Column("地点", lambda a: a.place),
        Column("出席代表", lambda a: a.present_count, "present_count"),
        Column("发现问题", lambda a: a.problem_count, "problem_count"),
    ]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        return {
            "extra_links": [
                (reverse("activities:campaign_list"), "代表行动"),
                (reverse("activities:problem_list"), "发现问题"),
                (reverse("activities:stats"), "统计"),
            ]
        }


class ActivityForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.ActivityForm
    title = "录入代表活动"
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.activity_list)

    def get_object(self):
        obj = super().get_object()
        return selectors.activity_detail(user=self.request.user, pk=obj.pk) if obj is not None else None

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, instance, data=None, files=None):
        form = super().get_form(instance, data, files)
        if instance is None:
            campaign = selectors.campaign_choices(user=self.request.user).filter(
                start_on__lte=selectors.today(), end_on__gte=selectors.today()
            )
            current = campaign.first()
            if current is not None:
                form.initial.setdefault("campaign", current.pk)
            group = self.request.user.group_id
            if group:
                form.initial.setdefault("level", "group")
                form.initial.setdefault("group", group)
        return form

    def save(self, form, instance):
        photos = form.cleaned_data.get("photos") or []
        if instance is None:
            return services.activity_create(
                data=form.activity_data(), participants=form.participants(), photos=photos, actor=self.request.user
            )
        return services.activity_update(
            activity=instance,
            data=form.activity_data(),
            participants=form.participants(),
            photos=photos,
            actor=self.request.user,
        )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    try:
        activity = selectors.activity_detail(user=request.user, pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404("未找到，或不在您的管辖范围内。") from exc
    participations = list(activity.participations.all())
    counts = {a: sum(1 for p in participations if p.attendance == a) for a in ("present", "excused", "absent")}
    return render(
        request,
        "activities/activity_detail.html",
        {
            "title": activity.topic,
            "object": activity,
            "organiser": _organiser(activity),
            "township": _township_name(activity.region),
            "participations": participations,
            "counts": counts,
            "outputs": list(activity.outputs.all()),
            "photos": list(activity.photos.all()),
            "problems": selectors.activity_problems(user=request.user, activity=activity),
            "can_edit": permissions.may_record_activities(request.user),
        },
    )


class ActivityDelete(DeletePageView):
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.activity_list)
    service = staticmethod(lambda obj, actor: services.activity_delete(activity=obj, actor=actor))
    success_url_name = "activities:activity_list"


@login_required
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    _business(request)
    from .models import ActivityPhoto

    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    get_in_scope(selectors.activity_list, request.user, photo.activity_id)
    return _download(photo.file, photo.name)


class OutputForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.OutputForm
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.output_list)

    def get_activity(self) -> Activity:
        return get_in_scope(selectors.activity_list, self.request.user, self.kwargs["activity_pk"])

    def get_title(self, instance) -> str:
        if instance is None:
            return f"登记活动成果：{self.get_activity().topic}"
        return f"编辑：{instance}"

    def save(self, form, instance):
        data = {k: form.cleaned_data.get(k) for k in form._meta.fields}
        upload = form.cleaned_data.get("upload")
        if instance is None:
            return services.output_create(activity=self.get_activity(), data=data, file=upload, actor=self.request.user)
        return services.output_update(output=instance, data=data, file=upload, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return instance.get_absolute_url() if instance else self.get_activity().get_absolute_url()


class OutputDelete(DeletePageView):
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.output_list)
    service = staticmethod(lambda obj, actor: services.output_delete(output=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return reverse("activities:activity_detail", args=[obj.activity_id])


@login_required
def output_file(request: HttpRequest, pk: int) -> FileResponse:
    _business(request)
    output = get_in_scope(selectors.output_list, request.user, pk)
    if not output.file:
        raise Http404("该成果没有上传文件。")
    record(actor=request.user, action="output.download", obj=output, detail=output.file_name)
    return _download(output.file, output.file_name or "document")


# Problems ----------------------------------------------------------------------------------------------


def _problem_outcome(p: Problem) -> str:
    if p.status == ProblemStatus.FORWARDED and p.referral_id:
        state = "已答复" if p.referral.status == ReferralStatus.REPLIED else "待答复"
        return f"转交{p.referral.unit.name}（{state}）"
    if p.status == ProblemStatus.SUGGESTION and p.suggestion_id:
        return f"形成建议（{p.suggestion.get_state_display()}）"
    return p.get_status_display()


class ProblemList(RegisterView):
    title = "发现问题"
    allowed = staticmethod(permissions.sees_business)
    selector = staticmethod(selectors.problem_list)
    filterset_class = filters.ProblemFilter
    default_sort = "-date"
    create_url = "activities:problem_create"
    create_allowed = staticmethod(permissions.may_record_activities)
    columns = [
        Column("发现日期", lambda p: f"{p.date:%Y-%m-%d}", "date"),
        Column("问题", lambda p: str(p), "text", link=lambda p: p.get_absolute_url()),
        Column("地点", lambda p: p.place, "place"),
        Column("乡镇（街道）", lambda p: _township_name(p.region), "region__code"),
        Column("提出代表", lambda p: p.deputy.name if p.deputy_id else ""),
        Column("分类", lambda p: p.category.name if p.category_id else ""),
        Column("处理情况", _problem_outcome, "status"),
    ]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        return {
            "extra_links": [
                (reverse("activities:referral_list"), "转交事项"),
                (reverse("activities:activity_list"), "代表活动"),
            ]
        }


class ProblemForm(FormPageView):
    template_name = "activities/form.html"
    form_class = forms.ProblemForm
    title = "登记发现的问题"
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.problem_list)

    def form_kwargs(self) -> dict[str, Any]:
        pk = self.request.GET.get("activity")
        if pk and pk.isdigit():
            return {"activity": selectors.activity_list(user=self.request.user).filter(pk=pk).first()}
        return {}

    def save(self, form, instance):
        if instance is None:
            return services.problem_create(data=form.problem_data(), actor=self.request.user)
        return services.problem_update(problem=instance, data=form.problem_data(), actor=self.request.user)


def _get_problem(request: HttpRequest, pk: int) -> Problem:
    _business(request)
    try:
        return selectors.problem_detail(user=request.user, pk=pk)
    except Problem.DoesNotExist as exc:
        raise Http404("未找到，或不在您的管辖范围内。") from exc


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _get_problem(request, pk)
    is_open = problem.status == ProblemStatus.OPEN
    may_handle = is_open and permissions.may_handle_problems(request.user)
    own = bool(request.user.deputy_id) and request.user.deputy_id == problem.deputy_id
    suggestion_visible = False
    if problem.suggestion_id:
        from deputyhome.suggestions.selectors import suggestion_list

        suggestion_visible = suggestion_list(user=request.user).filter(pk=problem.suggestion_id).exists()
    return render(
        request,
        "activities/problem_detail.html",
        {
            "title": "发现的问题",
            "object": problem,
            "township": _township_name(problem.region),
            "may_handle": may_handle,
            "may_propose": is_open and (may_handle or own),
            "can_edit": is_open and permissions.may_record_activities(request.user),
            "suggestion_visible": suggestion_visible,
            "referral_visible": bool(
                problem.referral_id
                and selectors.referral_list(user=request.user).filter(pk=problem.referral_id).exists()
            ),
        },
    )


class ProblemDelete(DeletePageView):
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.problem_list)
    service = staticmethod(lambda obj, actor: services.problem_delete(problem=obj, actor=actor))
    success_url_name = "activities:problem_list"


ACTIONS: dict[str, dict[str, Any]] = {
    "close": {
        "label": "当场解决",
        "form": forms.CloseForm,
        "intro": "登记该问题已在活动现场解决。办结后不能再转交或形成建议。",
    },
    "forward": {
        "label": "转交承办单位（快速办理）",
        "form": forms.ForwardForm,
        "intro": "小事项直接转交承办单位办理，单位在“转交事项”中答复。",
    },
    "to_suggestion": {
        "label": "形成代表建议",
        "form": None,
        "intro": "以提出代表为领衔代表生成建议草稿，由您代为录入；草稿完善后按建议办理流程提交、审查、交办。",
    },
}


@login_required
def problem_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm on GET, act on POST: close on the spot, forward to a unit, or turn into a suggestion."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    problem = _get_problem(request, pk)
    own = bool(request.user.deputy_id) and request.user.deputy_id == problem.deputy_id
    if not (permissions.may_handle_problems(request.user) or (action == "to_suggestion" and own)):
        raise PermissionDenied("只有市、乡两级人大工作人员可以处理问题。")
    form = spec["form"](request.POST or None) if spec["form"] else None
    if problem.status != ProblemStatus.OPEN:
        messages.error(request, f"该问题已处理（{problem.get_status_display()}）。")
        return HttpResponseRedirect(problem.get_absolute_url())
    if request.method == "POST" and (form is None or form.is_valid()):
        user = request.user
        try:
            if action == "close":
                services.problem_close(problem=problem, note=form.cleaned_data["note"], actor=user)
                messages.success(request, "已登记为当场解决。")
                return HttpResponseRedirect(problem.get_absolute_url())
            if action == "forward":
                referral = services.problem_forward(
                    problem=problem, unit=form.cleaned_data["unit"], due_on=form.cleaned_data["due_on"], actor=user
                )
                messages.success(request, f"已转交{referral.unit.name}，办理期限 {referral.due_on:%Y-%m-%d}。")
                return HttpResponseRedirect(problem.get_absolute_url())
            suggestion = services.problem_to_suggestion(problem=problem, actor=user)
            messages.success(request, "已生成建议草稿，请完善“意见建议”后提交。")
            return HttpResponseRedirect(suggestion.get_absolute_url())
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
            else:
                add_service_errors(form, exc)
    return render(
        request,
        "activities/problem_action.html",
        {"title": spec["label"], "object": problem, "form": form, "intro": spec["intro"], "action": action},
        status=400 if request.method == "POST" else 200,
    )


# Referrals ---------------------------------------------------------------------------------------------


class ReferralList(RegisterView):
    title = "转交事项"
    allowed = staticmethod(permissions.may_see_referrals)
    selector = staticmethod(selectors.referral_list)
    filterset_class = filters.ReferralFilter
    default_sort = "-created_at"
    create_url = None
    columns = [
        Column("转交日期", lambda r: f"{timezone.localdate(r.created_at):%Y-%m-%d}", "created_at"),
        Column("事项", lambda r: r.title, "title", link=lambda r: r.get_absolute_url()),
        Column("承办单位", lambda r: r.unit.name, "unit__name"),
        Column("办理期限", lambda r: f"{r.due_on:%Y-%m-%d}" if r.due_on else "", "due_on"),
        Column("状态", lambda r: _referral_state(r), "status"),
        Column("答复日期", lambda r: f"{r.replied_on:%Y-%m-%d}" if r.replied_on else "", "replied_on"),
    ]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        if permissions.is_unit_clerk(self.request.user):
            return {"title": f"转交事项收件箱 · {self.request.user.unit}"}
        return {}


def _referral_state(r: Referral) -> str:
    if r.status == ReferralStatus.OPEN and r.due_on and r.due_on < selectors.today():
        return "已逾期未答复"
    return r.get_status_display()


def _get_referral(request: HttpRequest, pk: int) -> Referral:
    if not permissions.may_see_referrals(request.user):
        raise PermissionDenied("您的角色无权访问此页面。")
    try:
        return selectors.referral_detail(user=request.user, pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404("未找到，或不在您的管辖范围内。") from exc


def _referral_page(request: HttpRequest, referral: Referral, form=None, status: int = 200) -> HttpResponse:
    may_reply = (
        permissions.is_unit_clerk(request.user)
        and request.user.unit_id == referral.unit_id
        and referral.status == ReferralStatus.OPEN
    )
    problem = getattr(referral, "problem", None)
    problem_visible = bool(problem and selectors.problem_list(user=request.user).filter(pk=problem.pk).exists())
    return render(
        request,
        "activities/referral_detail.html",
        {
            "title": referral.title,
            "object": referral,
            "state": _referral_state(referral),
            "form": form or (forms.ReplyForm() if may_reply else None),
            "may_reply": may_reply,
            "problem": problem if problem_visible else None,
        },
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _referral_page(request, _get_referral(request, pk))


@login_required
@require_POST
def referral_reply(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral(request, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.referral_reply(referral=referral, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已答复。")
            return HttpResponseRedirect(referral.get_absolute_url())
    return _referral_page(request, referral, form=form, status=400)


# Statistics --------------------------------------------------------------------------------------------


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    _business(request)
    this_year = selectors.today().year
    year = _year_param(request.GET.get("year"), this_year)
    error = None
    if year is None:
        error = "年度参数无效：请使用2000至2100之间的四位数年份。"
        year = this_year
    user = request.user
    return render(
        request,
        "activities/stats.html",
        {
            "title": f"{year}年代表活动统计",
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "error": error,
            "stats": selectors.activity_stats(user=user, year=year),
            "by_township": selectors.stats_by_township(user=user, year=year),
            "by_station": selectors.stats_by_station(user=user, year=year),
            "by_campaign": selectors.stats_by_campaign(user=user, year=year),
        },
        status=400 if error else 200,
    )


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def stats_api(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/stats/activities?year=YYYY: the year's activity figures for the caller's scope."""
    if not request.user.is_authenticated:
        return _json({"error": "请先登录。"}, status=401)
    if request.user.scope_kind in ("none", "unit"):
        return _json({"error": "您的角色无权查看代表活动统计。"}, status=403)
    year = _year_param(request.GET.get("year"), selectors.today().year)
    if year is None:
        return _json({"error": "年度参数无效：请使用2000至2100之间的四位数年份，例如 year=2026。"}, status=400)
    return _json(selectors.activity_stats(user=request.user, year=year))
