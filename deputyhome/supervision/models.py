"""The yearly scoring scheme for handling units (考核评分). The supervision records of suggestions
(督办记录) are a step of their course: `suggestions.models.SupervisionRecord`."""

from __future__ import annotations

from django.db import models

from deputyhome.core.models import YearlyScheme, optional_fk

from .choices import ScoringRule


class ScoringScheme(YearlyScheme):
    """The scoring rules for one year (《建议办理工作考核评分办法》): items, deductions and bonuses.

    `region` empty: the default scheme, the city congress's, which a township congress follows too until it
    sets its own (`region` its township)."""

    year = models.PositiveSmallIntegerField("年度")
    region = optional_fk(
        "organisation.Region", "所属乡镇", help_text="空：默认办法（市人大）；乡镇人大制定本乡镇办法时填写所属乡镇"
    )
    name = models.CharField("名称", max_length=100, default="代表建议办理工作考核评分办法")
    min_suggestions = models.PositiveSmallIntegerField(
        "参与排名的最少主办件数", default=2, help_text="主办件数少于此数的单位不参与排名"
    )

    class Meta(YearlyScheme.Meta):
        verbose_name = verbose_name_plural = "考核评分办法"
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="scoring_scheme_unique_year_region"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(region__isnull=True), name="scoring_scheme_unique_default_year"
            ),
        ]


class ScoringItem(models.Model):
    """One line of a scheme: a rule and its points (per suggestion for deductions and bonuses)."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="items")
    rule = models.CharField("计分项", max_length=32, choices=ScoringRule.choices)
    label = models.CharField("名称", max_length=60)
    points = models.DecimalField("分值", max_digits=5, decimal_places=2)
    cap = models.DecimalField("上限", max_digits=5, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "评分项"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "rule"], name="scoring_item_unique_rule")]

    def __str__(self) -> str:
        return f"{self.label}（{self.points}分）"
