"""`get_<field>_display` from a table per field and language (`core.models.ChoiceLabels`): the same label as
Django's, in the active language, a value outside the choices as it is; and a short list of settings rows as a
drop-down read once (`core.forms.ListChoiceField`)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_lazy

from deputyhome.core.forms import ListChoiceField
from deputyhome.core.models import ChoiceLabels
from deputyhome.suggestions.choices import Action, State
from deputyhome.suggestions.models import Event, ResultClass


def test_the_labels_are_djangos_for_every_choice():
    for action in Action:
        event = Event(action=action, to_state=State.HANDLING)
        assert event.get_action_display() == str(action.label)
        assert event.get_to_state_display() == str(State.HANDLING.label)
    assert Event(action="no_such_step").get_action_display() == "no_such_step"  # as Django shows it
    assert Event(to_state="").get_to_state_display() == ""


class _Answer(ChoiceLabels):
    field = models.CharField(choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])
    field.set_attributes_from_name("answer")

    def __init__(self, answer):
        self.answer = answer


def test_a_label_is_in_the_language_of_the_request():
    with translation.override("zh-hans"):
        assert _Answer("yes")._get_FIELD_display(_Answer.field) == "是"
    with translation.override("en"):
        assert _Answer("yes")._get_FIELD_display(_Answer.field) == "Yes"
    assert _Answer("maybe")._get_FIELD_display(_Answer.field) == "maybe"


class _ResultForm(forms.Form):
    result_class = ListChoiceField(label="办理结果", queryset=ResultClass.objects.order_by("order"))


@pytest.mark.django_db
def test_a_short_list_is_read_once_in_a_plain_query():
    form = _ResultForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["result_class"]) + str(form["result_class"])
        choices = list(form.fields["result_class"].choices)
    assert len(queries) == 1 and not queries[0]["sql"].startswith("DECLARE")  # no server-side cursor
    expected = [str(r) for r in ResultClass.objects.order_by("order")]
    assert expected and [label for _, label in choices[1:]] == expected
    assert all(label in html for label in expected)
    bound = _ResultForm({"result_class": ResultClass.objects.first().pk})
    assert bound.is_valid() and bound.cleaned_data["result_class"] == ResultClass.objects.first()
    assert not _ResultForm({"result_class": 999999}).is_valid()
