"""Journeys a new user hit (issue 14): merging into a similar opinion, the public page after a refresh."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.models import Opinion

pytestmark = pytest.mark.django_db


def test_merge_through_the_page_succeeds(login, personas, make_opinion):
    first = make_opinion(content="西门路口红绿灯时间太短。")
    second = make_opinion(content="西门路口红绿灯太短，老人过不去。", address="10.0.0.2")
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[second.pk, "merge"]), {"into": first.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    second.refresh_from_db()
    assert second.status == OpinionStatus.MERGED and second.duplicate_of == first
    assert AuditEvent.objects.filter(action="opinion.merge", object_id=str(second.pk)).exists()


def test_merge_picker_searches_every_candidate_in_scope(login, personas, make_opinion, city):
    target = make_opinion(content="菜市场的下水道堵了。", address="10.0.1.1")
    for i in range(12):
        make_opinion(content=f"路灯坏了第{i}盏。", address=f"10.0.2.{i}")
    opinion = make_opinion(content="菜市场下水道堵塞。", address="10.0.3.1")
    theirs = make_opinion(station=city.station_b, content="白杨坪菜市场下水道。", address="10.0.4.1")
    c = login(personas["township"])
    page = c.get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert target.code_display not in page  # only the latest few before anything is typed
    url = reverse("opinions:merge_candidates", args=[opinion.pk])
    found = c.get(url, {"q": "下水道"}, headers={"HX-Request": "true"}).content.decode()
    assert target.code_display in found and theirs.code_display not in found and opinion.code_display not in found
    by_code = c.get(url, {"q": target.tracking_code[:6].lower()}).content.decode()
    assert target.code_display in by_code
    assert c.get(reverse("opinions:merge_candidates", args=[theirs.pk]), {"q": "x"}).status_code == 404
    assert login(personas["supervisor"]).get(url, {"q": "x"}).status_code == 403


def test_a_refused_merge_shows_its_error_first(login, personas, make_opinion, city):
    opinion = make_opinion()
    theirs = make_opinion(station=city.station_b, content="白杨坪的意见", address="10.0.0.3")
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[opinion.pk, "merge"]), {"into": theirs.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.index("所选意见不能作为合并目标") < html.index("反映内容")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.NEW and not Opinion.objects.filter(status=OpinionStatus.MERGED).exists()
