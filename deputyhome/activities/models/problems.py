"""Problems found by deputies and the fast lane (转交办理) that forwards small matters to a unit."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from deputyhome.core.models import CreatedBy, InTownship, RepliedBy, TimeStampedModel, optional_fk, user_fk

from ..choices import ProblemStatus, ReferralStatus
from .activities import Activity

# Problems and the fast lane ------------------------------------------------------------------------------


class Referral(InTownship, RepliedBy, TimeStampedModel):
    """A small matter forwarded straight to a handling unit (the fast lane, 转交办理), and its reply.

    Comes from a problem found in an activity or from a voter opinion; `region` is the
    township it concerns (for scope), when known.
    """

    unit = models.ForeignKey(
        "organisation.HandlingUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="referrals"
    )
    title = models.CharField("事项", max_length=200)
    content = models.TextField("具体内容")
    created_by = user_fk("转交人")
    due_on = models.DateField("办理期限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.OPEN, db_index=True
    )
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "转交事项"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:referral_detail", args=[self.pk])


class Problem(CreatedBy, TimeStampedModel):
    """A problem found by deputies in an activity (or brought in from elsewhere), and what became of it.

    Each ends one of three ways: closed on the spot (当场解决), forwarded to a unit as a
    small matter (`referral`), or turned into a formal suggestion (`suggestion`).
    """

    text = models.TextField("问题描述")
    place = models.CharField("地点", max_length=200, blank=True)
    category = optional_fk("suggestions.Category", "分类")
    deputy = optional_fk("deputies.Deputy", "提出代表", related_name="problems")
    activity = optional_fk(Activity, "发现于活动", related_name="problems")
    region = models.ForeignKey(
        "organisation.Region", verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("发现日期", db_index=True)
    status = models.CharField(
        "处理状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    closing_note = models.TextField("处理说明", blank=True)
    handled_on = models.DateField("处理日期", null=True, blank=True)
    referral = optional_fk(Referral, "转交事项", related_name="problem", field=models.OneToOneField)
    suggestion = optional_fk("suggestions.Suggestion", "形成的建议", related_name="source_problems")

    class Meta:
        verbose_name = verbose_name_plural = "发现问题"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        text = self.text.replace("\n", " ")
        return text if len(text) <= 40 else f"{text[:40]}…"

    def get_absolute_url(self) -> str:
        return reverse("activities:problem_detail", args=[self.pk])
