"""Station standards: scoring, pass/fail by the year's mark, the assessment form and the overview."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.activities import scoring, services
from deputyhome.activities.choices import ItemStatus
from deputyhome.activities.models import EvidencePhoto, StandardItem, StationAssessment

from .conftest import fake_jpg, png


def test_score_arithmetic():
    assert scoring.score([(10, "met"), (10, "met")]) == Decimal("100.0")
    assert scoring.score([(10, "met"), (10, "partly")]) == Decimal("75.0")
    assert scoring.score([(10, "not_met"), (5, "met")]) == Decimal("33.3")
    assert scoring.score([]) == Decimal("0.0")
    assert scoring.passes(Decimal("80.0"), 80) and not scoring.passes(Decimal("79.9"), 80)


@pytest.mark.django_db
def test_default_checklist_loaded():
    items = StandardItem.objects.filter(is_active=True)
    assert items.count() == 14
    assert sum(i.points for i in items) == 100
    assert {i.label for i in items.filter(group="five_haves")} == {"有平台", "有制度", "有活动", "有效果", "有看点"}
    assert {i.label for i in items.filter(group="five_uniforms")} == {
        "统一挂牌",
        "统一制度",
        "统一台账",
        "统一标识",
        "统一布置",
    }
    assert items.filter(group="norms").count() == 4


def _results(statuses: dict[str, str] | None = None, photos=None):
    statuses = statuses or {}
    return [
        {
            "item": i,
            "status": statuses.get(i.code, ItemStatus.MET),
            "notes": "",
            "photos": (photos or {}).get(i.code, []),
        }
        for i in StandardItem.objects.filter(is_active=True)
    ]


def _assess(station, statuses: dict[str, str], actor):
    """`station`'s assessment of 2025 (on 1 June), with these items not fully met."""
    return services.assessment_save(
        station=station, year=2025, assessed_on=datetime.date(2025, 6, 1), results=_results(statuses), actor=actor
    )


@pytest.mark.django_db
def test_assessment_scores_and_passes(city, personas):
    a = services.assessment_save(
        station=city.station_a,
        year=2025,
        assessed_on=datetime.date(2025, 6, 1),
        results=_results({"WY-3": "not_met", "TY-3": "partly"}),  # -10, -3
        actor=personas["township"],
    )
    assert a.score == Decimal("87.0") and a.passed and a.pass_score == 80
    failing = services.assessment_save(
        station=city.home_a,
        year=2025,
        assessed_on=datetime.date(2025, 6, 1),
        results=_results({"WY-3": "not_met", "WY-4": "not_met", "GF-1": "partly"}),  # -10 -10 -2.5
        actor=personas["township"],
    )
    assert failing.score == Decimal("77.5") and not failing.passed
    from deputyhome.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="stationassessment.create", object_id=str(a.pk)).exists()


@pytest.mark.django_db
def test_pass_mark_per_year(city, personas):
    services.assessment_policy_set(year=2024, pass_score=90, actor=personas["city"])

    def assess(station, results):
        return services.assessment_save(
            station=station,
            year=2025,
            assessed_on=datetime.date(2025, 6, 1),
            results=_results(results),
            actor=personas["city"],
        )

    a = assess(city.station_a, {"WY-3": "not_met"})
    assert a.score == Decimal("90.0") and a.pass_score == 90 and a.passed
    b = assess(city.home_a, {"WY-3": "partly", "TY-1": "partly"})
    assert b.score == Decimal("92.0") and b.passed
    c = assess(city.station_b, {"WY-3": "not_met", "GF-1": "partly"})
    assert c.score == Decimal("87.5") and not c.passed
    assert services.pass_score_for(2023) == 80


@pytest.mark.django_db
def test_every_item_needs_a_result(city, personas):
    results = _results()[:-1]
    with pytest.raises(ValidationError, match="请为每一项填写评估结果"):
        services.assessment_save(
            station=city.station_a,
            year=2025,
            assessed_on=datetime.date(2025, 6, 1),
            results=results,
            actor=personas["city"],
        )
    assert not StationAssessment.objects.exists()


@pytest.mark.django_db
def test_one_assessment_per_station_and_year(city, personas):
    kwargs = {
        "station": city.station_a,
        "year": 2025,
        "assessed_on": datetime.date(2025, 6, 1),
        "actor": personas["city"],
    }
    services.assessment_save(results=_results(), **kwargs)
    with pytest.raises(ValidationError, match="已存在"):
        services.assessment_save(results=_results(), **kwargs)
    assert StationAssessment.objects.count() == 1


@pytest.mark.django_db
def test_renamed_non_image_refused_nothing_stored(city, personas, media):
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        services.assessment_save(
            station=city.station_a,
            year=2025,
            assessed_on=datetime.date(2025, 6, 1),
            results=_results(photos={"WY-1": [png("ok.png"), fake_jpg("挂牌.jpg")]}),
            actor=personas["city"],
        )
    assert not StationAssessment.objects.exists() and not EvidencePhoto.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_oversized_photo_refused(city, personas, settings):
    from deputyhome.activities import uploads

    big = png("big.png")
    big.size = uploads.MAX_PHOTO_BYTES + 1
    with pytest.raises(ValidationError, match="超过 10MB"):
        uploads.check_photo(big)


@pytest.mark.django_db
def test_assessment_form_page_all_items_on_one_page(login, personas, city, media):
    c = login(personas["township"])
    items = list(StandardItem.objects.filter(is_active=True))
    page = c.get(reverse("activities:assessment_create")).content.decode()
    for i in items:
        assert i.label in page
    data = {"station": city.station_a.pk, "year": 2025, "assessed_on": "2025-06-01", "notes": "总体较好"}
    data.update({f"status_{i.pk}": "met" for i in items})
    wy1 = next(i for i in items if i.code == "WY-1")
    # A renamed file is refused with a clear message; nothing is written.
    bad = dict(data, **{f"photos_{wy1.pk}": fake_jpg("牌子.jpg")})
    response = c.post(reverse("activities:assessment_create"), bad)
    assert response.status_code == 400
    assert "“牌子.jpg”不是有效的图片文件" in response.content.decode()
    assert not StationAssessment.objects.exists()
    # A missing status is pointed out at its item.
    missing = {k: v for k, v in data.items() if k != f"status_{wy1.pk}"}
    assert c.post(reverse("activities:assessment_create"), missing).status_code == 400
    # A good photo goes in.
    good = dict(data, **{f"photos_{wy1.pk}": png("牌子.png")})
    response = c.post(reverse("activities:assessment_create"), good)
    assert response.status_code == 302
    a = StationAssessment.objects.get()
    assert a.score == Decimal("100.0") and a.passed
    photo = EvidencePhoto.objects.get()
    assert c.get(reverse("activities:evidence_photo", args=[photo.pk])).status_code == 200
    assert login(personas["township_b"]).get(reverse("activities:evidence_photo", args=[photo.pk])).status_code == 404
    detail = login(personas["township"]).get(a.get_absolute_url()).content.decode()
    assert "牌子.png" in detail and "达标" in detail


@pytest.mark.django_db
def test_overview_shows_who_falls_short_on_what(login, personas, city):
    _assess(city.station_a, {"WY-3": "not_met", "WY-4": "not_met", "TY-3": "not_met"}, personas["city"])
    _assess(city.station_b, {"GF-3": "partly"}, personas["city"])
    c = login(personas["city"])
    page = c.get(reverse("activities:assessment_overview"), {"year": 2025}).content.decode()
    assert "未达标的家站" in page and city.station_a.name in page
    figures = {label: n for n, label in re.findall(r'<div class="n[^"]*">(\d+)</div><div class="l">(\w+)</div>', page)}
    assert figures == {"家站": "4", "已评估": "2", "达标": "1", "未达标": "1", "尚未评估": "2"}
    cell = '<td data-label="标准项">{}</td>'
    assert cell.format("五有·有活动") in page and cell.format("五统一·统一台账") in page
    assert cell.format("站点规范·接待提前公告") in page
    # filter by township and by item
    page = c.get(
        reverse("activities:assessment_overview"), {"year": 2025, "township": city.township_b.pk}
    ).content.decode()
    assert cell.format("站点规范·接待提前公告") in page and cell.format("五统一·统一台账") not in page
    gf3 = StandardItem.objects.get(code="GF-3")
    page = c.get(reverse("activities:assessment_overview"), {"year": 2025, "item": gf3.pk}).content.decode()
    assert "共 1 条" in page
    # the township officer of A sees only A
    page = login(personas["township"]).get(reverse("activities:assessment_overview"), {"year": 2025}).content.decode()
    assert city.station_b.name not in page


@pytest.mark.django_db
def test_overview_links_every_failing_station_when_it_names_only_the_lowest(login, personas, city, monkeypatch):
    from deputyhome.activities.views import standards as views

    for station, shortfalls in (
        (city.station_a, ("WY-3", "WY-4", "TY-3")),
        (city.station_b, ("WY-3", "WY-4", "TY-3", "GF-3")),
    ):
        services.assessment_save(
            station=station,
            year=2025,
            assessed_on=datetime.date(2025, 6, 1),
            results=_results(dict.fromkeys(shortfalls, "not_met")),
            actor=personas["city"],
        )
    c = login(personas["city"])
    page = c.get(reverse("activities:assessment_overview"), {"year": 2025}).content.decode()
    assert "查看全部" not in page  # both failing stations named
    monkeypatch.setattr(views, "FAILING_SHOWN", 1)
    page = c.get(reverse("activities:assessment_overview"), {"year": 2025}).content.decode()
    named = page.split("未完全达标的标准项")[0]
    assert "（得分最低的1个）" in named and city.station_b.name in named and city.station_a.name not in named
    link = re.search(r'<a href="([^"]+)">查看全部2个未达标家站', page)
    listed = c.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "共 2 条" in listed and listed.index(city.station_b.name) < listed.index(city.station_a.name)
    # Within a township: 白杨坪镇's one failing station is named, no link.
    page = c.get(reverse("activities:assessment_overview"), {"year": 2025, "township": city.township_b.pk})
    assert "查看全部" not in page.content.decode()


@pytest.mark.django_db
def test_overview_pages_through_the_stations_not_yet_assessed(login, personas, city, monkeypatch):
    from deputyhome.activities.views import standards as views

    monkeypatch.setattr(views, "NOT_ASSESSED_SHOWN", 3)
    c = login(personas["city"])
    names = []
    for number in (1, 2):
        page = c.get(reverse("activities:assessment_overview"), {"year": 2025, "npage": number}).content.decode()
        assert "年度尚未评估的家站（4）" in page and f"第 {number} / 2 页" in page
        section = page.split("年度尚未评估的家站")[1]
        names += re.findall(r"station=\d+&amp;year=2025\">([^<]+)</a>", section)
    assert sorted(names) == sorted(s.name for s in (city.home_a, city.home_b, city.station_a, city.station_b))
    assert (
        'href="?year=2025&amp;npage=2"'
        in c.get(reverse("activities:assessment_overview"), {"year": 2025}).content.decode()
    )


@pytest.mark.django_db
def test_checklist_admin_city_only(login, personas):
    assert login(personas["township"]).get(reverse("activities:standard_create")).status_code == 403
    c = login(personas["city"])
    response = c.post(
        reverse("activities:standard_create"),
        {
            "group": "norms",
            "code": "GF-5",
            "label": "代表履职档案",
            "description": "",
            "points": 5,
            "order": 20,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert StandardItem.objects.filter(code="GF-5").exists()
    bad = c.post(
        reverse("activities:standard_create"),
        {"group": "norms", "code": "GF-6", "label": "x", "points": 0, "order": 1},
    )
    assert bad.status_code == 400 and "分值应在1至100之间" in bad.content.decode()


@pytest.mark.django_db
def test_rules_versions_and_postings(login, personas, city):
    c = login(personas["city"])
    c.post(
        reverse("activities:rule_create"), {"title": "代表联系接待选民制度", "category": "reception", "is_active": "on"}
    )
    from deputyhome.activities.models import Rule, RulePosting

    rule = Rule.objects.get()
    r = c.post(
        reverse("activities:rule_version_create", args=[rule.pk]),
        {"version": "2022年版", "effective_on": "2022-03-01", "text": "每月至少接待一次。"},
    )
    assert r.status_code == 302
    version = rule.versions.get()
    r = c.post(
        reverse("activities:posting_create", args=[rule.pk]),
        {"version": version.pk, "stations": [city.station_a.pk, city.home_a.pk], "posted_on": "2022-04-01"},
    )
    assert r.status_code == 302
    assert RulePosting.objects.count() == 2
    page = c.get(rule.get_absolute_url()).content.decode()
    assert city.station_a.name in page and "尚未上墙现行版本的家站（2）" in page
    # A duplicate version name is refused in Chinese.
    r = c.post(
        reverse("activities:rule_version_create", args=[rule.pk]),
        {"version": "2022年版", "effective_on": "2023-03-01", "text": "x"},
    )
    assert r.status_code == 400 and "已有版本" in r.content.decode()


@pytest.mark.django_db
def test_the_checklist_shows_the_saved_and_the_refused_values_again(login, personas, city, media):
    """The checklist's rows are written by the template itself: they still carry what was chosen and typed."""
    c = login(personas["township"])
    items = list(StandardItem.objects.filter(is_active=True))
    first, second = items[0], items[1]
    data = {"station": city.station_a.pk, "year": 2025, "assessed_on": "2025-06-01"}
    data.update({f"status_{i.pk}": "met" for i in items})
    data.update({f"status_{second.pk}": "partly", f"notes_{second.pk}": "公示栏<未更新>"})
    refused = {k: v for k, v in data.items() if k != f"status_{first.pk}"}
    html = c.post(reverse("activities:assessment_create"), refused).content.decode()
    assert f'name="status_{first.pk}" value="met" required id="id_status_{first.pk}_0">' in html  # none chosen
    assert f'value="partly" required id="id_status_{second.pk}_1" checked>' in html
    assert 'value="公示栏&lt;未更新&gt;"' in html and "请选择评估结果" in html
    assert c.post(reverse("activities:assessment_create"), data).status_code == 302
    a = StationAssessment.objects.get()
    html = c.get(reverse("activities:assessment_update", args=[a.pk])).content.decode()
    assert f'value="met" required id="id_status_{first.pk}_0" checked>' in html
    assert f'value="partly" required id="id_status_{second.pk}_1" checked>' in html
    assert 'value="公示栏&lt;未更新&gt;"' in html
    assert f'<input type="file" name="photos_{first.pk}" multiple id="id_photos_{first.pk}">' in html


@pytest.mark.django_db
def test_the_overviews_township_is_one_of_the_users(personas, city):
    """`standards_year` narrows to a township of the user's; another's id narrows to nothing of it (the user's
    own stations are counted, and no township is named for the link to every failing station)."""
    from deputyhome.activities import selectors

    everyone = selectors.standards_year(user=personas["city"], year=2025)
    b = selectors.standards_year(user=personas["city"], year=2025, township_id=city.township_b.pk)
    assert everyone.township is None and b.township == city.township_b
    assert set(b.stations) == {s for s in everyone.stations if s.region.code.startswith(city.township_b.code)}
    assert set(b.stations) < set(everyone.stations)
    officer = personas["township"]
    other = selectors.standards_year(user=officer, year=2025, township_id=city.township_b.pk)
    own = selectors.standards_year(user=officer, year=2025)
    assert other.township is None and set(other.stations) == set(own.stations)
    assert all(s.region.code.startswith(city.township_a.code) for s in own.stations)


@pytest.mark.django_db
def test_one_townships_officer_reads_the_failing_stations_without_a_township_column(login, personas, city):
    _assess(city.station_a, {"WY-3": "not_met", "WY-4": "not_met", "TY-3": "not_met"}, personas["city"])
    url = reverse("activities:assessment_overview")
    page = login(personas["township"]).get(url, {"year": 2025}).content.decode()
    failing = page.split("未达标的家站</h2>")[1].split("</table>")[0]
    assert city.station_a.name in failing and "乡镇（街道）" not in failing
    page = login(personas["city"]).get(url, {"year": 2025}).content.decode()
    failing = page.split("未达标的家站</h2>")[1].split("</table>")[0]
    assert city.station_a.name in failing and '<td data-label="乡镇（街道）">' in failing
