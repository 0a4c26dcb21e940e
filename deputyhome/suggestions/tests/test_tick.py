"""`manage.py suggestions_tick`: the summary, --today, exit status, and a failure that does not stop the run."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from deputyhome.notifications.models import Notification
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.models import Policy
from deputyhome.suggestions.services import deadlines

pytestmark = [pytest.mark.django_db, pytest.mark.urls("deputyhome.notifications.tests.urls")]

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d, h=10):
    return time_machine.travel(datetime.datetime(y, m, d, h, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def two_assigned(city, people, categories):
    """Two suggestions assigned on 2026-01-20 under a one-month policy: both due 2026-02-24."""
    cats, _ = categories
    Policy.objects.create(year=2026, handling_months=1)
    deputy, staff = people["deputy"], people["city"]
    out = []
    with at(2026, 1, 20):
        for title in ("关于增设公交站点的建议", "关于整治农村人居环境的建议"):
            s = sv.suggestion_create(author=deputy.deputy, data={"title": title, "proposals": "p"}, actor=deputy)
            sv.suggestion_submit(suggestion=s, actor=deputy)
            sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff)
            sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], actor=staff)
            out.append(s)
    return out


def run(*args, capture):
    out, err = StringIO(), StringIO()
    with capture(execute=True):
        call_command("suggestions_tick", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_summary_counts_per_kind(two_assigned, django_capture_on_commit_callbacks):
    with at(2026, 2, 25, 7):
        out, err = run(capture=django_capture_on_commit_callbacks)
    assert out.splitlines()[0] == "suggestions_tick 2026-02-25"
    assert "overdue       逾期催办：2 件，新 2 件" in out
    assert "co_overdue    协办意见逾期催办：2 件，新 2 件" in out
    assert "due_soon      临期催办：0 件，新 0 件" in out
    assert "出错：0 件" in out and err == ""
    assert Notification.objects.filter(key__startswith="overdue:").exists()


def test_today_option_judges_deadlines_against_that_day(two_assigned, django_capture_on_commit_callbacks):
    with at(2026, 3, 5, 7):
        out, _ = run("--today", "2026-02-03", capture=django_capture_on_commit_callbacks)
    assert out.splitlines()[0] == "suggestions_tick 2026-02-03"
    assert "due_soon      临期催办：2 件，新 2 件" in out
    with at(2026, 3, 5, 7):
        out, _ = run("--today", "2026-02-03", capture=django_capture_on_commit_callbacks)
    assert "due_soon      临期催办：2 件，新 0 件" in out
    assert "站内 0 条，邮件 0 封，短信 0 条" in out


def test_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("suggestions_tick", "--today", "2026-02-30")


def test_a_failure_is_reported_and_the_run_completes(two_assigned, django_capture_on_commit_callbacks, monkeypatch):
    bad = two_assigned[0]
    real = deadlines._plan_lead

    def broken(s, kind, today):
        if s.pk == bad.pk:
            raise RuntimeError("boom")
        return real(s, kind, today)

    monkeypatch.setattr(deadlines, "_plan_lead", broken)
    with at(2026, 2, 25, 7):
        out, err = run(capture=django_capture_on_commit_callbacks)  # no exception: exit status 0
    assert "overdue       逾期催办：2 件，新 1 件" in out
    assert f"overdue suggestion {bad.pk}: boom" in out
    assert "出错：1 件" in out and "1 件处理出错" in err
