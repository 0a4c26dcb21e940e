"""Pages: each list and detail renders for the roles that may open it; actions go through the services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from deputyhome.activities import services
from deputyhome.activities.choices import ProblemStatus
from deputyhome.activities.models import Activity, Problem

from .conftest import LIST_PAGES, fake_jpg, png

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", LIST_PAGES)
def test_lists_render_for_city_and_township(name, login, personas, problem, problem_b):
    for who in ("city", "township", "group", "deputy", "supervisor"):
        response = login(personas[who]).get(reverse(name))
        assert response.status_code == 200, (who, name)


@pytest.mark.parametrize("name", [n for n in LIST_PAGES if n != "activities:referral_list"])
def test_unit_clerk_and_admins_refused(name, login, personas):
    for who in ("unit", "sysadmin", "auditor"):
        assert login(personas[who]).get(reverse(name)).status_code == 403


def test_admins_refused_referrals(login, personas):
    assert login(personas["sysadmin"]).get(reverse("activities:referral_list")).status_code == 403


def test_anonymous_redirected(client):
    response = client.get(reverse("activities:activity_list"))
    assert response.status_code == 302 and "login" in response.url


def test_forms_render(login, personas, activity, problem, city):
    c = login(personas["city"])
    for url in (
        reverse("activities:activity_create"),
        reverse("activities:activity_update", args=[activity.pk]),
        reverse("activities:problem_create") + f"?activity={activity.pk}",
        reverse("activities:problem_update", args=[problem.pk]),
        reverse("activities:output_create", args=[activity.pk]),
        reverse("activities:campaign_create"),
        reverse("activities:assessment_create"),
        reverse("activities:standard_create"),
        reverse("activities:rule_create"),
        reverse("activities:activity_delete", args=[activity.pk]),
        reverse("activities:problem_action", args=[problem.pk, "close"]),
        reverse("activities:problem_action", args=[problem.pk, "forward"]),
        reverse("activities:problem_action", args=[problem.pk, "to_suggestion"]),
        reverse("activities:activity_detail", args=[activity.pk]),
        reverse("activities:problem_detail", args=[problem.pk]),
    ):
        assert c.get(url).status_code == 200, url


def _post_activity(c, city, **fields):
    """The new-activity form: a visit in 六角亭街道 on 4 March 2025 at "x", with `fields` added or changed."""
    data = {"kind": "visit", "level": "township", "region": city.township_a.pk, "date": "2025-03-04", "place": "x"}
    return c.post(reverse("activities:activity_create"), {**data, **fields})


def test_activity_create_through_page(login, personas, city):
    c = login(personas["township"])
    response = _post_activity(
        c,
        city,
        kind="inspection",
        place="六角亭街道办事处",
        topic="老城改造视察",
        present=[d.pk for d in city.deputies_a[:2]],
        excused=[city.deputies_a[2].pk],
        photos=[png("现场.png")],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(topic="老城改造视察")
    assert activity.region == city.township_a
    assert sorted(activity.participations.values_list("attendance", flat=True)) == ["excused", "present", "present"]
    assert activity.photos.count() == 1
    detail = c.get(activity.get_absolute_url())
    assert "老城改造视察" in detail.content.decode()


def test_activity_same_deputy_twice_refused(login, personas, city):
    c = login(personas["township"])
    response = _post_activity(c, city, topic="y", present=[city.deputies_a[0].pk], absent=[city.deputies_a[0].pk])
    assert response.status_code == 400
    assert "同一名代表" in response.content.decode()
    assert not Activity.objects.exists()


def test_activity_photo_renamed_non_image_refused(login, personas, city, media):
    c = login(personas["township"])
    response = _post_activity(c, city, topic="带假照片的活动", photos=[fake_jpg("现场.jpg")])
    assert response.status_code == 400
    assert "不是有效的图片文件" in response.content.decode()
    assert not Activity.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_problem_actions_through_pages(login, personas, problem, city):
    c = login(personas["township"])
    url = reverse("activities:problem_action", args=[problem.pk, "forward"])
    assert "确认" in c.get(url).content.decode()
    response = c.post(url, {"unit": city.unit_a.pk})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.FORWARDED
    # a second action on the same problem is refused with a message
    response = c.post(reverse("activities:problem_action", args=[problem.pk, "close"]), {"note": "x"}, follow=True)
    assert "已处理" in response.content.decode()


def test_close_needs_a_note(login, personas, problem):
    c = login(personas["township"])
    response = c.post(reverse("activities:problem_action", args=[problem.pk, "close"]), {"note": ""})
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_deputy_cannot_act_on_problems(login, personas, problem):
    c = login(personas["group"])
    assert c.get(reverse("activities:problem_detail", args=[problem.pk])).status_code == 200
    assert c.post(reverse("activities:problem_action", args=[problem.pk, "to_suggestion"])).status_code == 403
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_referral_inbox_and_reply(login, personas, problem, city):
    referral = services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])
    c = login(personas["unit"])
    inbox = c.get(reverse("activities:referral_list")).content.decode()
    assert referral.title in inbox and "收件箱" in inbox
    page = c.get(referral.get_absolute_url()).content.decode()
    assert "提交答复" in page
    response = c.post(reverse("activities:referral_reply", args=[referral.pk]), {"text": "已修复路灯。"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.reply == "已修复路灯。"
    # the township officer sees the reply on the problem page
    text = login(personas["township"]).get(problem.get_absolute_url()).content.decode()
    assert "已修复路灯。" in text


def test_referral_reply_empty_refused(login, personas, problem, city):
    referral = services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])
    response = login(personas["unit"]).post(reverse("activities:referral_reply", args=[referral.pk]), {"text": " "})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "open"


def test_output_upload_checked(login, personas, activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(personas["township"])
    url = reverse("activities:output_create", args=[activity.pk])
    fake = SimpleUploadedFile("报告.pdf", b"not a pdf at all", content_type="application/pdf")
    response = c.post(url, {"kind": "research_report", "title": "调研报告", "date": "2025-05-01", "upload": fake})
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()
    assert not activity.outputs.exists()
    real = SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    response = c.post(url, {"kind": "research_report", "title": "调研报告", "date": "2025-05-01", "upload": real})
    assert response.status_code == 302
    output = activity.outputs.get()
    assert output.file_name == "报告.pdf"
    assert c.get(reverse("activities:output_file", args=[output.pk])).status_code == 200


def test_stats_page_bad_year(login, personas):
    response = login(personas["city"]).get(reverse("activities:stats") + "?year=abc")
    assert response.status_code == 400
    assert "年度参数无效" in response.content.decode()


def test_problem_create_page(login, personas, activity, city):
    c = login(personas["group"])
    response = c.post(
        reverse("activities:problem_create"),
        {
            "text": "社区停车难",
            "place": "西门社区",
            "deputy": city.deputies_a[0].pk,
            "activity": activity.pk,
            "date": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Problem.objects.get(text="社区停车难").region == city.township_a


def test_own_deputy_may_only_propose(login, personas, problem):
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    own = User.objects.create(username="own", role=Role.DEPUTY, deputy=problem.deputy)
    c = login(own)
    page = c.get(problem.get_absolute_url()).content.decode()
    assert "形成代表建议" in page and "转交承办单位" not in page
    assert c.post(reverse("activities:problem_action", args=[problem.pk, "close"]), {"note": "x"}).status_code == 403
    response = c.post(reverse("activities:problem_action", args=[problem.pk, "to_suggestion"]))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SUGGESTION and problem.suggestion.created_by == own


def test_editing_a_problem_keeps_an_activity_older_than_the_choices(login, personas, city):
    """The activity field offers the last two years; a problem from an older activity keeps it when edited."""
    from .conftest import make_activity

    old = make_activity(
        personas["township"],
        city.deputies_a[:2],
        {
            "kind": "visit",
            "level": "group",
            "group": city.group_a,
            "date": datetime.date(2022, 5, 6),
            "place": "x",
            "topic": "三年前的走访",
        },
    )
    problem = services.problem_create(
        data={"text": "老桥栏杆松动", "place": "老桥", "deputy": city.deputies_a[0], "activity": old},
        actor=personas["township"],
    )
    c = login(personas["township"])
    url = reverse("activities:problem_update", args=[problem.pk])
    form = c.get(url).content.decode()
    assert f'<option value="{old.pk}" selected>2022-05-06 三年前的走访</option>' in form
    data = {"text": "老桥栏杆松动，已有人受伤", "place": "老桥", "deputy": city.deputies_a[0].pk, "activity": old.pk}
    response = c.post(url, {**data, "date": problem.date.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    problem.refresh_from_db()
    assert problem.activity_id == old.pk and problem.text.endswith("已有人受伤")
