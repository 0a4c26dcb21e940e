"""The committee configures categories, result classes and periods; every change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions.models import Category, Policy
from deputyhome.suggestions.services import policy_for


@pytest.mark.django_db
def test_default_lists_are_there(categories):
    cats, classes = categories
    assert len(cats) == 10 and "政法与社会治理" in cats
    assert sorted(classes) == ["A", "B", "C"] and classes["B"].needs_follow_up and not classes["A"].needs_follow_up


@pytest.mark.django_db
def test_city_officer_adds_a_category_and_a_policy(client, personas):
    client.force_login(personas["city"])
    assert client.get(reverse("suggestions:categories")).status_code == 200
    response = client.post(reverse("suggestions:category_create"), {"name": "民族宗教", "order": 11, "is_active": "on"})
    assert response.status_code == 302
    assert Category.objects.filter(name="民族宗教").exists()
    assert AuditEvent.objects.filter(action="category.create").exists()
    data = {
        "year": 2027,
        "handling_months": 3,
        "complex_handling_months": 6,
        "unit_return_workdays": 5,
        "co_opinion_months": 1,
        "rehandling_months": 2,
        "evaluation_workdays": 15,
        "max_extension_months": 3,
        "due_soon_workdays": 10,
    }
    assert client.post(reverse("suggestions:policy_create"), data).status_code == 302
    import datetime

    assert policy_for(datetime.date(2027, 5, 1)).unit_return_workdays == 5
    assert policy_for(datetime.date(2026, 5, 1)).unit_return_workdays == 7  # default before 2027


@pytest.mark.django_db
def test_policy_beyond_the_law_is_refused(client, personas):
    client.force_login(personas["city"])
    response = client.post(
        reverse("suggestions:policy_create"),
        {
            "year": 2027,
            "handling_months": 4,
            "complex_handling_months": 7,
            "unit_return_workdays": 7,
            "co_opinion_months": 1,
            "rehandling_months": 1,
            "evaluation_workdays": 20,
            "max_extension_months": 3,
            "due_soon_workdays": 10,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "三个月内答复" in html and "六个月" in html
    assert not Policy.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["township", "deputy", "unit", "leader", "sysadmin"])
def test_only_city_officers_configure(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("suggestions:categories")).status_code == 403
    assert client.post(reverse("suggestions:category_create"), {"name": "x", "order": 1}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("weight, ok", [("1.5", False), ("-0.1", False), ("0.8", True), ("0", True), ("1", True)])
def test_a_result_class_weight_is_between_0_and_1(client, personas, weight, ok):
    """计分系数 is the share of the result item a class earns: the form says so, and writes nothing, outside 0-1."""
    from deputyhome.suggestions.models import ResultClass

    client.force_login(personas["city"])
    before = (ResultClass.objects.count(), AuditEvent.objects.count())
    data = {"code": "D", "label": "其他", "score_weight": weight, "order": 9, "is_active": "on"}
    response = client.post(reverse("suggestions:result_create"), data)
    if ok:
        assert response.status_code == 302 and ResultClass.objects.get(code="D").score_weight == Decimal(weight)
    else:
        page = response.content.decode()
        assert response.status_code == 400 and ("确保该值小于或等于1" in page or "确保该值大于或等于0" in page)
        assert (ResultClass.objects.count(), AuditEvent.objects.count()) == before
