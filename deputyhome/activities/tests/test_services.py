"""Services: each writes its audit row; bad input answers in Chinese and writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from deputyhome.activities import services
from deputyhome.activities.choices import ProblemStatus, ReferralStatus
from deputyhome.activities.models import Problem, Referral
from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions.choices import State

pytestmark = pytest.mark.django_db


def audited(action: str, obj) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_problem_create_records_and_derives_region(problem, city):
    assert problem.region == city.township_a
    assert problem.status == ProblemStatus.OPEN
    assert audited("problem.create", problem)


def test_problem_create_refuses_empty_text(city, personas):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="请填写问题描述"):
        services.problem_create(data={"text": "  ", "region": city.township_a}, actor=personas["township"])
    assert Problem.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_problem_create_refuses_future_date(city, personas):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.problem_create(
            data={"text": "x", "region": city.township_a, "date": datetime.date.today() + datetime.timedelta(days=2)},
            actor=personas["township"],
        )
    assert Problem.objects.count() == 0


def test_problem_close(problem, personas):
    closed = services.problem_close(problem=problem, note="社区当场联系电工修复。", actor=personas["township"])
    assert closed.status == ProblemStatus.CLOSED
    assert closed.handled_on == datetime.date.today()
    assert audited("problem.close", problem)


def test_problem_close_needs_note_and_open_state(problem, personas):
    with pytest.raises(ValidationError, match="请填写处理说明"):
        services.problem_close(problem=problem, note="", actor=personas["township"])
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN
    services.problem_close(problem=problem, note="已修复", actor=personas["township"])
    with pytest.raises(ValidationError, match="已处理"):
        services.problem_close(problem=problem, note="再次", actor=personas["township"])


def test_problem_forward_creates_referral(problem, personas, city):
    referral = services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township"])
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.FORWARDED
    assert problem.referral == referral
    assert referral.unit == city.unit_a and referral.region == city.township_a
    assert referral.due_on > datetime.date.today()
    assert audited("problem.forward", problem) and audited("referral.create", referral)


def test_problem_forward_refused_for_other_township(problem, personas, city):
    with pytest.raises(ValidationError, match="管辖范围"):
        services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["township_b"])
    assert Referral.objects.count() == 0


def test_problem_forward_refused_for_deputy(problem, personas, city):
    with pytest.raises(ValidationError):
        services.problem_forward(problem=problem, unit=city.unit_a, actor=personas["deputy"])
    assert Referral.objects.count() == 0


def test_problem_to_suggestion(problem, personas, city):
    suggestion = services.problem_to_suggestion(problem=problem, actor=personas["township"])
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SUGGESTION and problem.suggestion == suggestion
    assert suggestion.state == State.DRAFT
    assert suggestion.author == city.deputies_a[1]
    assert suggestion.created_by == personas["township"]
    assert "路灯" in suggestion.title and "路灯" in suggestion.reasons
    assert list(suggestion.source_problems.all()) == [problem]
    assert audited("problem.to_suggestion", problem) and audited("suggestion.create", suggestion)


def test_problem_to_suggestion_needs_deputy(city, personas):
    from deputyhome.suggestions.models import Suggestion

    p = services.problem_create(data={"text": "无代表的问题", "region": city.township_a}, actor=personas["township"])
    with pytest.raises(ValidationError, match="没有提出代表"):
        services.problem_to_suggestion(problem=p, actor=personas["township"])
    assert Suggestion.objects.count() == 0
    p.refresh_from_db()
    assert p.status == ProblemStatus.OPEN


def test_referral_create_and_reply(city, personas):
    referral = services.referral_create(
        unit=city.unit_a,
        title="小区垃圾清运不及时",
        content="西门社区3栋旁垃圾堆放三天未清运。",
        actor=personas["city"],
    )
    assert referral.status == ReferralStatus.OPEN and audited("referral.create", referral)
    replied = services.referral_reply(referral=referral, text="已安排每日清运。", actor=personas["unit"])
    assert replied.status == ReferralStatus.REPLIED and replied.replied_on == datetime.date.today()
    assert replied.replied_by == personas["unit"]
    assert audited("referral.reply", referral)
    with pytest.raises(ValidationError, match="已答复"):
        services.referral_reply(referral=referral, text="again", actor=personas["unit"])


def test_referral_create_bad_input(city, personas):
    with pytest.raises(ValidationError, match="具体内容"):
        services.referral_create(unit=city.unit_a, title="t", content=" ", actor=personas["city"])
    with pytest.raises(ValidationError, match="办理期限"):
        services.referral_create(
            unit=city.unit_a,
            title="t",
            content="c",
            actor=personas["city"],
            due_on=datetime.date.today() - datetime.timedelta(days=1),
        )
    assert Referral.objects.count() == 0


def test_referral_reply_only_by_own_unit(city, personas):
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    referral = services.referral_create(unit=city.unit_b, title="t", content="c", actor=personas["city"])
    for actor in (personas["unit"], personas["city"], personas["township"]):
        with pytest.raises(ValidationError, match="只有承办单位经办人"):
            services.referral_reply(referral=referral, text="答复", actor=actor)
    clerk_b = User.objects.create(username="clerk_b", role=Role.UNIT_CLERK, unit=city.unit_b)
    with pytest.raises(ValidationError, match="请填写答复内容"):
        services.referral_reply(referral=referral, text="", actor=clerk_b)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN
    assert services.referral_reply(referral=referral, text="已办", actor=clerk_b).status == ReferralStatus.REPLIED


def test_problem_to_suggestion_by_its_own_deputy(problem, city):
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    own = User.objects.create(username="own", role=Role.DEPUTY, deputy=problem.deputy)
    other = User.objects.create(username="other", role=Role.DEPUTY, deputy=city.deputies_a[2])
    with pytest.raises(ValidationError, match="只有市、乡两级人大工作人员"):
        services.problem_to_suggestion(problem=problem, actor=other)
    with pytest.raises(ValidationError, match="只有市、乡两级人大工作人员"):
        services.problem_close(problem=problem, note="x", actor=own)
    suggestion = services.problem_to_suggestion(problem=problem, actor=own)
    assert suggestion.author == problem.deputy and suggestion.created_by == own
