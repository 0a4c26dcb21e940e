"""The form for a year's scoring scheme: label, points and cap per item, and the ranking threshold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from . import scoring
from .models import ScoringScheme

KIND_HELP = {
    scoring.RATE: "满分分值，按适用建议的得分率计分",
    scoring.DEDUCTION: "每件扣分，上限为最多扣分",
    scoring.BONUS: "每件加分，上限为最多加分",
}


class SchemeForm(forms.Form):
    """One row of fields per item of `scheme` (`label_<rule>`, `points_<rule>`, `cap_<rule>`)."""

    min_suggestions = forms.IntegerField(
        label="参与排名的最少主办件数",
        min_value=0,
        max_value=1000,
        help_text="主办件数少于此数的单位列为“不参与排名”",
        error_messages={"required": "请填写参与排名的最少主办件数。", "invalid": "请填写整数。"},
    )

    def __init__(self, *args: Any, scheme: ScoringScheme, **kwargs: Any) -> None:
        self.scheme = scheme
        self.scheme_items = list(scheme.items.all())
        initial = {"min_suggestions": scheme.min_suggestions}
        for item in self.scheme_items:
            initial.update({f"label_{item.rule}": item.label, f"points_{item.rule}": item.points})
            initial[f"cap_{item.rule}"] = item.cap
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for item in self.scheme_items:
            kind = scoring.kind_of(item.rule)
            name = item.get_rule_display()
            self.fields[f"label_{item.rule}"] = forms.CharField(
                label=f"{name}：名称", max_length=60, error_messages={"required": f"请填写“{name}”的名称。"}
            )
            self.fields[f"points_{item.rule}"] = forms.DecimalField(
                label=f"{name}：分值",
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                max_digits=5,
                help_text=KIND_HELP[kind],
                error_messages={"required": f"请填写“{name}”的分值。", "invalid": "请填写数字。"},
            )
            if kind != scoring.RATE:
                self.fields[f"cap_{item.rule}"] = forms.DecimalField(
                    label=f"{name}：上限",
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=2,
                    max_digits=5,
                    help_text="留空为不设上限",
                    error_messages={"invalid": "请填写数字。"},
                )

    def rows(self) -> list[dict[str, Any]]:
        """The bound fields grouped per item, for a table layout."""
        return [
            {
                "item": item,
                "kind": scoring.kind_of(item.rule),
                "label": self[f"label_{item.rule}"],
                "points": self[f"points_{item.rule}"],
                "cap": self[f"cap_{item.rule}"] if f"cap_{item.rule}" in self.fields else None,
            }
            for item in self.scheme_items
        ]

    def items_data(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            item.rule: {
                "label": data[f"label_{item.rule}"],
                "points": data[f"points_{item.rule}"],
                "cap": data.get(f"cap_{item.rule}"),
            }
            for item in self.scheme_items
        }
