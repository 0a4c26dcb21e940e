"""Writes for the station checklist, the pass mark, assessments with their evidence photos, and rules."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from deputyhome.audit.services import apply_changes, record
from deputyhome.core.services import model_create, model_delete, model_update
from deputyhome.organisation.models import Station

from .. import permissions, scoring, uploads
from ..choices import ItemStatus
from ..models import (
    AssessmentPolicy,
    AssessmentResult,
    EvidencePhoto,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
)
from .base import _covers, _put, _require, _text

# Station standards ---------------------------------------------------------------------------------------


def standard_item_create(*, data: dict[str, Any], actor: Any) -> StandardItem:
    _require(bool(_text(data.get("label"))), "请填写标准项名称。")
    return model_create(model=StandardItem, data=data, actor=actor)


def standard_item_update(*, item: StandardItem, data: dict[str, Any], actor: Any) -> StandardItem:
    _require(bool(_text(data.get("label", item.label))), "请填写标准项名称。")
    return model_update(instance=item, data=data, actor=actor)


def standard_item_delete(*, item: StandardItem, actor: Any) -> None:
    model_delete(instance=item, actor=actor)


def pass_score_for(year: int) -> int:
    policy = AssessmentPolicy.objects.filter(year__lte=year).order_by("-year").first()
    return policy.pass_score if policy else scoring.DEFAULT_PASS_SCORE


@transaction.atomic
def assessment_policy_set(*, year: int, pass_score: int, actor: Any) -> AssessmentPolicy:
    _require(2000 <= year <= 2100, "年度无效：请填写2000至2100之间的年份。")
    _require(0 < pass_score <= 100, "达标分数线应在1至100之间。")
    return _put(AssessmentPolicy, key={"year": year}, data={"pass_score": pass_score}, actor=actor)


@transaction.atomic
def assessment_save(
    *,
    station: Station,
    year: int,
    assessed_on: datetime.date,
    results: Sequence[dict[str, Any]],
    actor: Any,
    notes: str = "",
    assessment: StationAssessment | None = None,
) -> StationAssessment:
    """Create or re-do a station's assessment for a year, with a result for every active item.

    results: [{"item": StandardItem, "status": ItemStatus, "notes": str, "photos": [UploadedFile]}].
    The score and pass/fail are computed here and stored.
    """
    _require(permissions.may_assess(actor), "只有市、乡两级人大工作人员可以评估家站。")
    _require(_covers(actor, station.region), "该家站不在您的管辖范围内。")
    _require(2000 <= int(year) <= 2100, "年度无效：请填写2000至2100之间的年份。")
    _require(assessed_on is not None, "请填写评估日期。")
    _require(assessed_on.year in (year, year + 1), f"评估日期应在{year}年或次年年初。")
    active = list(StandardItem.objects.filter(is_active=True))
    by_item = {r["item"].pk: r for r in results if r.get("item") is not None}
    missing = [i.label for i in active if i.pk not in by_item or not by_item[i.pk].get("status")]
    _require(not missing, f"请为每一项填写评估结果，缺少：{'、'.join(missing)}。")
    for r in by_item.values():
        _require(r["status"] in ItemStatus.values, f"“{r['item'].label}”的评估结果无效。")
        for f in r.get("photos") or ():
            uploads.check_photo(f)
    duplicate = StationAssessment.objects.filter(station=station, year=year)
    if assessment is not None:
        duplicate = duplicate.exclude(pk=assessment.pk)
    _require(not duplicate.exists(), f"{station.name}的{year}年度评估已存在，请在原评估上修改。")

    items = {i.pk: i for i in active}
    for r in by_item.values():  # results for retired items kept on an old assessment are re-scored too
        items.setdefault(r["item"].pk, r["item"])
    value = scoring.score((items[pk].points, r["status"]) for pk, r in by_item.items())
    mark = pass_score_for(year)
    fields = {
        "station": station,
        "year": year,
        "assessed_on": assessed_on,
        "notes": _text(notes),
        "score": value,
        "pass_score": mark,
        "passed": scoring.passes(value, mark),
        "assessor": actor,
    }
    if assessment is None:
        assessment = StationAssessment.objects.create(**fields)
        changes = {k: [None, v] for k, v in fields.items()}
        action = "stationassessment.create"
    else:
        assessment = StationAssessment.objects.select_for_update().get(pk=assessment.pk)
        changes = apply_changes(assessment, fields)
        assessment.save()
        action = "stationassessment.update"
    existing = {r.item_id: r for r in assessment.results.all()}
    for pk, r in by_item.items():
        row = existing.get(pk)
        if row is None:
            row = AssessmentResult.objects.create(
                assessment=assessment,
                item=items[pk],
                status=r["status"],
                points=items[pk].points,
                notes=_text(r.get("notes")),
            )
        else:
            if row.status != r["status"]:
                changes[f"item:{items[pk].code}"] = [row.status, r["status"]]
            row.status, row.notes, row.points = r["status"], _text(r.get("notes")), items[pk].points
            row.save()
        for f in r.get("photos") or ():
            EvidencePhoto.objects.create(result=row, file=f, name=(f.name or "")[:200], size=f.size, uploaded_by=actor)
    record(actor=actor, action=action, obj=assessment, changes=changes)
    return assessment


def assessment_delete(*, assessment: StationAssessment, actor: Any) -> None:
    _require(_covers(actor, assessment.station.region), "该家站不在您的管辖范围内。")
    model_delete(instance=assessment, actor=actor)


# Rules -------------------------------------------------------------------------------------------------


def rule_create(*, data: dict[str, Any], actor: Any) -> Rule:
    _require(bool(_text(data.get("title"))), "请填写制度名称。")
    return model_create(model=Rule, data=data, actor=actor)


def rule_update(*, rule: Rule, data: dict[str, Any], actor: Any) -> Rule:
    return model_update(instance=rule, data=data, actor=actor)


def rule_version_create(*, rule: Rule, data: dict[str, Any], actor: Any) -> RuleVersion:
    _require(bool(_text(data.get("version"))), "请填写版本号。")
    _require(bool(_text(data.get("text"))), "请填写制度正文。")
    _require(data.get("effective_on") is not None, "请填写施行日期。")
    _require(
        not RuleVersion.objects.filter(rule=rule, version=_text(data["version"])).exists(),
        f"“{rule.title}”已有版本“{_text(data['version'])}”。",
    )
    return model_create(model=RuleVersion, data={**data, "rule": rule}, actor=actor)


def rule_post(*, station: Station, version: RuleVersion, posted_on: datetime.date, actor: Any) -> RulePosting:
    """Record that a station has put up a version of a rule."""
    _require(permissions.may_post_rules(actor), "只有市、乡两级人大工作人员可以登记制度上墙。")
    _require(_covers(actor, station.region), "该家站不在您的管辖范围内。")
    _require(posted_on is not None, "请填写上墙日期。")
    _require(
        not RulePosting.objects.filter(station=station, version=version).exists(),
        f"{station.name}已登记“{version}”上墙。",
    )
    return model_create(
        model=RulePosting, data={"station": station, "version": version, "posted_on": posted_on}, actor=actor
    )


def rule_unpost(*, posting: RulePosting, actor: Any) -> None:
    _require(_covers(actor, posting.station.region), "该家站不在您的管辖范围内。")
    model_delete(instance=posting, actor=actor)
