"""The choice field that stays light at any size: a drop-down while the choices are few, a
search-as-you-type field (htmx) once they pass `CHOICE_LIMIT`.

The widget goes on a ModelChoiceField (or a django-filter ModelChoiceFilter) whose queryset is the
user's scoped choices; it names a `kind` registered with `core.registry.register_choices`, whose
search (`core:choice_search`) answers the matches from the same scoped choices. The field still
submits the chosen id under its own name (`?group=12`, bookmarkable), and validation is the field's
own (an id outside the queryset is an invalid choice).
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from . import registry
from .converters import valid_id

CHOICE_LIMIT = 100  # DESIGN.md: over 100 choices, a search-as-you-type field rather than a drop-down
OUT_OF_SCOPE = "所选的“{label}”不存在或不在您的管辖范围内，请重新选择。"


class FlatSelect(forms.Select):
    """A drop-down of plain choices written in Python: the HTML of Django's select template (one line an option),
    without rendering two templates for every option (about 0.1 ms each: a filter bar's units, 3 ms a page). Grouped
    choices are left to Django."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        values, chosen = set(self.format_value(value)), False
        options = []
        for option_value, label in choices:
            option_value = "" if option_value is None else option_value
            selected = (not chosen or self.allow_multiple_selected) and str(option_value) in values
            chosen |= selected
            options.append(
                f'\n  <option value="{conditional_escape(str(option_value))}"{" selected" if selected else ""}>'
                f"{conditional_escape(localize(label))}</option>"
            )
        return mark_safe(f'<select name="{conditional_escape(name)}"{_attrs(final)}>{"".join(options)}\n</select>')  # noqa: S308 - every part escaped above


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's attrs template writes them: True bare, False left out, the rest escaped."""
    return "".join(
        f" {conditional_escape(key)}"
        if value is True
        else f' {conditional_escape(key)}="{conditional_escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False
    )


class SearchSelect(FlatSelect):
    """One object among a scoped queryset: a <select> up to CHOICE_LIMIT choices, a search field beyond.

    Rendering counts the choices by their ids, at most CHOICE_LIMIT + 1 (one query), then reads the few
    choices of a drop-down (one more, with the queryset's prefetches) or, for the search field with a value,
    the chosen object (one more), whatever the number of choices: past the limit no row is built (a deputy's
    label prefetches their posts, 25 ms for a hundred).
    """

    template = "core/_choice_picker.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind = kind

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        iterator = self.choices
        field = iterator.field
        head = self.head(iterator.queryset)
        if head is not None:
            few = copy.copy(self)
            few.choices = ([("", field.empty_label)] if field.empty_label is not None else []) + [
                (field.prepare_value(obj), field.label_from_instance(obj)) for obj in head
            ]
            return FlatSelect.render(few, name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        return render_to_string(
            self.template,
            {
                "name": name,
                "id": final.get("id") or f"id_{name}",
                "chosen": [(obj.pk, self.label(obj)) for obj in self.chosen(iterator.queryset, value)],
                "multiple": self.allow_multiple_selected,
                "disabled": bool(final.get("disabled")),
                "search_url": f"{reverse('core:choice_search', args=[self.kind])}?field={name}",
                "placeholder": registry.choice_source(self.kind).placeholder,
            },
        )

    def head(self, queryset: Any) -> list[Any] | None:
        """The choices when there are at most CHOICE_LIMIT (a drop-down), else None (the field searches). Their ids
        are counted first, so that a long list builds no rows (a form whose fields pick among the same choices may
        read them once: `read_once`)."""
        # Counted unordered: the order's joins (a group's station and township) cost more than the count.
        ids = list(queryset.prefetch_related(None).order_by().values_list("pk", flat=True)[: CHOICE_LIMIT + 1])
        if len(ids) > CHOICE_LIMIT:
            return None
        return list(queryset[:CHOICE_LIMIT]) if ids else []

    def chosen(self, queryset: Any, value: Any) -> list[Any]:
        """The chosen object among the scoped choices (none when the value is not one of them)."""
        pk = valid_id(getattr(value, "pk", value))
        return list(queryset.filter(pk=pk)[:1]) if pk is not None else []

    def label(self, obj: Any) -> str:
        return registry.choice_source(self.kind).label(obj)


class SearchSelectMultiple(SearchSelect):
    """Several objects among a scoped queryset (the stations a rule is posted at): a multi-select up to
    CHOICE_LIMIT choices, a search field beyond whose chosen objects stay listed until unchecked."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def chosen(self, queryset: Any, value: Any) -> list[Any]:
        values = value if isinstance(value, list | tuple) else [value] if value not in (None, "") else []
        pks = [pk for v in values if (pk := valid_id(getattr(v, "pk", v))) is not None]
        return list(queryset.filter(pk__in=pks)) if pks else []


def read_once(widget: SearchSelect, memo: dict[str, list[Any] | None]) -> None:
    """Let `widget` share its first choices with the other widgets given the same `memo`: fields that pick among the
    same choices (an activity's present, excused and absent deputies) read them once, not once each."""
    read = widget.head

    def head(queryset: Any) -> list[Any] | None:
        if "head" not in memo:
            memo["head"] = read(queryset)
        return memo["head"]

    widget.head = head  # type: ignore[method-assign]


def use_search(field: forms.ModelChoiceField, kind: str) -> None:
    """Give a form's choice field (its queryset already set) the SearchSelect widget of `kind`
    (SearchSelectMultiple for a field of several objects)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    field.widget = (SearchSelectMultiple if multiple else SearchSelect)(kind, attrs=field.widget.attrs)
    # An id outside the scoped choices (typed into the address, or another township's) says why in Chinese,
    # unless the form gave its own message.
    defaults = (forms.ModelChoiceField, forms.ModelMultipleChoiceField)
    if str(field.error_messages.get("invalid_choice")) in {
        str(f.default_error_messages["invalid_choice"]) for f in defaults
    }:
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": OUT_OF_SCOPE.format(label=field.label or "选项"),
        }
    field.widget.is_required = field.required
    field.widget.choices = field.choices
