"""What a clerk and a deputy hit on the suggestion course (issue 14): each test failed before its fix."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Evaluation
from deputyhome.testing import reply_to


def _to_evaluation(city, people, categories, *, co_units=()):
    """A suggestion with one confirmed co-signer, replied (A) and accepted: 待评价."""
    cats, classes = categories
    deputy, cos, staff, unit = people["deputy"], people["cosigner"], people["city"], people["unit"]
    s = sv.suggestion_create(
        author=deputy.deputy,
        data={"title": "关于修缮西门桥的建议", "proposals": "修缮"},
        actor=deputy,
        cosigners=[cos.deputy],
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_confirm_cosign(suggestion=s, actor=cos)
    sv.suggestion_register(suggestion=s, category=cats["其他"], actor=staff)
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=list(co_units), actor=staff)
    sv.suggestion_receive(suggestion=s, actor=unit)
    sv.suggestion_waive_consultation(suggestion=s, note="", actor=staff)
    return s, classes


def _reply_and_accept(s, people, classes):
    reply_to(s, people["unit"], classes["A"], text="已修缮", accepted_by=people["city"])


@pytest.mark.django_db
def test_dissatisfied_needs_a_reason_and_the_unit_sees_it(client, city, people, categories):
    s, classes = _to_evaluation(city, people, categories)
    _reply_and_accept(s, people, classes)
    client.force_login(people["deputy"])
    url = reverse("suggestions:act", args=[s.pk, "evaluate"])
    r = client.post(url, {"evaluate-attitude": "satisfied", "evaluate-result": "dissatisfied", "evaluate-comment": " "})
    assert r.status_code == 400
    form = next(st["form"] for st in r.context["steps"] if st["action"] == "evaluate")
    assert "请说明不满意的理由" in "".join(form.errors.get("comment", []))
    assert not Evaluation.objects.filter(suggestion=s).exists()

    r = client.post(
        url, {"evaluate-attitude": "satisfied", "evaluate-result": "dissatisfied", "evaluate-comment": "桥面仍有裂缝"}
    )
    assert r.status_code == 302
    sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=people["cosigner"])
    s.refresh_from_db()
    assert s.state == State.REHANDLING
    client.force_login(people["unit"])
    html = client.get(s.get_absolute_url()).content.decode()
    box = html[html.index('id="rehandling-reasons"') :]
    assert "桥面仍有裂缝" in box[: box.index("</div>")]


@pytest.mark.django_db
def test_the_lead_deputy_sees_the_evaluation_waiting_for_cosigners(client, city, people, categories):
    s, classes = _to_evaluation(city, people, categories)
    _reply_and_accept(s, people, classes)
    sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=people["deputy"])
    client.force_login(people["deputy"])
    html = client.get(s.get_absolute_url()).content.decode()
    assert "待联名代表评价（0/1）" in html
    client.force_login(people["cosigner"])
    html = client.get(s.get_absolute_url()).content.decode()
    assert 'id="step-evaluate"' in html and "待您评价" in html
    todo = client.get(reverse("suggestions:todo")).content.decode()
    assert s.title in todo


@pytest.mark.django_db
def test_the_lead_unit_cannot_reply_before_the_co_unit_gave_its_opinion(client, city, people, categories):
    from django.core.exceptions import ValidationError

    s, classes = _to_evaluation(city, people, categories, co_units=[city.unit_b])
    with pytest.raises(ValidationError, match=city.unit_b.name):
        reply_to(s, people["unit"], classes["A"], text="已修缮")
    s.refresh_from_db()
    assert s.state == State.HANDLING and not s.replies.exists()
    sv.suggestion_co_opinion(suggestion=s, opinion="同意", actor=people["unit_b"])
    _reply_and_accept(s, people, classes)
    s.refresh_from_db()
    assert s.state == State.AWAITING_EVALUATION


@pytest.mark.django_db
def test_staff_do_not_withdraw_what_a_deputy_submitted(client, city, people):
    from django.core.exceptions import ValidationError

    deputy, staff = people["deputy"], people["city"]
    s = sv.suggestion_create(author=deputy.deputy, data={"title": "关于路灯的建议", "proposals": "增设"}, actor=deputy)
    sv.suggestion_submit(suggestion=s, actor=deputy)
    client.force_login(staff)
    assert 'id="step-withdraw"' not in client.get(s.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="领衔代表本人"):
        sv.suggestion_withdraw(suggestion=s, actor=staff)
    # A suggestion staff entered for a deputy: staff may withdraw it, and the page and timeline say so.
    e = sv.suggestion_create(author=deputy.deputy, data={"title": "代录入的建议", "proposals": "增设"}, actor=staff)
    sv.suggestion_submit(suggestion=e, actor=staff)
    html = client.get(e.get_absolute_url()).content.decode()
    assert "代领衔代表撤回" in html
    sv.suggestion_withdraw(suggestion=e, actor=staff, note="代表电话要求")
    assert f"代领衔代表{deputy.deputy.name}撤回" in e.events.get(action="withdraw").note


@pytest.mark.django_db
def test_a_supervision_record_says_it_was_saved(client, city, people, categories):
    s, _ = _to_evaluation(city, people, categories)
    client.force_login(people["city"])
    r = client.post(
        reverse("suggestions:act", args=[s.pk, "supervise"]),
        {"supervise-method": "report", "supervise-date": "2026-01-01", "supervise-findings": "已督促"},
        follow=True,
    )
    text = [str(m) for m in r.context["messages"]]
    assert "督办记录已保存。" in text and "已督办记录。" not in text


@pytest.mark.django_db
def test_the_register_export_has_a_frozen_header_and_reply_and_satisfaction(client, city, people, categories):
    s, classes = _to_evaluation(city, people, categories)
    _reply_and_accept(s, people, classes)
    sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="basic", comment="", actor=people["deputy"])
    from deputyhome.suggestions.ledger import register_file

    f = register_file(qs=sv_list(people["city"]))
    ws = load_workbook(io.BytesIO(f.content)).active
    header = [c.value for c in ws[2]]
    assert ws.freeze_panes == "A3"
    assert "答复日期" in header and "满意度" in header
    row = [c.value for c in ws[3]]
    assert row[header.index("答复日期")] is not None
    assert "基本满意" in row[header.index("满意度")]


def sv_list(user):
    from deputyhome.suggestions.selectors import suggestion_list

    return suggestion_list(user=user).filter(number__isnull=False)


# The co-signer picker ------------------------------------------------------------------------------------


def search(client, q, field="cosigners", **extra):
    return client.get(reverse("suggestions:deputy_search"), {"field": field, f"{field}_q": q, **extra})


@pytest.mark.django_db
def test_the_cosigner_picker_searches_and_tells_namesakes_apart(client, city, people):
    me, other = people["deputy"].deputy, city.deputies_a[2]
    client.force_login(people["deputy"])
    page = client.get(reverse("suggestions:create")).content.decode()
    assert page.count("<option") < 20  # no select of every deputy in the city
    assert "deputy-picker" in page and "js/deputy-picker.js" in page

    r = search(client, other.name[:2])
    assert r.status_code == 200
    html = r.content.decode()
    assert other.name in html and f"{other.birth_date:%Y}年生" in html and other.region.name in html
    assert f'value="{me.pk}"' not in search(client, me.name).content.decode()  # the author is not offered
    assert 'value="' not in search(client, other.name[:1]).content.decode()  # at least two characters
    assert "至少输入2个字" in search(client, other.name[:1]).content.decode()
    client.force_login(people["unit"])
    assert search(client, other.name[:2]).status_code == 403


@pytest.mark.django_db
def test_the_search_returns_at_most_twenty(client, city, people):
    from deputyhome.deputies.models import Deputy, Mandate

    base = city.deputies_a[2]
    mandate = base.mandates.first()
    for i in range(25):
        d = Deputy.objects.create(
            name=f"同名{i:02d}",
            id_number=f"42280119800101{i:04d}",
            gender=base.gender,
            ethnicity="汉族",
            birth_date=base.birth_date,
            party="群众",
            region=base.region,
        )
        Mandate.objects.create(
            deputy=d, congress=mandate.congress, status=mandate.status, start_date=mandate.start_date
        )
    client.force_login(people["deputy"])
    assert search(client, "同名").content.decode().count('value="') == 20


@pytest.mark.django_db
def test_picking_the_author_as_cosigner_is_refused(client, city, people):
    from deputyhome.suggestions.models import Suggestion

    me = people["deputy"].deputy
    client.force_login(people["deputy"])
    r = client.post(reverse("suggestions:create"), {"title": "关于路灯的建议", "cosigners": [me.pk]})
    assert r.status_code == 400
    assert "领衔代表不能同时作为联名代表" in "".join(r.context["form"].errors.get("cosigners", []))
    assert not Suggestion.objects.exists()
