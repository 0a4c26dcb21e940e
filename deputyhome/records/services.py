"""Writes for duty records: the points scheme, reports to voters, and the audited exports.

A year without a points scheme gets the built-in one (`points.DEFAULT_ITEMS`) saved the first
time it is needed, so the rules a year was scored by stay with that year even if the defaults
change later. Points themselves are never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from deputyhome.audit.services import record
from deputyhome.core.schemes import item_change, item_label, scheme_for_year, scheme_number
from deputyhome.core.services import model_create, model_update

from . import points
from .choices import PointsRule, VoterReportStatus
from .models import PointsItem, PointsScheme, VoterReport

MAX_POINTS = Decimal("1000")

# Points scheme ------------------------------------------------------------------------------------------


def default_points_items(scheme: PointsScheme) -> list[PointsItem]:
    """The built-in items (`points.DEFAULT_ITEMS`) as unsaved rows of `scheme`, in their order."""
    return [
        PointsItem(
            scheme=scheme,
            rule=spec.rule,
            label=spec.label,
            points=spec.points,
            cap=spec.cap,
            is_deduction=spec.is_deduction,
            order=order,
        )
        for order, spec in enumerate(points.DEFAULT_ITEMS, start=1)
    ]


def _create_default(year: int, actor: Any) -> PointsScheme:
    scheme = PointsScheme.objects.create(year=year)
    PointsItem.objects.bulk_create(default_points_items(scheme))
    record(
        actor=actor or "system",
        action="points_scheme.create",
        obj=scheme,
        changes={
            spec.rule: [None, {"points": spec.points, "cap": spec.cap, "is_deduction": spec.is_deduction}]
            for spec in points.DEFAULT_ITEMS
        },
        detail="该年度尚无履职积分办法，按默认办法创建",
    )
    return scheme


def points_scheme_for_year(*, year: int, actor: Any = None) -> PointsScheme:
    """The year's scheme with its items prefetched; the default one is created (and audited) if there is none."""
    queryset = PointsScheme.objects.prefetch_related("items")
    return scheme_for_year(queryset, year=year, create_default=lambda: _create_default(year, actor))


def item_specs(scheme: PointsScheme) -> tuple[points.ItemSpec, ...]:
    return tuple(points.ItemSpec(i.rule, i.label, i.points, i.cap, i.is_deduction) for i in scheme.items.all())


@transaction.atomic
def points_scheme_update(*, scheme: PointsScheme, items: Mapping[str, Mapping[str, Any]], actor: Any) -> PointsScheme:
    """Change the year's items: `{rule: {"label", "points", "cap", "is_deduction"}}`.

    Rules not named stay as they are; a rule missing from the scheme is added, unless given 0 points and no cap
    (the form offers every rule the scheme lacks at 0 points). Every deputy's
    points change at once, since they are computed from the scheme each time they are shown.
    """
    s = PointsScheme.objects.select_for_update().get(pk=scheme.pk)
    existing = {i.rule: i for i in s.items.all()}
    planned = []
    for rule, values in items.items():
        if rule not in PointsRule.values:
            raise ValidationError(f"未知的积分项：{rule}。")
        name = PointsRule(rule).label
        label = item_label(values, name)
        value = scheme_number(values.get("points"), f"“{label}”的分值", maximum=MAX_POINTS)
        cap = scheme_number(values.get("cap"), f"“{label}”的上限", maximum=MAX_POINTS, allow_none=True)
        if "is_deduction" in values:
            is_deduction = bool(values["is_deduction"])
        else:
            is_deduction = existing[rule].is_deduction if rule in existing else rule == PointsRule.UNEXCUSED_ABSENCE
        planned.append((rule, label, value, cap, is_deduction))
    changes: dict[str, list[Any]] = {}
    for rule, label, value, cap, is_deduction in planned:
        new = {"label": label, "points": value, "cap": cap, "is_deduction": is_deduction}
        item = existing.get(rule)
        if item is None and not value and cap is None:
            continue  # a rule the scheme does not have, offered at 0 points and left so: not added
        if item is None:
            PointsItem.objects.create(scheme=s, rule=rule, order=PointsRule.values.index(rule) + 1, **new)
            changes[rule] = [None, new]
            continue
        change = item_change(item, new)
        if change:
            changes[rule] = change
    record(actor=actor, action="points_scheme.update", obj=s, changes=changes)
    return PointsScheme.objects.prefetch_related("items").get(pk=s.pk)


# Reports to voters --------------------------------------------------------------------------------------


def _check_report(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    status = data.get("status")
    votes = sum(int(data.get(k) or 0) for k in ("satisfied", "basically_satisfied", "dissatisfied"))
    present = data.get("voters_present")
    date = data.get("date")
    if status == VoterReportStatus.HELD:
        if present in (None, ""):
            errors["voters_present"] = "已述职的，请填写参加选民人数。"
        elif votes > int(present):
            errors["satisfied"] = f"测评票数合计（{votes}）不能多于参加选民人数（{present}）。"
        if date and date > timezone.localdate():
            errors["date"] = "述职日期在今天之后，不能登记为已述职；请先登记为计划。"
    elif votes:
        errors["satisfied"] = "只有已述职的才能登记满意度测评票数。"
    if errors:
        raise ValidationError(errors)


def voter_report_create(*, data: Mapping[str, Any], actor: Any) -> VoterReport:
    _check_report(data)
    return model_create(model=VoterReport, data={**data, "created_by": actor}, actor=actor)


def voter_report_update(*, report: VoterReport, data: Mapping[str, Any], actor: Any) -> VoterReport:
    _check_report(data)
    return model_update(instance=report, data=dict(data), actor=actor)


# Exports ------------------------------------------------------------------------------------------------


def export_recorded(*, actor: Any, action: str, filename: str, rows: int, params: Mapping[str, Any]) -> None:
    """The audit row of an export (the file itself is built by the caller)."""
    record(
        actor=actor,
        action=action,
        object_type="export",
        object_repr=filename,
        changes={"rows": rows, "filters": {k: v for k, v in params.items() if v not in (None, "")}},
    )
