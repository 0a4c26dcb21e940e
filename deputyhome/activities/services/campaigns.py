"""Writes for campaigns, the townships' themes and the groups' small entry points."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from deputyhome.core.services import model_create, model_delete, model_update
from deputyhome.organisation.models import DeputyGroup, Region

from ..models import (
    Campaign,
    GroupTopic,
    TownshipTheme,
)
from .base import _covers, _covers_group, _put, _require, _text

# Campaigns ---------------------------------------------------------------------------------------------


def _check_campaign(data: dict[str, Any]) -> None:
    _require(bool(_text(data.get("slogan"))), "请填写行动主题口号。")
    start, end = data.get("start_on"), data.get("end_on")
    _require(start is not None and end is not None, "请填写行动的开始和结束日期。")
    _require(end >= start, "结束日期不能早于开始日期。")


def campaign_create(*, data: dict[str, Any], actor: Any) -> Campaign:
    _check_campaign(data)
    return model_create(model=Campaign, data=data, actor=actor)


def campaign_update(*, campaign: Campaign, data: dict[str, Any], actor: Any) -> Campaign:
    _check_campaign({**{"slogan": campaign.slogan, "start_on": campaign.start_on, "end_on": campaign.end_on}, **data})
    return model_update(instance=campaign, data=data, actor=actor)


def campaign_delete(*, campaign: Campaign, actor: Any) -> None:
    _require(not campaign.activities.exists(), f"“{campaign}”下已有代表活动，不能删除。")
    model_delete(instance=campaign, actor=actor)


@transaction.atomic
def township_theme_set(
    *, campaign: Campaign, region: Region, theme: str, actor: Any, description: str = ""
) -> TownshipTheme:
    """Set (or change) a township's theme in a campaign."""
    _require(region is not None and len(region.code) == 9, "请选择乡镇（街道）。")
    _require(bool(_text(theme)), "请填写活动主题。")
    _require(_covers(actor, region), "该乡镇（街道）不在您的管辖范围内。")
    data = {"theme": _text(theme), "description": _text(description)}
    return _put(TownshipTheme, key={"campaign": campaign, "region": region}, data=data, actor=actor)


def township_theme_delete(*, theme: TownshipTheme, actor: Any) -> None:
    _require(_covers(actor, theme.region), "该乡镇（街道）不在您的管辖范围内。")
    model_delete(instance=theme, actor=actor)


@transaction.atomic
def group_topic_set(
    *, campaign: Campaign, group: DeputyGroup, topic: str, actor: Any, description: str = ""
) -> GroupTopic:
    """Set (or change) a group's small entry point (小切口) in a campaign."""
    _require(group is not None, "请选择代表小组。")
    _require(bool(_text(topic)), "请填写小切口。")
    _require(_covers_group(actor, group), "该代表小组不在您的管辖范围内。")
    data = {"topic": _text(topic), "description": _text(description)}
    return _put(GroupTopic, key={"campaign": campaign, "group": group}, data=data, actor=actor)


def group_topic_delete(*, topic: GroupTopic, actor: Any) -> None:
    _require(_covers_group(actor, topic.group), "该代表小组不在您的管辖范围内。")
    model_delete(instance=topic, actor=actor)
