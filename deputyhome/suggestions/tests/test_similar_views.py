"""The fragments and pages: scope, staff-only actions, recorded routing choices, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.suggestions.models import HistoricalSuggestion, RoutingChoice, Suggestion

from .memory import at, make_suggestion, memory  # noqa: F401 - fixture
from .test_history_import import GOOD, xlsx


@pytest.mark.django_db
def test_typing_shows_similar_past_suggestions(memory, login, people):  # noqa: F811
    r = login(people["deputy"]).get(reverse("suggestions:similar"), {"title": "洞下槽村饮水安全"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "关于解决洞下槽村饮水安全的建议" in body and "市水利和湖泊局" in body and "%" in body


@pytest.mark.django_db
def test_similar_for_a_suggestion_outside_ones_scope_is_404(memory, login, people, city, session, categories):  # noqa: F811
    cats, _ = categories
    theirs = make_suggestion(city, people, session, "六角亭老旧小区改造", author=city.deputies_b[0], cats=cats)
    assert login(people["deputy"]).get(reverse("suggestions:similar"), {"pk": theirs.pk}).status_code == 404
    assert login(people["unit_b"]).get(reverse("suggestions:similar"), {"pk": theirs.pk}).status_code == 404
    assert login(people["city"]).get(reverse("suggestions:similar"), {"pk": theirs.pk}).status_code == 200


@pytest.mark.django_db
def test_routing_panel_and_confirmation_are_for_staff_and_recorded(memory, login, people, city, session, categories):  # noqa: F811
    cats, _ = categories
    s = make_suggestion(city, people, session, "西门社区饮水安全水源不足", cats=cats)
    url = reverse("suggestions:routing", args=[s.pk])
    for role in ("deputy", "township", "unit", "supervisor"):
        assert login(people[role]).get(url).status_code in (403, 404)
    r = login(people["city"]).get(url)
    assert r.status_code == 200 and "市水利和湖泊局" in r.content.decode() and "确认并交办" in r.content.decode()
    post = {"route-lead_unit": memory["water"].pk, "route-requirements": ""}
    assert login(people["deputy"]).post(reverse("suggestions:route_assign", args=[s.pk]), post).status_code == 403
    assert not RoutingChoice.objects.exists()
    r = login(people["city"]).post(reverse("suggestions:route_assign", args=[s.pk]), post)
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.state == "assigned"
    choice = RoutingChoice.objects.get()
    assert choice.chosen == [memory["water"].pk] and choice.accepted and choice.recommended[0] == memory["water"].pk


@pytest.mark.django_db
def test_register_through_the_routing_panel(memory, login, people, city, session, categories):  # noqa: F811
    cats, _ = categories
    s = make_suggestion(city, people, session, "关于法院执行难的建议", state="submitted")
    r = login(people["city"]).get(reverse("suggestions:routing", args=[s.pk]))
    assert "确认分类并立案" in r.content.decode()
    login(people["city"]).post(
        reverse("suggestions:route_register", args=[s.pk]), {"route-category": cats["政法与社会治理"].pk}
    )
    s.refresh_from_db()
    assert s.number == 1 and s.category == cats["政法与社会治理"]
    assert RoutingChoice.objects.get().kind == "category"


@pytest.mark.django_db
def test_merge_views_are_staff_only(memory, login, people, city, session, categories):  # noqa: F811
    cats, _ = categories
    lead = make_suggestion(city, people, session, "关于西门社区老旧小区改造的建议", cats=cats)
    dup = make_suggestion(city, people, session, "西门社区老旧小区改造", author=city.deputies_b[0], cats=cats)
    body = login(people["city"]).get(reverse("suggestions:similar"), {"pk": lead.pk}).content.decode()
    assert f'name="others" value="{dup.pk}"' in body
    url = reverse("suggestions:merge", args=[lead.pk])
    assert login(people["deputy"]).post(url, {"others": [dup.pk]}).status_code == 403
    assert login(people["city"]).post(url, {"others": [dup.pk]}).status_code == 302
    assert Suggestion.objects.get(pk=dup.pk).merged_into_id == lead.pk
    detail = login(people["city"]).get(dup.get_absolute_url()).content.decode()
    assert "本件已并案" in detail and "撤销并案" in detail
    assert login(people["township"]).post(reverse("suggestions:unmerge", args=[dup.pk])).status_code in (403, 404)
    login(people["city"]).post(reverse("suggestions:unmerge", args=[dup.pk]))
    assert Suggestion.objects.get(pk=dup.pk).merged_into_id is None


@pytest.mark.django_db
def test_history_list_is_scoped_and_constant_in_queries(memory, login, people, django_assert_max_num_queries):  # noqa: F811
    internal = HistoricalSuggestion.objects.get(is_public=False)
    client = login(people["deputy"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("suggestions:history")).content.decode()
    assert internal.title not in body and "导入往年交办清单" not in body
    HistoricalSuggestion.objects.bulk_create(
        [HistoricalSuggestion(year=2023, number=i, title=f"第{i}件", lead_unit=internal.lead_unit) for i in range(40)]
    )
    with django_assert_max_num_queries(12):
        client.get(reverse("suggestions:history"))
    assert internal.title in login(people["city"]).get(reverse("suggestions:history")).content.decode()
    assert login(people["sysadmin"]).get(reverse("suggestions:history")).status_code == 403


@pytest.mark.django_db
def test_history_import_page_flow(login, people, city, categories):
    url = reverse("suggestions:history_import")
    assert login(people["township"]).get(url).status_code == 403
    client = login(people["city"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [GOOD[0], [2, 2025, 2, "执行难", "", "", "市法院", "", "", ""]]
    r = client.post(url, {"file": SimpleUploadedFile("l.xlsx", xlsx(rows))})
    assert r.status_code == 200 and "单位名称对应" in r.content.decode()
    r = client.post(url, {"map_0": city.unit_b.pk, "confirm": "0"})
    assert "确认导入" in r.content.decode()
    r = client.post(url, {"map_0": city.unit_b.pk, "confirm": "1"})
    assert r.status_code == 302 and HistoricalSuggestion.objects.count() == 2
    bad = client.post(
        url, {"file": SimpleUploadedFile("l.xlsx", xlsx([[1, 2025, 9, "", "", "", "市法院", "", "", ""]]))}
    )
    assert bad.status_code == 400 and "第3行「标题」：不能为空" in bad.content.decode()
    assert HistoricalSuggestion.objects.count() == 2


@pytest.mark.django_db
def test_retrain_on_demand_is_staff_only(memory, login, people):  # noqa: F811
    url = reverse("suggestions:retrain")
    assert login(people["deputy"]).post(url).status_code == 403
    assert login(people["city"]).post(url).status_code == 302
