"""Form base: every form takes the user, so choices can be limited to the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from .widgets import use_search

SearchChoices = dict[str, tuple[Callable[..., QuerySet], str]]


def _search_in_scope(form: forms.BaseForm, choices: SearchChoices, user: Any) -> None:
    for name, (selector, kind) in choices.items():
        form.fields[name].queryset = selector(user=user)
        use_search(form.fields[name], kind)


class ScopedModelForm(forms.ModelForm):
    """A model form for one user. `search_choices` names the choice fields whose choices are the user's scope,
    searched as you type: `{field: (selector, kind)}`, the selector called with `user=`, `kind` the SearchSelect's."""

    search_choices: SearchChoices = {}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"
        _search_in_scope(self, self.search_choices, user)


class ScopedForm(forms.Form):
    """A plain form for one user, its `search_choices` as ScopedModelForm's."""

    search_choices: SearchChoices = {}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        _search_in_scope(self, self.search_choices, user)


class ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read as one plain query. Django's iterator reads them through a server-side cursor, three round
    trips on PostgreSQL for a short list of settings rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListChoiceField(forms.ModelChoiceField):
    """One of a short list of settings rows (result classes, categories): a drop-down read in one plain query."""

    iterator = ListedChoices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """A date and a time of day in one field (the phone shows its own picker)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def points_field(
    label: str, *, maximum: int, required: bool = True, help_text: str = "", messages: dict[str, str]
) -> forms.DecimalField:
    """A number of points from 0 to `maximum` with at most two decimals (a scheme item's points or cap)."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(maximum),
        decimal_places=2,
        max_digits=len(str(maximum)) + 2,
        help_text=help_text,
        error_messages=messages,
    )


class SchemeItemsForm(forms.Form):
    """A yearly scheme's items edited together: one row of fields `<key>_<rule>` per item.

    Every row has the item's label (`label_<rule>`); a subclass gives the other fields of a row in
    `item_fields` (points, cap, ...), and `DATA_KEYS` maps a field key to the key the update service
    reads (`{"points": "points", "cap": "cap"}`). `rows()` gives the bound fields per item for a table,
    `items_data()` the cleaned values per rule for the service.
    """

    DATA_KEYS: dict[str, str] = {}

    def __init__(self, *args: Any, scheme: Any, **kwargs: Any) -> None:
        self.scheme = scheme
        self.scheme_items = self.items_of(scheme)
        initial = self.scheme_initial()
        for item in self.scheme_items:
            initial[f"label_{item.rule}"] = item.label
            initial.update({f"{key}_{item.rule}": getattr(item, attr) for key, attr in self.DATA_KEYS.items()})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for item in self.scheme_items:
            name = item.get_rule_display()
            self.fields[f"label_{item.rule}"] = forms.CharField(
                label=f"{name}：名称", max_length=60, error_messages={"required": f"请填写“{name}”的名称。"}
            )
            for key, field in self.item_fields(item, name).items():
                self.fields[f"{key}_{item.rule}"] = field

    def scheme_initial(self) -> dict[str, Any]:
        """Initial values of the scheme's own fields (not per item)."""
        return {}

    def items_of(self, scheme: Any) -> list[Any]:
        """The rows: the scheme's items (a subclass may offer more, unsaved)."""
        return list(scheme.items.all())

    def item_fields(self, item: Any, name: str) -> dict[str, forms.Field]:
        raise NotImplementedError

    def row_extra(self, item: Any) -> dict[str, Any]:
        return {}

    def rows(self) -> list[dict[str, Any]]:
        """The bound fields grouped per item (None for a field the item does not have), for a table layout."""
        keys = ["label", *self.DATA_KEYS]
        return [
            {
                "item": item,
                **self.row_extra(item),
                **{key: self[f"{key}_{item.rule}"] if f"{key}_{item.rule}" in self.fields else None for key in keys},
            }
            for item in self.scheme_items
        ]

    def items_data(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            item.rule: {
                "label": data[f"label_{item.rule}"],
                **{attr: data.get(f"{key}_{item.rule}") for key, attr in self.DATA_KEYS.items()},
            }
            for item in self.scheme_items
        }
