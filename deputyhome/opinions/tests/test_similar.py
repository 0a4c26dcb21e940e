"""Similar open voter opinions of the same township, on an opinion's page (htmx fragment)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputyhome.opinions import services
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.models import Opinion
from deputyhome.opinions.similar import similar_open

pytestmark = pytest.mark.django_db

LAMPS = "六角亭村口的路灯坏了三个月，晚上出行很不方便，请尽快修复路灯。"


def test_the_similar_open_opinion_of_the_township_is_listed_with_code_state_date_and_link(
    login, personas, make_opinion, city
):
    me = make_opinion(content=LAMPS)
    twin = make_opinion(content="村口路灯坏了很久，晚上出行不方便，希望修复路灯。")
    unrelated = make_opinion(content="学校门口的早餐摊占道经营，影响学生上学。")
    html = login(personas["township"]).get(reverse("opinions:similar", args=[me.pk])).content.decode()
    assert twin.code_display in html and twin.get_absolute_url() in html
    assert twin.get_status_display() in html and twin.received_on.strftime("%Y-%m-%d") in html
    assert unrelated.code_display not in html
    assert me.code_display not in html  # not itself
    # The page loads the fragment through htmx, no inline script.
    page = login(personas["township"]).get(reverse("opinions:detail", args=[me.pk])).content.decode()
    assert reverse("opinions:similar", args=[me.pk]) in page and 'hx-trigger="load"' in page


def test_never_another_townships_opinion_nor_a_closed_one(personas, make_opinion, city):
    me = make_opinion(content=LAMPS)
    other_township = make_opinion(station=city.station_b, content=LAMPS)
    closed = make_opinion(content=LAMPS)
    services.opinion_merge(opinion=closed, into=me, actor=personas["city"])
    open_twin = make_opinion(content=LAMPS)
    assert other_township.region_id != me.region_id
    me.refresh_from_db()
    # Even the city officer, who sees both townships, gets only this township's open opinions.
    found = [i.obj.pk for i in similar_open(user=personas["city"], opinion=me)]
    assert found == [open_twin.pk]
    assert Opinion.objects.get(pk=closed.pk).status == OpinionStatus.MERGED


def test_another_township_officer_is_refused_the_fragment(login, personas, make_opinion):
    me = make_opinion(content=LAMPS)
    response = login(personas["township_b"]).get(reverse("opinions:similar", args=[me.pk]))
    assert response.status_code == 404


def test_the_merge_button_merges_into_the_listed_opinion(login, personas, make_opinion):
    me = make_opinion(content=LAMPS)
    twin = make_opinion(content="村口路灯坏了很久，晚上出行不方便，希望修复路灯。")
    c = login(personas["township"])
    html = c.get(reverse("opinions:similar", args=[me.pk])).content.decode()
    assert "合并到此意见" in html and f'name="into" value="{twin.pk}"' in html
    response = c.post(reverse("opinions:act", args=[me.pk, "merge"]), {"into": twin.pk})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.status == OpinionStatus.MERGED and me.duplicate_of_id == twin.pk


def test_a_reader_sees_the_list_without_the_merge_button(login, personas, make_opinion):
    me = make_opinion(content=LAMPS)
    make_opinion(content=LAMPS)
    html = login(personas["supervisor"]).get(reverse("opinions:similar", args=[me.pk])).content.decode()
    assert "相似度" in html and "合并到此意见" not in html


def test_a_township_with_a_thousand_open_opinions_answers_fast_in_few_queries(login, personas, make_opinion, city):
    me = make_opinion(content=LAMPS)
    twin = make_opinion(content="村口路灯坏了很久，晚上出行不方便，希望修复路灯。")
    topics = ["路灯", "饮水", "道路", "学校", "卫生室", "茶叶", "移民搬迁", "河堤", "信号", "养老"]
    Opinion.objects.bulk_create(
        [
            Opinion(
                tracking_code=f"T{i:07d}",
                station=me.station,
                region=me.region,
                content=f"第{i}组反映{topics[i % 10]}问题，{topics[(i * 7) % 10]}也需要改善，请相关部门处理。",
                received_on=me.received_on,
            )
            for i in range(1000)
        ]
    )
    c = login(personas["township"])
    url = reverse("opinions:similar", args=[me.pk])
    c.get(url)  # the tokeniser's first load
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = c.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200 and twin.code_display in response.content.decode()
    assert len(queries) <= 12, [q["sql"] for q in queries]
    assert elapsed < 3.0, elapsed
