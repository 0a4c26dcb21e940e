"""Station standards (the checklist, yearly assessments with evidence photos) and rules (制度)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel, Upload, user_fk

from ..choices import ItemStatus, RuleCategory, StandardGroup

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
        verbose_name = verbose_name_plural = "家站建设标准项"
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
        verbose_name = verbose_name_plural = "家站达标分数线"
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
    assessor = user_fk("评估人")
    assessed_on = models.DateField("评估日期")
    notes = models.TextField("总体意见", blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, default=0)
    pass_score = models.PositiveSmallIntegerField("达标分数线", default=80)
    passed = models.BooleanField("达标", default=False, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "家站年度评估"
        ordering = ["-year", "station__region__code", "station__name"]
        # The register's default order (newest year first): a page is read off the index, not sorted from all.
        indexes = [models.Index(fields=["-year", "id"], name="assessment_year_order")]
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
        verbose_name = verbose_name_plural = "评估结果"
        ordering = ["item__order", "item__code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="result_unique_item")]

    def __str__(self) -> str:
        return f"{self.item.label}：{self.get_status_display()}"


class EvidencePhoto(Upload):
    """A photo showing how a station meets one checklist item (checked to be a real image)."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="activities/evidence/%Y/")

    class Meta(Upload.Meta):
        verbose_name = verbose_name_plural = "佐证照片"


# Rules (制度) -------------------------------------------------------------------------------------------


class Rule(TimeStampedModel):
    """A rule every home or station keeps (制度), e.g. 代表联系接待选民制度; its text lives in versions."""

    title = models.CharField("制度名称", max_length=100, unique=True)
    category = models.CharField("类别", max_length=16, choices=RuleCategory.choices)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "制度"
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
        verbose_name = verbose_name_plural = "制度版本"
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
        verbose_name = verbose_name_plural = "制度上墙"
        ordering = ["station", "version"]
        constraints = [models.UniqueConstraint(fields=["station", "version"], name="posting_unique_station_version")]

    def __str__(self) -> str:
        return f"{self.station}：{self.version}"
