"""A suggestion's page reads the same number of queries however many co-signers, units, files, consultations,
extensions, supervision records, replies, evaluations, merged suggestions, forwards and steps on its timeline it
has, for each kind of reader; a kind of row the suggestion has none of is not read at all."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.conftest import PASSWORD
from deputyhome.organisation.choices import UnitKind
from deputyhome.organisation.models import HandlingUnit
from deputyhome.suggestions import services as sv
from deputyhome.suggestions.choices import (
    AssignmentStatus,
    ConsultationWay,
    ExtensionStatus,
    ForwardStatus,
    Satisfaction,
    State,
    SupervisionMethod,
    UnitRole,
)
from deputyhome.suggestions.models import (
    Assignment,
    Attachment,
    CoSigner,
    Evaluation,
    Event,
    Extension,
    Forward,
    Reply,
    Suggestion,
)

pytestmark = pytest.mark.django_db


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def _page(client, user, s: Suggestion) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(s.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _counts(client, users: dict, s: Suggestion) -> dict[str, int]:
    return {name: _page(client, user, s)[0] for name, user in users.items()}


def _merged(s: Suggestion, n: int, title: str) -> None:
    for i in range(n):
        Suggestion.objects.create(
            title=f"{title}{i}",
            proposals="同上",
            author=s.author,
            region=s.region,
            congress=s.congress,
            year=s.year,
            state=State.REGISTERED,
            merged_into=s,
            created_by_id=s.created_by_id,
        )


def _more_of_everything(s: Suggestion, deputies: list, clerk: User, staff: User, units: list) -> None:
    """Three more co-signers who evaluated, three more files, another co-unit, another reply with two files, another
    extension, two more consultations and supervision records (each a step on the timeline), two more merged."""
    today = timezone.localdate()
    for d in deputies:
        CoSigner.objects.create(suggestion=s, deputy=d, confirmed_at=timezone.now())
        Evaluation.objects.create(
            suggestion=s,
            deputy=d,
            round=1,
            attitude=Satisfaction.SATISFIED,
            result=Satisfaction.SATISFIED,
            evaluated_on=today,
        )
    for i in range(3):
        Attachment.objects.create(
            suggestion=s, file=f"suggestions/2026/more{i}.pdf", name=f"补充材料{i}.pdf", size=9, uploaded_by=clerk
        )
    for unit in units:
        Assignment.objects.create(
            suggestion=s, unit=unit, role=UnitRole.CO, status=AssignmentStatus.ACTIVE, assigned_on=today
        )
    lead = s.assignments.get(role=UnitRole.LEAD, status=AssignmentStatus.ACTIVE).unit
    reply = Reply.objects.create(
        suggestion=s,
        unit=lead,
        round=1,
        text="补充答复",
        result_class=s.replies.first().result_class,
        submitted_on=today,
        review_status="accepted",
    )
    for i in range(2):
        Attachment.objects.create(
            suggestion=s,
            reply=reply,
            file=f"suggestions/2026/r{i}.pdf",
            name=f"补充答复附件{i}.pdf",
            size=9,
            uploaded_by=clerk,
        )
    Extension.objects.create(
        suggestion=s, unit=lead, months=1, reason="再次延期", status=ExtensionStatus.REJECTED, old_due_on=today
    )
    for i in range(2):
        sv.suggestion_consult(suggestion=s, date=today, way=ConsultationWay.PHONE, notes=f"再次沟通{i}", actor=clerk)
        sv.supervision_record_add(
            suggestion=s, method=SupervisionMethod.SITE, date=today, findings=f"再次督办{i}", follow_up="", actor=staff
        )
    _merged(s, 2, "并入的又一件建议")


@pytest.fixture
def rehandled(city, people, session, categories):
    """The deputy persona's suggestion co-signed by the co-signer persona, with a file; one suggestion merged into it;
    assigned to unit A (lead) and unit B; one consultation, an approved extension, a supervision record, a reply with
    a file that the staff accepted; the author dissatisfied, so it is being handled again (round 2)."""
    cats, classes = categories
    deputy, cosigner, clerk, staff = people["deputy"], people["cosigner"], people["unit"], people["city"]
    s = sv.suggestion_create(
        author=deputy.deputy,
        data={"title": "关于整治西门河道的建议", "proposals": "清淤", "session": session},
        actor=deputy,
        cosigners=[cosigner.deputy],
        files=[_pdf("河道照片.pdf")],
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_confirm_cosign(suggestion=s, actor=cosigner)
    sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=staff)
    _merged(s, 1, "并入的建议")
    sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], actor=staff)
    sv.suggestion_receive(suggestion=s, actor=clerk)
    today = timezone.localdate()
    sv.suggestion_consult(suggestion=s, date=today, way=ConsultationWay.IN_PERSON, notes="现场察看", actor=clerk)
    extension = sv.suggestion_request_extension(suggestion=s, months=1, reason="汛期施工受限", actor=clerk)
    sv.suggestion_decide_extension(extension=extension, approve=True, note="同意", actor=staff)
    sv.supervision_record_add(
        suggestion=s, method=SupervisionMethod.SITE, date=today, findings="已开工", follow_up="", actor=staff
    )
    sv.suggestion_co_opinion(suggestion=s, opinion="同意主办单位意见", actor=people["unit_b"])
    sv.suggestion_reply(
        suggestion=s,
        text="已列入计划",
        result_class=classes["B"],
        publishable=False,
        follow_up_on=today + datetime.timedelta(days=90),
        files=[_pdf("施工计划.pdf")],
        actor=clerk,
    )
    sv.suggestion_review_reply(suggestion=s, accept=True, note="", actor=staff)
    sv.suggestion_evaluate(
        suggestion=s,
        attitude=Satisfaction.SATISFIED,
        result=Satisfaction.DISSATISFIED,
        comment="未见实效",
        actor=deputy,
    )
    sv.suggestion_evaluate(
        suggestion=s, attitude=Satisfaction.SATISFIED, result=Satisfaction.SATISFIED, comment="", actor=cosigner
    )
    s.refresh_from_db()
    assert s.state == State.REHANDLING and s.round == 2
    return s


READERS = ("deputy", "cosigner", "unit", "unit_b", "city", "township", "supervisor")


def test_the_page_reads_the_same_queries_with_more_of_every_kind_of_row(client, city, people, rehandled):
    users = {name: people[name] for name in READERS}
    few = _counts(client, users, rehandled)
    events = Event.objects.filter(suggestion=rehandled).count()
    more_units = [HandlingUnit.objects.create(name=f"市协办单位{i}", kind=UnitKind.GOVERNMENT) for i in range(2)]
    _more_of_everything(rehandled, city.deputies_a[4:7], people["unit"], people["city"], more_units)
    assert Event.objects.filter(suggestion=rehandled).count() >= events + 4
    assert _counts(client, users, rehandled) == few

    # Every part is still there, for whom it is meant.
    _, html = _page(client, people["deputy"], rehandled)
    names = [d.name for d in city.deputies_a[4:7]]
    assert all(name in html for name in names)  # co-signers and their evaluations
    assert "河道照片.pdf" in html and "补充材料2.pdf" in html
    assert "施工计划.pdf" in html and "补充答复附件1.pdf" in html  # each reply lists its own files
    assert html.index("施工计划.pdf") < html.index("补充答复") < html.index("补充答复附件0.pdf")
    assert "并入的建议0" in html and "并入的又一件建议1" in html
    assert "代表不满意的理由" in html and "未见实效" in html
    assert "市协办单位1" in html
    assert "<h2>督办记录</h2>" not in html and "再次延期" not in html  # the internal parts: not for the deputies
    _, html = _page(client, people["city"], rehandled)
    assert "<h2>督办记录</h2>" in html and "再次督办1" in html and "汛期施工受限" in html and "再次延期" in html
    _, html = _page(client, people["unit"], rehandled)
    assert 'id="step-reply"' in html and 'id="step-consult"' in html


@pytest.fixture
def township_work(city, people, categories):
    """白杨坪镇's congress at work on a township deputy's suggestion: co-signed, with a file, assigned to the town's
    office, received, consulted, supervised, and one matter forwarded to a city unit."""
    cats, _ = categories
    office = HandlingUnit.objects.create(name="白杨坪镇农业服务中心", kind=UnitKind.GOVERNMENT, region=city.township_b)
    transport = HandlingUnit.objects.create(name="市交通运输局", kind=UnitKind.GOVERNMENT, region=city.city)
    officer = people["township_b"]
    users = {
        "officer": officer,
        "deputy": User.objects.create(username="tdeputy", role=Role.DEPUTY, deputy=city.deputies_b[0]),
        "office": User.objects.create(username="office", role=Role.UNIT_CLERK, unit=office),
        "transport": User.objects.create(username="transport", role=Role.UNIT_CLERK, unit=transport),
        "city": people["city"],
    }
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    s = sv.suggestion_create(
        author=city.deputies_b[0],
        data={"title": "关于硬化洞下槽村通组公路的建议", "proposals": "硬化", "congress": city.township_congress_b},
        actor=users["deputy"],
        cosigners=[city.deputies_b[1]],
        files=[_pdf("路况.pdf")],
    )
    sv.suggestion_submit(suggestion=s, actor=users["deputy"])
    sv.suggestion_register(suggestion=s, category=cats["其他"], actor=officer)
    sv.suggestion_assign(suggestion=s, lead_unit=office, actor=officer)
    sv.suggestion_receive(suggestion=s, actor=users["office"])
    today = timezone.localdate()
    sv.suggestion_consult(suggestion=s, date=today, way=ConsultationWay.PHONE, notes="电话沟通", actor=users["office"])
    sv.supervision_record_add(
        suggestion=s, method=SupervisionMethod.SITE, date=today, findings="已勘察", follow_up="", actor=officer
    )
    sv.suggestion_forward_up(suggestion=s, unit=transport, note="请市交通运输局安排资金", actor=officer)
    return s, users, transport


def test_a_township_congress_suggestions_page_reads_the_same_queries_with_more_rows(
    client, city, people, township_work
):
    s, users, transport = township_work
    few = _counts(client, users, s)
    today = timezone.localdate()
    for d in city.deputies_b[2:5]:
        CoSigner.objects.create(suggestion=s, deputy=d, confirmed_at=timezone.now())
    for i in range(3):
        Attachment.objects.create(
            suggestion=s,
            file=f"suggestions/2026/t{i}.pdf",
            name=f"村民联名{i}.pdf",
            size=9,
            uploaded_by=users["deputy"],
        )
        Forward.objects.create(
            suggestion=s,
            unit=transport,
            forwarded_by=users["officer"],
            forwarded_on=today,
            due_on=today,
            note=f"前次转办{i}",
            status=ForwardStatus.ANSWERED,
            answer="已办",
            answered_on=today,
            answered_by=users["transport"],
        )
        sv.supervision_record_add(
            suggestion=s,
            method=SupervisionMethod.SITE,
            date=today,
            findings=f"再次督办{i}",
            follow_up="",
            actor=users["officer"],
        )
    assert _counts(client, users, s) == few
    _, html = _page(client, users["officer"], s)
    assert "前次转办2" in html and "村民联名2.pdf" in html and "再次督办2" in html and 'id="forward-up"' in html


# The tables a suggestion's page reads only when the suggestion's row says it has such rows.
SELDOM = (
    "suggestions_cosigner",
    "suggestions_assignment",
    "suggestions_reply",
    "suggestions_evaluation",
    "suggestions_attachment",
    "suggestions_extension",
    "supervision_supervisionrecord",
    "suggestions_forward",
    "suggestions_consultation",
    "activities_problem",
    "motions_motion",
)


def _tables_read(client, user, s: Suggestion) -> set[str]:
    """The tables the page's queries read from (their FROM), not those an EXISTS of the suggestion's row looks in."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(s.get_absolute_url()).status_code == 200
    sqls = [re.sub(r"EXISTS \(SELECT 1 FROM [^)]*\)", "", q["sql"]) for q in queries]
    return {m.group(1) for sql in sqls for m in [re.search(r' FROM "(\w+)"', sql)] if m}


def test_a_kind_of_row_the_suggestion_has_none_of_is_not_read(client, people, session, categories, rehandled):
    s = sv.suggestion_create(
        author=people["deputy"].deputy,
        data={"title": "关于增设公交站点的建议", "proposals": "增设", "session": session},
        actor=people["deputy"],
    )
    sv.suggestion_submit(suggestion=s, actor=people["deputy"])
    for name in ("deputy", "city", "township"):
        read = _tables_read(client, people[name], s)
        assert "suggestions_event" in read and not read & set(SELDOM), name
        # The same reader on a suggestion that has them reads them.
        assert {"suggestions_cosigner", "suggestions_assignment", "suggestions_attachment"} <= _tables_read(
            client, people[name], rehandled
        )
    assert _page(client, people["deputy"], s)[0] < _page(client, people["deputy"], rehandled)[0]


def test_the_page_of_another_units_or_deputys_suggestion_is_refused(client, city, people, rehandled):
    other_unit = User.objects.create(
        username="unit_c",
        role=Role.UNIT_CLERK,
        unit=HandlingUnit.objects.create(name="市水利局", kind=UnitKind.GOVERNMENT),
    )
    other_deputy = User.objects.create(username="deputy_x", role=Role.DEPUTY, deputy=city.deputies_a[1])
    for user in (other_unit, other_deputy, people["township_b"]):
        client.force_login(user)
        assert client.get(rehandled.get_absolute_url()).status_code == 404, user.username
