"""Station standards and rules, campaigns, deputies' activities and what comes out of them.

The problems found in activities go one of three ways: closed on the spot, forwarded to a
handling unit as a small matter (`Referral`, the fast lane), or turned into a formal
suggestion (`Problem.suggestion`). Other apps (opinions) point at `Referral` and `Problem`;
nothing here points back at them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel

from .choices import (
    ActivityKind,
    Attendance,
    ItemStatus,
    OrganiserLevel,
    OutputKind,
    ProblemStatus,
    ReferralStatus,
    RuleCategory,
    StandardGroup,
)

# Station standards ---------------------------------------------------------------------------------------


class StandardItem(models.Model):
    """One line of the station checklist (五有, 五统一 or a local norm), worth `points` when met.

    The list is configurable: a city officer adds, edits or retires items. Retired items stay
    so that old assessments keep their meaning.
    """

    group = models.CharField("类别", max_length=16, choices=StandardGroup.choices)
    code = models.CharField("编号", max_length=16, unique=True)
    label = models.CharField("名称", max_length=100)
    description = models.TextField("评价要点", blank=True)
    points = models.PositiveSmallIntegerField("分值", default=10)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "家站建设标准项"
        verbose_name_plural = "家站建设标准项"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}·{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("activities:standard_list")


class AssessmentPolicy(models.Model):
    """The pass mark for one year's assessments; the newest year at or before an assessment applies.

    Without any row the default is 80 (out of 100).
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    pass_score = models.PositiveSmallIntegerField("达标分数线（百分制）", default=80)

    class Meta:
        verbose_name = "家站达标分数线"
        verbose_name_plural = "家站达标分数线"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年起 {self.pass_score}分达标"


class StationAssessment(TimeStampedModel):
    """A station's assessment against the checklist for one year: one per station and year.

    `score` (0–100) and `passed` are computed by the service from the results and the year's
    pass mark, and stored, so that later changes to the checklist do not rewrite history.
    """

    station = models.ForeignKey(
        "organisation.Station", verbose_name="家站", on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评估人", on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField("评估日期")
    notes = models.TextField("总体意见", blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, default=0)
    pass_score = models.PositiveSmallIntegerField("达标分数线", default=80)
    passed = models.BooleanField("达标", default=False, db_index=True)

    class Meta:
        verbose_name = "家站年度评估"
        verbose_name_plural = "家站年度评估"
        ordering = ["-year", "station__region__code", "station__name"]
        constraints = [models.UniqueConstraint(fields=["station", "year"], name="assessment_unique_station_year")]

    def __str__(self) -> str:
        return f"{self.station} {self.year}年度评估"

    def get_absolute_url(self) -> str:
        return reverse("activities:assessment_detail", args=[self.pk])


class AssessmentResult(models.Model):
    """The result for one checklist item in one assessment, with the item's points at the time."""

    assessment = models.ForeignKey(StationAssessment, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(StandardItem, verbose_name="标准项", on_delete=models.PROTECT, related_name="results")
    status = models.CharField("评估结果", max_length=16, choices=ItemStatus.choices)
    points = models.PositiveSmallIntegerField("分值")
    notes = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "评估结果"
        verbose_name_plural = "评估结果"
        ordering = ["item__order", "item__code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="result_unique_item")]

    def __str__(self) -> str:
        return f"{self.item.label}：{self.get_status_display()}"


class EvidencePhoto(models.Model):
    """A photo showing how a station meets one checklist item (checked to be a real image)."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="activities/evidence/%Y/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证照片"
        verbose_name_plural = "佐证照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# Rules (制度) -------------------------------------------------------------------------------------------


class Rule(TimeStampedModel):
    """A rule every home or station keeps (制度), e.g. 代表联系接待选民制度; its text lives in versions."""

    title = models.CharField("制度名称", max_length=100, unique=True)
    category = models.CharField("类别", max_length=16, choices=RuleCategory.choices)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "制度"
        verbose_name_plural = "制度"
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:rule_detail", args=[self.pk])


class RuleVersion(TimeStampedModel):
    """One version of a rule's text, in force from `effective_on`."""

    rule = models.ForeignKey(Rule, verbose_name="制度", on_delete=models.CASCADE, related_name="versions")
    version = models.CharField("版本", max_length=30)
    text = models.TextField("正文")
    effective_on = models.DateField("施行日期")

    class Meta:
        verbose_name = "制度版本"
        verbose_name_plural = "制度版本"
        ordering = ["rule", "-effective_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule.title}（{self.version}）"

    def get_absolute_url(self) -> str:
        return reverse("activities:rule_detail", args=[self.rule_id])


class RulePosting(models.Model):
    """A station has put up (上墙) a version of a rule on a date."""

    station = models.ForeignKey(
        "organisation.Station", verbose_name="家站", on_delete=models.CASCADE, related_name="rule_postings"
    )
    version = models.ForeignKey(RuleVersion, verbose_name="制度版本", on_delete=models.PROTECT, related_name="postings")
    posted_on = models.DateField("上墙日期")

    class Meta:
        verbose_name = "制度上墙"
        verbose_name_plural = "制度上墙"
        ordering = ["station", "version"]
        constraints = [models.UniqueConstraint(fields=["station", "version"], name="posting_unique_station_version")]

    def __str__(self) -> str:
        return f"{self.station}：{self.version}"


# Campaigns (代表行动) -------------------------------------------------------------------------------------


class Campaign(TimeStampedModel):
    """A deputies' campaign (代表行动) with its slogan, period and the city's main theme."""

    slogan = models.CharField("行动主题口号", max_length=100)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    main_theme = models.CharField("全市主题", max_length=200)
    description = models.TextField("工作要求", blank=True)

    class Meta:
        verbose_name = "代表行动"
        verbose_name_plural = "代表行动"
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="campaign_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.start_on.year}年“{self.slogan}”代表行动"

    def get_absolute_url(self) -> str:
        return reverse("activities:campaign_detail", args=[self.pk])


class TownshipTheme(models.Model):
    """The theme a township-level unit picks for a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="township_themes")
    region = models.ForeignKey(
        "organisation.Region", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+"
    )
    theme = models.CharField("活动主题", max_length=200)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "乡镇行动主题"
        verbose_name_plural = "乡镇行动主题"
        ordering = ["region__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "region"], name="theme_unique_region")]

    def __str__(self) -> str:
        return f"{self.region}：{self.theme}"

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()


class GroupTopic(models.Model):
    """A deputy group's "small entry point" (小切口) within a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="group_topics")
    group = models.ForeignKey(
        "organisation.DeputyGroup", verbose_name="代表小组", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("小切口", max_length=200)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "小组小切口"
        verbose_name_plural = "小组小切口"
        ordering = ["group__station__region__code", "group__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "group"], name="topic_unique_group")]

    def __str__(self) -> str:
        return f"{self.group}：{self.topic}"

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()


# Activities ---------------------------------------------------------------------------------------------


class Activity(TimeStampedModel):
    """A deputies' activity: research, inspection, visit, reception, forum, training, ...

    `region` is the organising region: the city for the committee, the township for a
    township or a group (the township of the group's station). Scopes filter on it.
    """

    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    level = models.CharField("组织层级", max_length=16, choices=OrganiserLevel.choices)
    region = models.ForeignKey(
        "organisation.Region", verbose_name="组织区域", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "organisation.DeputyGroup",
        verbose_name="代表小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    station = models.ForeignKey(
        "organisation.Station",
        verbose_name="活动家站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="在家站开展或由家站组织的活动填写，用于按家站统计",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="代表行动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    date = models.DateField("活动日期", db_index=True)
    place = models.CharField("活动地点", max_length=200)
    topic = models.CharField("活动主题", max_length=200)
    notes = models.TextField("活动情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "代表活动"
        verbose_name_plural = "代表活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])


class Participation(models.Model):
    """A deputy's attendance at an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="代表", on_delete=models.PROTECT, related_name="activity_participations"
    )
    attendance = models.CharField("出席情况", max_length=12, choices=Attendance.choices, default=Attendance.PRESENT)

    class Meta:
        verbose_name = "参加代表"
        verbose_name_plural = "参加代表"
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="participation_unique")]

    def __str__(self) -> str:
        return f"{self.deputy}（{self.get_attendance_display()}）"


class ActivityPhoto(models.Model):
    """A photo of an activity (checked to be a real image)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="activities/photos/%Y/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Output(TimeStampedModel):
    """A document an activity produced: a research report (调研报告) or a review opinion (审议意见),
    with where it went and the answer that came back."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField("成果类型", max_length=24, choices=OutputKind.choices)
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="activities/outputs/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    date = models.DateField("形成日期")
    sent_to = models.CharField("报送（交办）单位", max_length=100, blank=True)
    response = models.TextField("办理反馈", blank=True)
    response_on = models.DateField("反馈日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "活动成果"
        verbose_name_plural = "活动成果"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.activity_id])


# Problems and the fast lane ------------------------------------------------------------------------------


class Referral(TimeStampedModel):
    """A small matter forwarded straight to a handling unit (the fast lane, 转交办理), and its reply.

    Comes from a problem found in an activity or from a voter opinion; `region` is the
    township it concerns (for scope), when known.
    """

    unit = models.ForeignKey(
        "organisation.HandlingUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="referrals"
    )
    title = models.CharField("事项", max_length=200)
    content = models.TextField("具体内容")
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name="所属乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="转交人", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("办理期限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.OPEN, db_index=True
    )
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "转交事项"
        verbose_name_plural = "转交事项"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:referral_detail", args=[self.pk])


class Problem(TimeStampedModel):
    """A problem found by deputies in an activity (or brought in from elsewhere), and what became of it.

    Each ends one of three ways: closed on the spot (当场解决), forwarded to a unit as a
    small matter (`referral`), or turned into a formal suggestion (`suggestion`).
    """

    text = models.TextField("问题描述")
    place = models.CharField("地点", max_length=200, blank=True)
    category = models.ForeignKey(
        "suggestions.Category",
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name="提出代表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    activity = models.ForeignKey(
        Activity, verbose_name="发现于活动", null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    region = models.ForeignKey(
        "organisation.Region", verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("发现日期", db_index=True)
    status = models.CharField(
        "处理状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    closing_note = models.TextField("处理说明", blank=True)
    handled_on = models.DateField("处理日期", null=True, blank=True)
    referral = models.OneToOneField(
        Referral,
        verbose_name="转交事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem",
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name="形成的建议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_problems",
    )

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        text = self.text.replace("\n", " ")
        return text if len(text) <= 40 else f"{text[:40]}…"

    def get_absolute_url(self) -> str:
        return reverse("activities:problem_detail", args=[self.pk])
