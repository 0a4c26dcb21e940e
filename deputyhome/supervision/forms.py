"""The form for a year's scoring scheme: label, points and cap per item, and the ranking threshold."""

from __future__ import annotations

from typing import Any

from django import forms

from deputyhome.core.forms import SchemeItemsForm, points_field

from . import scoring

KIND_HELP = {
    scoring.RATE: "满分分值，按适用建议的得分率计分",
    scoring.DEDUCTION: "每件扣分，上限为最多扣分",
    scoring.BONUS: "每件加分，上限为最多加分",
}


class SchemeForm(SchemeItemsForm):
    """One row of fields per item of `scheme` (`label_<rule>`, `points_<rule>`, `cap_<rule>`), and the threshold."""

    DATA_KEYS = {"points": "points", "cap": "cap"}

    min_suggestions = forms.IntegerField(
        label="参与排名的最少主办件数",
        min_value=0,
        max_value=1000,
        help_text="主办件数少于此数的单位列为“不参与排名”",
        error_messages={"required": "请填写参与排名的最少主办件数。", "invalid": "请填写整数。"},
    )

    def scheme_initial(self) -> dict[str, Any]:
        return {"min_suggestions": self.scheme.min_suggestions}

    def row_extra(self, item: Any) -> dict[str, Any]:
        return {"kind": scoring.kind_of(item.rule)}

    def item_fields(self, item: Any, name: str) -> dict[str, forms.Field]:
        kind = scoring.kind_of(item.rule)
        fields: dict[str, forms.Field] = {
            "points": points_field(
                f"{name}：分值",
                maximum=100,
                help_text=KIND_HELP[kind],
                messages={"required": f"请填写“{name}”的分值。", "invalid": "请填写数字。"},
            )
        }
        if kind != scoring.RATE:  # a rate item's points are its ceiling
            fields["cap"] = points_field(
                f"{name}：上限",
                maximum=100,
                required=False,
                help_text="留空为不设上限",
                messages={"invalid": "请填写数字。"},
            )
        return fields
