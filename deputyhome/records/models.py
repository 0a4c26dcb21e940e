"""Duty records (履职档案): the few facts they need that no other app keeps, and the points scheme.

A duty record itself is never stored: `records/figures.py` computes it from the other apps'
data each time. What lives here is what only this app knows: reports to voters and the yearly
duty-points scheme. Attendance at congress sessions is the motions app's (`motions.SessionAttendance`).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel, YearlyScheme, user_fk

from .choices import PointsRule, VoterReportStatus


class VoterReport(TimeStampedModel):
    """A deputy's report to voters (向选民述职) at a station, planned or held, with the voters' vote."""

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="述职代表", on_delete=models.PROTECT, related_name="voter_reports"
    )
    station = models.ForeignKey(
        "organisation.Station", verbose_name="述职地点（家站）", on_delete=models.PROTECT, related_name="voter_reports"
    )
    date = models.DateField("述职日期", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=VoterReportStatus.choices, default=VoterReportStatus.PLANNED, db_index=True
    )
    voters_present = models.PositiveIntegerField("参加选民人数", null=True, blank=True)
    summary = models.TextField("述职情况", blank=True)
    satisfied = models.PositiveIntegerField("满意票", default=0)
    basically_satisfied = models.PositiveIntegerField("基本满意票", default=0)
    dissatisfied = models.PositiveIntegerField("不满意票", default=0)
    created_by = user_fk("录入人")

    class Meta:
        verbose_name = verbose_name_plural = "向选民述职"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.date:%Y-%m-%d} 向选民述职"

    def get_absolute_url(self) -> str:
        return reverse("records:report_detail", args=[self.pk])

    @property
    def votes(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        """(satisfied + basically satisfied) / votes cast; None before any vote."""
        return (self.satisfied + self.basically_satisfied) / self.votes if self.votes else None


class PointsScheme(YearlyScheme):
    """The duty-points scheme (履职积分办法) for one year: which duties count, how much, up to what cap.

    Points are never stored: each deputy's points are computed from their duty record and the
    year's scheme whenever they are shown, so a change to the scheme applies at once to everyone.
    """

    name = models.CharField("名称", max_length=100, default="人大代表履职积分办法")
    notes = models.TextField("说明", blank=True)

    class Meta(YearlyScheme.Meta):
        verbose_name = verbose_name_plural = "履职积分办法"


class PointsItem(models.Model):
    """One line of a scheme: a rule, its points per unit (次, 学时, 件) and an optional cap on the item's total."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="items")
    rule = models.CharField("计分项", max_length=32, choices=PointsRule.choices)
    label = models.CharField("名称", max_length=60)
    points = models.DecimalField("每次（件、学时）分值", max_digits=6, decimal_places=2)
    cap = models.DecimalField("本项上限", max_digits=7, decimal_places=2, null=True, blank=True)
    is_deduction = models.BooleanField("扣分项", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "积分项"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "rule"], name="points_item_unique_rule")]

    def __str__(self) -> str:
        sign = "-" if self.is_deduction else ""
        return f"{self.label}（{sign}{self.points}分）"
