"""Writes for the assessment of handling units: the year's scoring scheme (the scores export is in `exports`).

A year without a scheme gets the default one (`scoring.DEFAULT_ITEMS`) saved the first time its
scores are needed, so the rules a year was scored by stay with that year even if the built-in
defaults change later. Scores themselves are never stored: they are computed from the suggestions'
history each time (see `selectors.unit_scorecards`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from deputyhome.audit.services import record
from deputyhome.core import schemes

from . import scoring
from .choices import ScoringRule
from .models import ScoringItem, ScoringScheme

MAX_POINTS = Decimal("100")


def _create_default(year: int, actor: Any) -> ScoringScheme:
    scheme = ScoringScheme.objects.create(year=year, min_suggestions=scoring.DEFAULT_MIN_SUGGESTIONS)
    for order, spec in enumerate(scoring.DEFAULT_ITEMS, start=1):
        ScoringItem.objects.create(
            scheme=scheme, rule=spec.rule, label=spec.label, points=spec.points, cap=spec.cap, order=order
        )
    record(
        actor=actor or "system",
        action="scoring_scheme.create",
        obj=scheme,
        changes={
            "min_suggestions": [None, scheme.min_suggestions],
            **{spec.rule: [None, {"points": spec.points, "cap": spec.cap}] for spec in scoring.DEFAULT_ITEMS},
        },
        detail="该年度尚无考核评分办法，按默认办法创建",
    )
    return scheme


def scheme_for_year(*, year: int, actor: Any = None, region: Any = None) -> ScoringScheme:
    """The year's scheme with its items prefetched: a township's own (`region`) where it set one, else the
    default one, which is created (and audited) if there is none."""
    queryset = ScoringScheme.objects.prefetch_related("items")
    if region is not None and (own := queryset.filter(year=year, region=region).first()):
        return own
    return schemes.scheme_for_year(
        queryset.filter(region__isnull=True), year=year, create_default=lambda: _create_default(year, actor)
    )


@transaction.atomic
def scheme_create_own(*, year: int, region: Any, actor: Any) -> ScoringScheme:
    """A township congress's own scheme for the year, a copy of the default one it followed (audited); the one
    it has if it already set one."""
    base = scheme_for_year(year=year, actor=actor, region=region)
    if base.region_id == region.pk:
        return base
    own = ScoringScheme.objects.create(year=year, region=region, name=base.name, min_suggestions=base.min_suggestions)
    for item in base.items.all():
        ScoringItem.objects.create(
            scheme=own, rule=item.rule, label=item.label, points=item.points, cap=item.cap, order=item.order
        )
    record(
        actor=actor,
        action="scoring_scheme.create",
        obj=own,
        changes={"region": [None, region.name]},
        detail=f"{region.name}按默认办法制定本乡镇考核评分办法",
    )
    return ScoringScheme.objects.prefetch_related("items").get(pk=own.pk)


def item_specs(scheme: ScoringScheme) -> list[scoring.ItemSpec]:
    """The scheme's items as plain data for `scoring.score`, in the scheme's order."""
    return [scoring.ItemSpec(i.rule, i.label, i.points, i.cap) for i in scheme.items.all()]


@transaction.atomic
def scheme_update(
    *,
    scheme: ScoringScheme,
    items: Mapping[str, Mapping[str, Any]],
    min_suggestions: int,
    actor: Any,
    region: Any = None,
) -> ScoringScheme:
    """Change the year's items (`{rule: {"label", "points", "cap"}}`) and the ranking threshold.

    Rules not named in `items` stay as they are; a rule missing from the scheme is added. The
    scores change at once, since they are computed from the scheme each time. With `region` (a township's
    officer), the township's own scheme changes, first copied from the default where it had none.
    """
    if region is not None and scheme.region_id != region.pk:
        # A township changing the default it followed sets its own, in this transaction (bad input: neither).
        scheme = scheme_create_own(year=scheme.year, region=region, actor=actor)
    s = ScoringScheme.objects.select_for_update().get(pk=scheme.pk)
    if not isinstance(min_suggestions, int) or min_suggestions < 0 or min_suggestions > 1000:
        raise ValidationError({"min_suggestions": "参与排名的最少主办件数应为0到1000之间的整数。"})
    existing = {i.rule: i for i in s.items.all()}
    changes: dict[str, list[Any]] = {}
    planned: list[tuple[str, str, Decimal, Decimal | None]] = []
    for rule, values in items.items():
        if rule not in ScoringRule.values:
            raise ValidationError(f"未知的计分项：{rule}。")
        name = str(ScoringRule(rule).label)
        label = schemes.item_label(values, name)
        points = schemes.scheme_number(values.get("points"), f"“{label}”的分值", maximum=MAX_POINTS)
        cap = schemes.scheme_number(values.get("cap"), f"“{label}”的上限", maximum=MAX_POINTS, allow_none=True)
        if scoring.kind_of(rule) == scoring.RATE:
            cap = None  # a rate item's points are its ceiling
        planned.append((rule, label, points, cap))
    full_marks = sum(
        (p for r, _l, p, _c in planned if scoring.kind_of(r) == scoring.RATE),
        Decimal(0),
    ) + sum(
        (i.points for r, i in existing.items() if scoring.kind_of(r) == scoring.RATE and r not in items),
        Decimal(0),
    )
    if full_marks <= 0:
        raise ValidationError("基础计分项的分值合计须大于0。")
    for rule, label, points, cap in planned:
        item = existing.get(rule)
        if item is None:
            ScoringItem.objects.create(
                scheme=s, rule=rule, label=label, points=points, cap=cap, order=scoring.RULES.index(rule) + 1
            )
            changes[rule] = [None, {"label": label, "points": points, "cap": cap}]
            continue
        change = schemes.item_change(item, {"label": label, "points": points, "cap": cap})
        if change:
            changes[rule] = change
    if s.min_suggestions != min_suggestions:
        changes["min_suggestions"] = [s.min_suggestions, min_suggestions]
        s.min_suggestions = min_suggestions
        s.save(update_fields=["min_suggestions"])
    record(actor=actor, action="scoring_scheme.update", obj=s, changes=changes)
    return ScoringScheme.objects.prefetch_related("items").get(pk=s.pk)
