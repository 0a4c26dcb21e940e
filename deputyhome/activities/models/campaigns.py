"""Campaigns (代表行动) with the townships' themes and the groups' small entry points."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from deputyhome.core.models import TimeStampedModel

# Campaigns (代表行动) -------------------------------------------------------------------------------------


class Campaign(TimeStampedModel):
    """A deputies' campaign (代表行动) with its slogan, period and the city's main theme."""

    slogan = models.CharField("行动主题口号", max_length=100)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    main_theme = models.CharField("全市主题", max_length=200)
    description = models.TextField("工作要求", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表行动"
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
        verbose_name = verbose_name_plural = "乡镇行动主题"
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
        verbose_name = verbose_name_plural = "小组小切口"
        ordering = ["group__station__region__code", "group__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "group"], name="topic_unique_group")]

    def __str__(self) -> str:
        return f"{self.group}：{self.topic}"

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()
