"""Yearly schemes of items (records' duty points, supervision's unit scoring): what both do alike.

A scheme belongs to a year and is created with its default items, audited, the first time anybody
asks for that year; its items are edited as a whole, each value checked here with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from .scheme_items import CENT

S = TypeVar("S", bound=models.Model)


def scheme_for_year(queryset: models.QuerySet[S], *, year: int, create_default: Callable[[], Any]) -> S:
    """The year's scheme from `queryset`; `create_default()` runs first (in its own transaction) if there is none."""
    scheme = queryset.filter(year=year).first()
    if scheme is not None:
        return scheme
    try:
        with transaction.atomic():
            create_default()
    except IntegrityError:  # another request created it at the same moment
        pass
    return queryset.get(year=year)


def scheme_number(value: Any, what: str, *, maximum: Decimal, allow_none: bool = False) -> Decimal | None:
    """`value` as a number from 0 to `maximum` with at most two decimals; `what` names it in the message."""
    if value in (None, "") and allow_none:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{what}应为数字。") from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationError(f"{what}应在0到{maximum:.0f}之间。")
    if number != number.quantize(CENT):
        raise ValidationError(f"{what}最多保留两位小数。")
    return number


def item_label(values: Mapping[str, Any], name: str) -> str:
    """The label given for an item, or the rule's own name; at most 60 characters."""
    label = str(values.get("label") or "").strip() or str(name)
    if len(label) > 60:
        raise ValidationError(f"“{name}”的名称不能超过60个字。")
    return label


def item_change(item: models.Model, new: dict[str, Any]) -> list[Any] | None:
    """Set `new` on an existing item and save it; the audit's `[old, new]`, or None when nothing changed."""
    old = {key: getattr(item, key) for key in new}
    if old == new:
        return None
    for key, value in new.items():
        setattr(item, key, value)
    item.save(update_fields=list(new))
    return [old, new]
