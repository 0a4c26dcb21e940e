"""Register pages: render for every persona, filter, search, sort, paginate; constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import Deputy
from deputyhome.testing import add_deputies, make_id_number

LIST_URLS = [
    "deputies:list",
    "organisation:group_list",
    "organisation:station_list",
    "organisation:region_list",
    "organisation:unit_list",
    "organisation:congress_list",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["city", "township", "group", "liaison", "deputy", "unit", "supervisor", "leader", "sysadmin", "auditor"]
)
@pytest.mark.parametrize("url", LIST_URLS + ["core:dashboard", "audit:list"])
def test_every_list_answers_every_persona_without_error(personas, client, persona, url):
    client.force_login(personas[persona])
    response = client.get(reverse(url))
    assert response.status_code in (200, 403), response.status_code


@pytest.mark.django_db
def test_township_list_shows_only_own_township(personas, city, client):
    client.force_login(personas["township"])
    html = client.get(reverse("deputies:list")).content.decode()
    for d in city.deputies_a:
        assert d.name in html
    for d in city.deputies_b:
        assert d.name not in html


@pytest.mark.django_db
def test_search_does_not_reach_outside_scope(personas, city, client):
    client.force_login(personas["township"])
    other = city.deputies_b[0]
    response = client.get(reverse("deputies:list"), {"q": other.name})
    assert reverse("deputies:detail", args=[other.pk]) not in response.content.decode()
    assert "没有符合条件的记录" in response.content.decode()


@pytest.mark.django_db
def test_filters_and_sort(personas, city, client):
    client.force_login(personas["city"])
    response = client.get(reverse("deputies:list"), {"region": city.township_b.pk})
    html = response.content.decode()
    assert all(d.name in html for d in city.deputies_b)
    assert not any(d.name in html for d in city.deputies_a)
    response = client.get(reverse("deputies:list"), {"level": "township"})
    html = response.content.decode()
    assert city.deputies_b[0].name in html and city.deputies_b[1].name not in html
    response = client.get(reverse("deputies:list"), {"group": city.group_a.pk, "sort": "-name"})
    names = [d.name for d in sorted(city.deputies_a, key=lambda d: d.name, reverse=True)]
    html = response.content.decode()
    positions = [html.index(n) for n in names]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_personal_data_is_masked_and_revealed_with_an_audit_row(personas, city, client):
    d = city.deputies_a[1]
    masked_id = d.id_number[:4] + "**********" + d.id_number[-4:]
    for persona in ("leader", "city", "township"):
        client.force_login(personas[persona])
        html = client.get(reverse("deputies:detail", args=[d.pk])).content.decode()
        assert d.id_number not in html and d.phone not in html and masked_id in html
        html = client.get(reverse("deputies:list")).content.decode()
        assert d.phone not in html
    # The leader may not reveal; the township officer may, and it is audited.
    client.force_login(personas["leader"])
    assert client.post(reverse("deputies:detail", args=[d.pk]), {"reveal": "1"}).status_code == 403
    client.force_login(personas["township"])
    html = client.post(reverse("deputies:detail", args=[d.pk]), {"reveal": "1"}).content.decode()
    assert d.id_number in html and d.phone in html
    from deputyhome.audit.models import AuditEvent

    events = AuditEvent.objects.filter(action="personal_data.reveal", object_id=str(d.pk))
    assert events.filter(actor=personas["township"], success=True).exists()
    assert events.filter(actor=personas["leader"], success=False).exists()


@pytest.mark.django_db
def test_id_numbers_and_phones_are_encrypted_at_rest(city):
    from django.db import connection

    d = city.deputies_a[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_deputy WHERE id = %s", [d.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id.startswith("siv1:") and d.id_number not in stored_id
    assert stored_phone.startswith("siv1:") and d.phone not in stored_phone
    # Look-ups and duplicate checks still work on the encrypted column.
    assert Deputy.objects.get(id_number=d.id_number) == d
    assert Deputy.objects.filter(phone__in=[d.phone, "13900000000"]).count() == 1


def _add_deputies(city, n: int) -> None:
    add_deputies(n, congress=city.city_congress, group=city.group_a, region=city.township_a)


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_run_constant_queries(personas, city, client, url):
    client.force_login(personas["city"])
    client.get(reverse(url))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url)).status_code == 200
    _add_deputies(city, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_pagination(personas, city, client):
    _add_deputies(city, 30)
    client.force_login(personas["city"])
    html = client.get(reverse("deputies:list")).content.decode()
    assert "第 1 / 2 页" in html
    html = client.get(reverse("deputies:list"), {"page": 2}).content.decode()
    assert "第 2 / 2 页" in html


@pytest.mark.django_db
def test_create_deputy_through_the_form_writes_audit(personas, city, client):
    client.force_login(personas["township"])
    before = AuditEvent.objects.count()
    data = {
        "name": "赵新",
        "gender": "F",
        "ethnicity": "苗族",
        "birth_date": "1990-05-01",
        "party": "群众",
        "education": "大学",
        "employer_title": "",
        "phone": "13912345678",
        "id_number": make_id_number(901, birth=datetime.date(1990, 5, 1))[:-1]
        + make_id_number(901, birth=datetime.date(1990, 5, 1))[-1].lower(),
        "address": "",
    }
    response = client.post(reverse("deputies:create"), data)
    assert response.status_code == 302, response.content.decode()
    deputy = Deputy.objects.get(name="赵新")
    assert deputy.id_number.endswith(deputy.id_number[-1].upper())
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").action == "deputy.create"


@pytest.mark.django_db
def test_bad_deputy_form_explains_in_chinese_and_writes_nothing(personas, city, client):
    client.force_login(personas["city"])
    before = (Deputy.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("deputies:create"),
        {
            "name": "钱错",
            "gender": "M",
            "ethnicity": "汉族",
            "birth_date": "1975-03-01",
            "party": "群众",
            "phone": "12345",
            "id_number": "42280119750315001X",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "校验码不正确" in html or "身份证号" in html
    assert "联系电话格式不正确" in html
    assert (Deputy.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_read_only_roles_cannot_edit(personas, city, client):
    d = city.deputies_a[0]
    for persona in ("leader", "supervisor", "group", "deputy"):
        client.force_login(personas[persona])
        assert client.get(reverse("deputies:update", args=[d.pk])).status_code == 403
        assert client.post(reverse("deputies:delete", args=[d.pk])).status_code == 403
    assert Deputy.objects.filter(pk=d.pk).exists()


@pytest.mark.django_db
def test_an_unknown_sort_shows_the_lists_own_order(personas, city, client):
    """An address with a column that does not sort (an old bookmark, an edited address): the page's default order,
    not an unordered (and so unstable) page."""
    client.force_login(personas["city"])
    default = client.get(reverse("deputies:list")).content.decode()
    unknown = client.get(reverse("deputies:list"), {"sort": "password"})
    assert unknown.status_code == 200
    names = [d.name for d in (*city.deputies_a, *city.deputies_b)]
    html = unknown.content.decode()
    assert [default.index(n) for n in names] and sorted(names, key=html.index) == sorted(names, key=default.index)
