"""Each congress's desk keeps its own settings: a township congress's officer adds categories and periods for
their congress and reads the common ones; the periods of a township's suggestions come from its own rows."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.audit.models import AuditEvent
from deputyhome.core import workdays
from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import HandlingUnit, Region
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.forms import RegisterForm
from deputyhome.suggestions.models import Category, Policy
from deputyhome.suggestions.services import deadlines

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")

PERIODS = {
    "handling_months": 2,
    "complex_handling_months": 5,
    "unit_return_workdays": 5,
    "co_opinion_months": 1,
    "rehandling_months": 1,
    "evaluation_workdays": 10,
    "max_extension_months": 2,
    "due_soon_workdays": 3,
}


def _other_township() -> Region:
    return Region.objects.create(code="422801102", name="三岔镇", kind="town", parent=Region.objects.get(code="422801"))


def test_a_township_officer_adds_a_category_of_their_congress_and_reads_the_common_ones(client, personas, city):
    client.force_login(personas["township_b"])
    page = client.get(reverse("suggestions:categories"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "农业农村" in html and "各级通用" in html and "办理结果分类" not in html
    common = Category.objects.get(name="农业农村")
    assert reverse("suggestions:category_update", args=[common.pk]) not in html  # read-only
    assert client.get(reverse("suggestions:category_update", args=[common.pk])).status_code == 404

    response = client.post(reverse("suggestions:category_create"), {"name": "茶叶产业", "order": 20, "is_active": "on"})
    assert response.status_code == 302
    own = Category.objects.get(name="茶叶产业")
    assert own.region == city.township_b
    assert AuditEvent.objects.filter(action="category.create", object_id=str(own.pk)).exists()
    html = client.get(reverse("suggestions:categories")).content.decode()
    assert reverse("suggestions:category_update", args=[own.pk]) in html

    # The common list stays the city's: the township cannot change it, even by posting straight to it.
    edit = reverse("suggestions:category_update", args=[common.pk])
    assert client.post(edit, {"name": "农业", "order": 1, "is_active": "on"}).status_code == 404
    assert Category.objects.get(pk=common.pk).name == "农业农村"


def test_another_township_s_category_is_out_of_sight_and_reach(client, personas, city):
    other = Category.objects.create(name="三岔镇自设分类", region=_other_township())
    client.force_login(personas["township_b"])
    assert "三岔镇自设分类" not in client.get(reverse("suggestions:categories")).content.decode()
    assert client.get(reverse("suggestions:category_update", args=[other.pk])).status_code == 404
    # The city's officers read every congress's list but keep only the common one.
    client.force_login(personas["city"])
    assert "三岔镇自设分类" in client.get(reverse("suggestions:categories")).content.decode()
    assert client.get(reverse("suggestions:category_update", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["township", "deputy", "unit", "supervisor", "leader", "sysadmin"])
def test_roles_without_a_congress_desk_are_refused(client, personas, persona):
    client.force_login(personas[persona])  # `township` is 六角亭街道: a street has no congress
    for name in ("suggestions:categories", "suggestions:policies", "suggestions:policy_create"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("suggestions:category_create"), {"name": "x", "order": 1}).status_code == 403
    assert not Category.objects.filter(name="x").exists()


def test_the_township_s_periods_apply_to_its_suggestions_and_the_default_to_the_city_s(client, personas, city):
    client.force_login(personas["township_b"])
    response = client.post(reverse("suggestions:policy_create"), {"year": 2026, **PERIODS})
    assert response.status_code == 302
    own = Policy.objects.get(region=city.township_b)
    Policy.objects.create(year=2026, handling_months=3, due_soon_workdays=10)  # the default, kept by the city
    day = datetime.date(2026, 5, 1)
    assert sv.policy_for(day, city.township_congress_b) == own
    assert sv.policy_for(day, city.city_congress).region_id is None
    assert sv.policy_for(day).handling_months == 3
    assert sv.policy_for(datetime.date(2025, 5, 1), city.township_congress_b).pk is None  # the law's defaults
    # "Due soon" follows the congress's own period: 3 working days for the township, 10 for the city.
    assert deadlines.due_soon_limit(day, city.township_congress_b) < deadlines.due_soon_limit(day)

    # The same year twice: a clear message, nothing written.
    again = client.post(reverse("suggestions:policy_create"), {"year": 2026, **PERIODS})
    assert again.status_code == 400
    assert "本级人大该年度的办理期限已设置" in again.content.decode()
    assert Policy.objects.filter(region=city.township_b).count() == 1
    # The township reads the default row but cannot open it.
    default = Policy.objects.get(region__isnull=True)
    assert client.get(reverse("suggestions:policy_update", args=[default.pk])).status_code == 404


def _township_suggestion(city, personas):
    deputy = city.deputies_b[0]  # holds a city and a 白杨坪镇 mandate
    author = User.objects.create(username="d_b0", role=Role.DEPUTY, deputy=deputy, display_name=deputy.name)
    s = sv.suggestion_create(
        author=deputy,
        data={"title": "关于洞下槽村修建机耕道的建议", "proposals": "修建机耕道", "congress": city.township_congress_b},
        actor=author,
    )
    return sv.suggestion_submit(suggestion=s, actor=author)


def test_a_township_suggestion_is_registered_in_its_list_and_assigned_with_its_periods(personas, city):
    officer = personas["township_b"]
    Policy.objects.create(year=2026, region=city.township_b, **{**PERIODS, "handling_months": 1})
    tea = Category.objects.create(name="茶叶产业", region=city.township_b)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=TZ), tick=False):
        s = _township_suggestion(city, personas)
        assert tea in RegisterForm(suggestion=s).fields["category"].queryset
        s = sv.suggestion_register(suggestion=s, category=tea, actor=officer)
        office = HandlingUnit.objects.create(
            name="白杨坪镇农业服务中心", kind=UnitKind.GOVERNMENT, region=city.township_b
        )
        s = sv.suggestion_assign(suggestion=s, lead_unit=office, actor=officer)
    # One month, the township's own period (not the default three), counted from the assignment on 1 June.
    assert s.due_on == workdays.due_after_months(datetime.date(2026, 6, 1), 1)
    assert s.due_on < workdays.due_after_months(datetime.date(2026, 6, 1), 3)


def test_a_city_suggestion_cannot_take_a_township_s_category(personas, city, categories):
    tea = Category.objects.create(name="茶叶产业", region=city.township_b)
    author = personas["group"]  # the group leader, a city deputy of 六角亭街道
    s = sv.suggestion_create(author=author.deputy, data={"title": "关于x的建议", "proposals": "y"}, actor=author)
    s = sv.suggestion_submit(suggestion=s, actor=author)
    assert tea not in RegisterForm(suggestion=s).fields["category"].queryset
    with pytest.raises(Exception, match="不是.*在用的建议分类"):
        sv.suggestion_register(suggestion=s, category=tea, actor=personas["city"])
    s.refresh_from_db()
    assert s.number is None and s.category_id is None


def test_the_township_desk_has_its_settings_in_the_menu(client, personas):
    client.force_login(personas["township_b"])
    html = client.get(reverse("suggestions:desk")).content.decode()
    assert reverse("suggestions:categories") in html
    client.force_login(personas["township"])
    assert reverse("suggestions:categories") not in client.get("/").content.decode()


def _page_queries(client, name: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_the_settings_registers_queries_do_not_grow_with_their_rows(client, personas, city):
    client.force_login(personas["township_b"])
    Policy.objects.create(year=2026, region=city.township_b)
    few = {name: _page_queries(client, name) for name in ("suggestions:categories", "suggestions:policies")}
    Category.objects.bulk_create(Category(name=f"本镇分类{i}", order=30 + i, region=city.township_b) for i in range(15))
    Policy.objects.bulk_create(Policy(year=2000 + i, region=city.township_b) for i in range(1, 16))
    assert {name: _page_queries(client, name) for name in few} == few
