"""The suggestion pages: drafting, acting through the detail page, desks, the register, the public list."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import State
from deputyhome.suggestions.models import Suggestion
from deputyhome.suggestions.tests.registered import registered_suggestion
from deputyhome.testing import reply_to


@pytest.fixture
def assigned(city, people, session, categories):
    """A suggestion by `deputy`, registered and assigned to unit A only, with an attachment."""
    s = registered_suggestion(
        people,
        session,
        categories,
        "关于西门社区停车难的建议",
        files=[SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
    )
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=people["city"])
    return Suggestion.objects.get(pk=s.pk)


@pytest.mark.django_db
def test_deputy_drafts_through_the_form_and_submits(client, people, session, city):
    client.force_login(people["deputy"])
    response = client.post(
        reverse("suggestions:create"),
        {
            "title": "关于增设公交线路的建议",
            "situation": "出行难",
            "reasons": "线路少",
            "proposals": "增设线路",
            "session": session.pk,
            "cosigners": [city.deputies_a[2].pk],
        },
    )
    assert response.status_code == 302
    s = Suggestion.objects.get(title="关于增设公交线路的建议")
    assert s.state == State.DRAFT and s.cosigners.count() == 1
    # Drafts are private to their author.
    client.force_login(people["city"])
    assert client.get(s.get_absolute_url()).status_code == 404
    client.force_login(people["deputy"])
    response = client.post(reverse("suggestions:act", args=[s.pk, "submit"]))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.state == State.SUBMITTED
    html = client.get(s.get_absolute_url()).content.decode()
    assert "已提交" in html and "办理过程" in html


@pytest.mark.django_db
def test_staff_returns_with_reason_and_deputy_sees_why(client, people, session):
    s = sv.suggestion_create(
        author=people["deputy"].deputy,
        data={"title": "关于我家宅基地的建议", "proposals": "请批准"},
        actor=people["deputy"],
    )
    sv.suggestion_submit(suggestion=s, actor=people["deputy"])
    client.force_login(people["city"])
    response = client.post(
        reverse("suggestions:act", args=[s.pk, "return"]),
        {"return-reason": "personal", "return-note": "属个人事务，请通过信访渠道反映"},
    )
    assert response.status_code == 302
    client.force_login(people["deputy"])
    html = client.get(s.get_absolute_url()).content.decode()
    assert "代表本人及其亲属的个人事务" in html and "信访渠道" in html


@pytest.mark.django_db
def test_bad_action_input_is_explained_and_changes_nothing(client, people, assigned):
    client.force_login(people["unit"])
    client.post(reverse("suggestions:act", args=[assigned.pk, "receive"]))
    response = client.post(
        reverse("suggestions:act", args=[assigned.pk, "reply"]), {"reply-text": "已办理", "reply-result_class": ""}
    )
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == State.HANDLING


@pytest.mark.django_db
def test_wrong_role_action_is_refused_with_a_message(client, people, assigned):
    client.force_login(people["deputy"])
    response = client.post(reverse("suggestions:act", args=[assigned.pk, "receive"]), follow=True)
    assert "不能执行这项操作" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == State.ASSIGNED


@pytest.mark.django_db
def test_unit_b_cannot_reach_a_suggestion_assigned_only_to_unit_a(client, people, assigned):
    attachment = assigned.attachments.get()
    client.force_login(people["unit_b"])
    assert client.get(assigned.get_absolute_url()).status_code == 404
    assert client.get(reverse("suggestions:attachment", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("suggestions:act", args=[assigned.pk, "receive"])).status_code == 404
    html = client.get(reverse("suggestions:list")).content.decode()
    assert assigned.title not in html
    html = client.get(reverse("suggestions:list"), {"q": "停车"}).content.decode()
    assert assigned.get_absolute_url() not in html
    html = client.get(reverse("suggestions:inbox")).content.decode()
    assert assigned.title not in html
    response = client.get(reverse("suggestions:register_export"), follow=True)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert all(assigned.title not in [str(c.value) for c in row] for row in sheet.iter_rows())
    # Unit A does see it everywhere.
    client.force_login(people["unit"])
    assert client.get(assigned.get_absolute_url()).status_code == 200
    assert client.get(reverse("suggestions:attachment", args=[attachment.pk])).status_code == 200
    assert assigned.title in client.get(reverse("suggestions:inbox")).content.decode()


@pytest.mark.django_db
def test_scopes_of_deputies_and_townships(client, people, assigned):
    client.force_login(people["township"])
    assert client.get(assigned.get_absolute_url()).status_code == 200
    client.force_login(people["township_b"])
    assert client.get(assigned.get_absolute_url()).status_code == 404
    client.force_login(people["cosigner"])  # a deputy who neither wrote nor co-signed it
    assert client.get(assigned.get_absolute_url()).status_code == 404
    client.force_login(people["sysadmin"])
    assert client.get(reverse("suggestions:list")).status_code == 403


@pytest.mark.django_db
def test_the_register_filters_by_township(client, people, assigned, city):
    client.force_login(people["city"])
    url = reverse("suggestions:list")
    assert assigned.region.code.startswith(city.township_a.code)
    assert assigned.title in client.get(url, {"region": city.township_a.pk}).content.decode()
    assert assigned.title not in client.get(url, {"region": city.township_b.pk}).content.decode()


@pytest.mark.django_db
def test_register_export_reads_back(client, people, assigned):
    client.force_login(people["city"])
    response = client.get(reverse("suggestions:register_export"), follow=True)
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.startswith("代表建议登记册")
    header = [c.value for c in ws[2]]
    row = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert row["编号"] == 1 and row["标题"] == assigned.title and row["主办单位"] == "市住房和城乡建设局"
    assert row["办理期限"].date() == assigned.due_on


@pytest.mark.django_db
def test_desks_render_for_their_roles(client, people, assigned):
    for persona, url in [
        ("city", "suggestions:desk"),
        ("unit", "suggestions:inbox"),
        ("supervisor", "suggestions:board"),
        ("leader", "suggestions:board"),
    ]:
        client.force_login(people[persona])
        assert client.get(reverse(url)).status_code == 200
    for persona, url in [("deputy", "suggestions:desk"), ("city", "suggestions:inbox"), ("unit", "suggestions:board")]:
        client.force_login(people[persona])
        assert client.get(reverse(url)).status_code == 403


@pytest.mark.django_db
def test_public_list_shows_only_published_replies(client, people, assigned, categories):
    _, classes = categories
    sv.suggestion_receive(suggestion=assigned, actor=people["unit"])
    sv.suggestion_consult(
        suggestion=assigned, date=datetime.date.today(), way="phone", notes="电话沟通", actor=people["unit"]
    )
    reply_to(assigned, people["unit"], classes["A"], text="已增设停车位50个", publishable=True)
    assert assigned.title not in client.get(reverse("public_suggestions:list")).content.decode()
    sv.suggestion_review_reply(suggestion=assigned, accept=True, note="", actor=people["city"])
    html = client.get(reverse("public_suggestions:list")).content.decode()
    assert assigned.title in html
    assigned.refresh_from_db()
    detail = client.get(reverse("public_suggestions:detail", args=[assigned.public_token])).content.decode()
    assert "已增设停车位50个" in detail and people["deputy"].deputy.name not in detail


@pytest.mark.django_db
def test_list_pages_run_constant_queries(client, people, assigned, session, categories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cats, _ = categories
    client.force_login(people["city"])
    client.get(reverse("suggestions:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("suggestions:list"))
    for i in range(8):
        s = sv.suggestion_create(
            author=people["deputy"].deputy,
            data={"title": f"建议{i}", "proposals": "p", "session": session},
            actor=people["deputy"],
        )
        sv.suggestion_submit(suggestion=s, actor=people["deputy"])
        sv.suggestion_register(suggestion=s, category=cats["其他"], actor=people["city"])
        sv.suggestion_assign(suggestion=s, lead_unit=people["unit"].unit, actor=people["city"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("suggestions:list"))
    assert len(many) == len(few)
