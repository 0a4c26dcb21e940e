"""The committee's memory: past years' ledger rows, the trained routing model and staff routing choices.

Kept apart from `Suggestion` on purpose (docs/decisions.md): a past year's ledger row has no
course to run, its lead deputy may no longer sit, and it must never count in this year's figures.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from deputyhome.core.models import optional_fk, user_fk


class HistoricalSuggestion(models.Model):
    """One row of a past year's ledger (交办清单／登记册), imported or written by the demo."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    number = models.PositiveIntegerField("编号", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容", blank=True)
    author_name = models.CharField("领衔代表", max_length=50, blank=True)
    lead_unit = models.ForeignKey(
        "organisation.HandlingUnit", verbose_name="主办单位", on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        "organisation.HandlingUnit", verbose_name="协办单位", blank=True, related_name="+"
    )
    category = optional_fk("suggestions.Category", "分类")
    result_class = optional_fk("suggestions.ResultClass", "答复类别")
    is_public = models.BooleanField("对代表公开", default=True)
    source = models.CharField("来源", max_length=200, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "往年建议"
        ordering = ["-year", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], condition=models.Q(number__isnull=False), name="history_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}号 {self.title}" if self.number else f"{self.year}年 {self.title}"

    @property
    def number_label(self) -> str:
        return f"{self.year}年第{self.number}号" if self.number else f"{self.year}年"


class RoutingModel(models.Model):
    """One trained routing and similarity model: arrays in an .npz blob (no pickle), loaded offline."""

    created_at = models.DateTimeField("训练时间", auto_now_add=True)
    digest = models.CharField("训练数据摘要", max_length=64, db_index=True)
    documents = models.PositiveIntegerField("训练样本数", default=0)
    blob = models.BinaryField("模型数据")
    meta = models.JSONField("说明", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "交办推荐模型"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"模型#{self.pk}（{self.documents}件）"


class RoutingChoice(models.Model):
    """What staff chose against what was recommended (units at assignment, category at registration)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("承办单位")
        CATEGORY = "category", _("分类")

    suggestion = models.ForeignKey("suggestions.Suggestion", on_delete=models.CASCADE, related_name="routing_choices")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    recommended = models.JSONField("推荐", default=list)
    chosen = models.JSONField("选定", default=list)
    accepted = models.BooleanField("采纳首选推荐", default=False)
    model = optional_fk(RoutingModel, on_delete=models.SET_NULL)
    actor = user_fk()
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "交办选择记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.chosen}"
