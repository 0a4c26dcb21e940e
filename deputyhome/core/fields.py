"""Form fields that refuse ids the database cannot hold, as an invalid choice (a form error, never a 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .converters import valid_id


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of objects; a value that is not an id the database can hold is an invalid choice.

    Django's own field filters `pk__in` with the raw values, and a 20-digit value overflows the
    database integer (SQLite: OverflowError; PostgreSQL: "bigint out of range"): a 500.
    """

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if valid_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:20]}
                )
        return super()._check_values(value)
