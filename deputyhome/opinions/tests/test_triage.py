"""Triage by staff and deputies: reply, forward (fast lane), merge, problem, suggestion; scopes; audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.activities.models import Problem, Referral
from deputyhome.activities.services import referral_reply
from deputyhome.audit.models import AuditEvent
from deputyhome.opinions import selectors, services
from deputyhome.opinions.choices import OpinionStatus
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def _status(client, opinion) -> str:
    return client.post(reverse("opinions:track"), {"code": opinion.tracking_code}).content.decode()


def test_reply_through_the_page(login, personas, make_opinion, client):
    opinion = make_opinion()
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[opinion.pk, "reply"]), {"text": "已安排维修。"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.REPLIED and opinion.replied_by == personas["township"]
    assert AuditEvent.objects.filter(action="opinion.reply", object_id=str(opinion.pk)).exists()
    c.logout()
    assert "已安排维修" in _status(client, opinion)


def test_forward_to_a_unit_and_the_unit_reply_reaches_the_citizen(login, personas, make_opinion, city, client):
    opinion = make_opinion()
    c = login(personas["township"])
    response = c.post(reverse("opinions:act", args=[opinion.pk, "forward"]), {"unit": city.unit_a.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.FORWARDED
    referral = Referral.objects.get()
    assert opinion.referral == referral and referral.unit == city.unit_a and referral.region == city.township_a
    c.logout()
    assert "已转交市住房和城乡建设局办理" in _status(client, opinion)
    referral_reply(referral=referral, text="路灯已于本周更换。", actor=personas["unit"])
    html = _status(client, opinion)
    assert "单位已答复" in html and "路灯已于本周更换" in html and "市住房和城乡建设局的答复" in html


def test_forward_does_not_send_the_citizens_name_or_phone(personas, make_opinion, city):
    opinion = make_opinion(name="赵六", phone="13811112222")
    services.opinion_forward(opinion=opinion, unit=city.unit_a, actor=personas["city"])
    referral = Referral.objects.get()
    assert "赵六" not in referral.content + referral.title and "13811112222" not in referral.content


def test_merge_shows_the_merged_ones_status(personas, make_opinion, client):
    first = make_opinion(content="西门路口红绿灯时间太短。")
    second = make_opinion(content="西门路口红绿灯太短，老人过不去。", address="10.0.0.2")
    services.opinion_merge(opinion=second, into=first, actor=personas["township"])
    second.refresh_from_db()
    assert second.status == OpinionStatus.MERGED and second.duplicate_of == first
    services.opinion_reply(opinion=first, text="已请交警部门延长绿灯时间。", actor=personas["township"])
    html = _status(client, second)
    assert "合并处理" in html and "延长绿灯时间" in html
    assert first.tracking_code not in html and first.code_display not in html
    assert "老人过不去" not in html and "时间太短" not in html
    with pytest.raises(ValidationError):
        services.opinion_reply(opinion=second, text="x", actor=personas["township"])
    with pytest.raises(ValidationError):
        services.opinion_merge(opinion=first, into=second, actor=personas["township"])


def test_to_problem_and_then_suggestion(personas, make_opinion, city):
    opinion = make_opinion(deputy=city.deputies_a[1], station=None)
    services.opinion_to_problem(opinion=opinion, actor=personas["township"])
    opinion.refresh_from_db()
    problem = Problem.objects.get()
    assert opinion.status == OpinionStatus.PROBLEM and opinion.problem == problem
    assert problem.deputy == city.deputies_a[1] and problem.region == city.township_a
    services.opinion_to_suggestion(opinion=opinion, actor=personas["township"])
    opinion.refresh_from_db()
    problem.refresh_from_db()
    assert opinion.status == OpinionStatus.SUGGESTION
    assert opinion.suggestion == problem.suggestion
    assert opinion.suggestion.author == city.deputies_a[1] and opinion.suggestion.state == State.DRAFT


def test_deputy_turns_an_opinion_addressed_to_them_into_their_own_draft(login, personas, make_opinion, city):
    deputy_user = personas["deputy"]
    opinion = make_opinion(deputy=deputy_user.deputy, station=None, content="建议在学校门口设减速带。\n孩子多。")
    c = login(deputy_user)
    assert c.get(reverse("opinions:detail", args=[opinion.pk])).status_code == 200
    response = c.post(reverse("opinions:act", args=[opinion.pk, "to_suggestion"]), {"deputy": deputy_user.deputy_id})
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.author == deputy_user.deputy and suggestion.title == "建议在学校门口设减速带"
    assert "孩子多" in suggestion.situation
    assert AuditEvent.objects.filter(action="opinion.to_suggestion").exists()


def test_supervisor_reads_but_cannot_triage(login, personas, make_opinion):
    opinion = make_opinion()
    c = login(personas["supervisor"])
    page = c.get(reverse("opinions:detail", args=[opinion.pk]))
    assert page.status_code == 200 and "step-reply" not in page.content.decode()
    assert c.post(reverse("opinions:act", args=[opinion.pk, "reply"]), {"text": "x"}).status_code == 403


def test_unit_clerk_and_admins_are_refused(login, personas, make_opinion):
    opinion = make_opinion()
    for name in ("unit", "sysadmin", "auditor"):
        c = login(personas[name])
        assert c.get(reverse("opinions:list")).status_code == 403
        assert c.get(reverse("opinions:detail", args=[opinion.pk])).status_code == 403


def test_public_cannot_open_staff_pages(client, make_opinion):
    opinion = make_opinion()
    assert client.get(reverse("opinions:list")).status_code == 302
    assert client.get(reverse("opinions:detail", args=[opinion.pk])).status_code == 302
    assert client.post(reverse("opinions:act", args=[opinion.pk, "reply"]), {"text": "x"}).status_code == 302


# Scopes ---------------------------------------------------------------------------------------------------


def test_township_b_opinions_are_404_to_township_a(login, personas, make_opinion, city):
    mine = make_opinion()
    theirs = make_opinion(station=city.station_b, content="白杨坪的意见", address="10.0.0.3")
    c = login(personas["township"])
    listing = c.get(reverse("opinions:list")).content.decode()
    assert mine.code_display in listing and theirs.code_display not in listing
    assert c.get(reverse("opinions:detail", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("opinions:photo", args=[theirs.pk])).status_code == 404
    for action, data in [
        ("reply", {"text": "越权答复"}),
        ("forward", {"unit": city.unit_a.pk}),
        ("to_problem", {}),
        ("to_suggestion", {}),
        ("merge", {"into": mine.pk}),
    ]:
        assert c.post(reverse("opinions:act", args=[theirs.pk, action]), data).status_code == 404
    # nor can A merge its own opinion into B's
    response = c.post(reverse("opinions:act", args=[mine.pk, "merge"]), {"into": theirs.pk})
    assert response.status_code == 400
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == OpinionStatus.NEW and mine.status == OpinionStatus.NEW and not Referral.objects.exists()
    with pytest.raises(ValidationError):
        services.opinion_reply(opinion=theirs, text="越权", actor=personas["township"])


def test_group_and_deputy_scopes(personas, make_opinion, city):
    at_station_a = make_opinion()
    at_station_b = make_opinion(station=city.station_b, address="10.0.0.4")
    to_deputy_a = make_opinion(deputy=city.deputies_a[2], station=None, address="10.0.0.5")
    group = set(selectors.opinion_list(user=personas["group"]).values_list("pk", flat=True))
    assert group == {at_station_a.pk, to_deputy_a.pk}
    deputy = set(selectors.opinion_list(user=personas["deputy"]).values_list("pk", flat=True))
    assert deputy == {at_station_a.pk, to_deputy_a.pk}  # the deputy sits in group A, based at station A
    city_all = set(selectors.opinion_list(user=personas["city"]).values_list("pk", flat=True))
    assert city_all == {at_station_a.pk, at_station_b.pk, to_deputy_a.pk}
    assert not selectors.opinion_list(user=personas["unit"]).exists()


def test_inbox_runs_a_constant_number_of_queries(login, personas, make_opinion, django_assert_max_num_queries, city):
    for n in range(3):
        make_opinion(content=f"意见{n}", address=f"10.5.0.{n}")
    c = login(personas["city"])
    with django_assert_max_num_queries(20) as few:
        c.get(reverse("opinions:list"))
    for n in range(15):
        make_opinion(content=f"更多意见{n}", deputy=city.deputies_b[n % 4], station=None, address=f"10.6.0.{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(reverse("opinions:list"))


def test_staff_records_an_opinion_from_a_reception(login, personas, city):
    from deputyhome.opinions.models import Opinion, Reception

    reception = Reception.objects.create(
        station=city.station_a, date=city.township_a.created_at.date(), voters_received=5, recorded_by=personas["city"]
    )
    c = login(personas["group"])
    response = c.post(
        reverse("opinions:record") + f"?reception={reception.pk}",
        {"channel": "reception", "reception": reception.pk, "content": "老旧小区加装电梯。", "name": "刘伯"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    opinion = Opinion.objects.get()
    assert (
        opinion.reception == reception
        and opinion.station == city.station_a
        and opinion.recorded_by == personas["group"]
    )
    # a group leader of A cannot record for station B
    response = c.post(reverse("opinions:record"), {"channel": "visit", "station": city.station_b.pk, "content": "x"})
    assert response.status_code == 400 and Opinion.objects.count() == 1


def test_status_follows_the_problem(personas, make_opinion, city, client):
    from deputyhome.activities.services import problem_close, problem_forward

    closed = make_opinion(content="路边杂草丛生。")
    services.opinion_to_problem(opinion=closed, actor=personas["township"])
    closed.refresh_from_db()
    assert "已列入代表履职发现问题" in _status(client, closed)
    problem_close(problem=closed.problem, note="已组织清理。", actor=personas["township"])
    assert "代表已协调解决" in _status(client, closed)

    sent = make_opinion(content="排水沟堵塞。", address="10.0.0.9")
    services.opinion_to_problem(opinion=sent, actor=personas["township"])
    sent.refresh_from_db()
    referral = problem_forward(problem=sent.problem, unit=city.unit_a, actor=personas["township"])
    referral_reply(referral=referral, text="已疏通排水沟。", actor=personas["unit"])
    html = _status(client, sent)
    assert "单位已答复" in html and "已疏通排水沟" in html


def test_deputies_are_not_offered_what_only_officers_may_do(login, personas, make_opinion):
    opinion = make_opinion(deputy=personas["deputy"].deputy, station=None)
    services.opinion_to_problem(opinion=opinion, actor=personas["township"])
    page = login(personas["deputy"]).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert "step-to_suggestion" not in page and "step-reply" in page
