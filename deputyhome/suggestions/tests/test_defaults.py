"""The default categories and result classes come back where they were emptied, with an audit row."""

from __future__ import annotations

import pytest

from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions import services
from deputyhome.suggestions.defaults import CATEGORIES, RESULT_CLASSES
from deputyhome.suggestions.models import Category, ResultClass


@pytest.mark.django_db
def test_migration_filled_the_defaults_and_ensure_adds_nothing(personas):
    assert set(Category.objects.values_list("name", flat=True)) >= set(CATEGORIES)
    assert services.default_lists_ensure(actor=personas["city"]) == []
    assert not AuditEvent.objects.filter(action="suggestion_settings.defaults").exists()


@pytest.mark.django_db
def test_emptied_lists_are_restored_and_edits_kept(personas):
    Category.objects.filter(name="农业农村").delete()
    ResultClass.objects.filter(code="C").delete()
    ResultClass.objects.filter(code="A").update(label="已解决")
    added = services.default_lists_ensure(actor=personas["city"])
    assert added == ["分类：农业农村", "办理结果：C类"]
    assert Category.objects.filter(name="农业农村").exists()
    c = ResultClass.objects.get(code="C")
    assert c.needs_follow_up and str(c.score_weight) == RESULT_CLASSES[2][3]
    assert ResultClass.objects.get(code="A").label == "已解决"  # an edited row stays as edited
    event = AuditEvent.objects.get(action="suggestion_settings.defaults")
    assert event.actor == personas["city"] and event.changes == {"added": added}
