"""Filter-set base: every filter set takes the user, so its choice lists can come from the user's scope."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters.constants import EMPTY_VALUES

from .widgets import FlatSelect, SearchSelect


def sees_one_township(user: Any) -> bool:
    """Whether every row the user may see lies in one township (the account says: `User.sees_one_township`)."""
    return bool(getattr(user, "sees_one_township", False))


def chooses_townships(user: Any) -> bool:
    """Whether a 乡镇（街道） filter gives the user a choice (the account says: `User.chooses_townships`)."""
    return bool(getattr(user, "chooses_townships", True))


def hide_township_filter(form: forms.Form, names: list[str], user: Any) -> None:
    """For a user a 乡镇（街道） filter gives no choice (one township's officer: one; a group's users: none), the
    form's fields `names` are hidden while the address gives them no value. A value the address carries (a link
    that names the township, or another one) stays in sight and is checked as before: another township is refused
    with a message, never read as the user's own."""
    if chooses_townships(user):
        return
    for name in names:
        if name in form.fields and not form[name].value():
            form.fields[name].widget = forms.HiddenInput()


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set whose choice lists come from the user's scope."""

    q = django_filters.CharFilter(label="搜索", method="search")
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if isinstance(f, django_filters.ChoiceFilter):
                f.extra.setdefault("widget", FlatSelect)  # a filter bar's drop-downs, written without templates

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            townships = [name for name, f in self.filters.items() if isinstance(f, TownshipFilter)]
            hide_township_filter(super().form, townships, self.user)
        return self._form

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": value})
        return qs.filter(cond)


# The years a filter, a form or an address may name: a year outside them is refused with a message (a year past 9999
# is no date, and a database's integer has an end).
MIN_YEAR, MAX_YEAR = 2000, 2100


def typed_text(value: str | None, limit: int = 100) -> str:
    """What a user typed outside a form (a search in an address, a note beside a button): trimmed, at most `limit`
    characters, and without NUL characters, which PostgreSQL can neither store nor compare (a form's own fields
    refuse them with a message)."""
    return (value or "").replace("\x00", "").strip()[:limit]


def query_year(value: str | None, default: int | None) -> int | None:
    """A year from a query string: `default` when empty, four ASCII digits from MIN_YEAR to MAX_YEAR, else None."""
    if value is None or not value.strip():
        return default
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    return int(value) if MIN_YEAR <= int(value) <= MAX_YEAR else None


class YearFilter(django_filters.NumberFilter):
    """年度, from 2000 to 2100 (outside them, the filter bar says so and the list is not filtered by it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter that starts at 全部 (django-filter's own widget says 未知); one class for every list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", FlatSelect(choices=[("", "全部"), ("true", "是"), ("false", "否")]))
        super().__init__(*args, **kwargs)


class TownshipFilter(django_filters.ModelChoiceFilter):
    """乡镇（街道）, searched as you type: the rows whose region (the filter's field) lies within the chosen
    township-level region. The filter set gives the choices, the user's townships, in its __init__."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "乡镇（街道）")
        kwargs.setdefault("queryset", None)
        kwargs.setdefault("empty_label", "全部")
        kwargs.setdefault("widget", SearchSelect("township"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(**{f"{self.field_name}__code__startswith": value.code})
