"""A city unit's answer to a forwarded matter carries its files (答复函): stored with the forward, shown beside the
answer to whoever sees the forward, refused to everyone else, checked by content (a bad file writes nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import REFUSAL_ACTION
from deputyhome.suggestions.choices import ForwardStatus
from deputyhome.suggestions.models import Attachment, Event

from .test_attachments import EXE_AS_PDF, PDF, stored
from .test_forwards import _forward, _page, _section, town  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _answer(client, clerk, f, files):
    client.force_login(clerk)
    return client.post(
        reverse("suggestions:forward_answer", args=[f.pk]), {"answer-answer": "已列入2027年计划", "answer-files": files}
    )


def test_the_answer_letter_goes_with_the_answer_to_whoever_sees_the_forward(client, people, town, media):  # noqa: F811
    s, f = town["s"], _forward(town)
    _, html = _page(client, town["clerk"], s)
    assert 'enctype="multipart/form-data"' in html.split('id="forward-answer"')[0].rsplit("<form", 1)[1]
    letter = SimpleUploadedFile("关于转办事项的答复函.pdf", PDF, content_type="application/pdf")
    assert _answer(client, town["clerk"], f, [letter]).status_code == 302
    f.refresh_from_db()
    a = Attachment.objects.get()
    assert (f.status, a.forward, a.reply, a.suggestion, a.uploaded_by) == (
        ForwardStatus.ANSWERED,
        f,
        None,
        s,
        town["clerk"],
    )
    audit = AuditEvent.objects.filter(action="suggestion.forward_answer").get()
    assert audit.changes["files"] == ["关于转办事项的答复函.pdf"]
    url = reverse("suggestions:attachment", args=[a.pk])
    for user in (town["officer"], town["clerk"], people["city"], town["deputy"]):
        code, html = _page(client, user, s)
        assert code == 200 and url in _section(html), user  # beside the answer
        assert url not in html.replace(_section(html), ""), user  # not among the suggestion's own files
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF, user
    # The township's own office handles the suggestion but not the forward; another unit and another township see
    # neither.
    for user in (town["office_clerk"], people["unit_b"], town["other_officer"]):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    assert not AuditEvent.objects.filter(action="suggestion.attachment_download", actor=town["office_clerk"])
    # Each refusal is on record as one: of the file for the office, which sees the suggestion; of the suggestion
    # for the others.
    refused = dict(AuditEvent.objects.filter(action=REFUSAL_ACTION, success=False).values_list("actor", "object_type"))
    assert refused == {
        town["office_clerk"].pk: "suggestions.attachment",
        people["unit_b"].pk: "suggestions.suggestion",
        town["other_officer"].pk: "suggestions.suggestion",
    }


def test_a_bad_file_refuses_the_whole_answer(client, town, media):  # noqa: F811
    s, f = town["s"], _forward(town)
    events = Event.objects.filter(suggestion=s).count()
    renamed = SimpleUploadedFile("答复函.pdf", EXE_AS_PDF, content_type="application/pdf")
    r = _answer(
        client, town["clerk"], f, [SimpleUploadedFile("附表.pdf", PDF, content_type="application/pdf"), renamed]
    )
    assert r.status_code == 400
    assert "答复函.pdf" in r.content.decode() and 'id="forward-answer"' in r.content.decode()
    f.refresh_from_db()
    assert (f.status, f.answer) == (ForwardStatus.PENDING, "")
    assert not Attachment.objects.exists() and stored(media) == []
    assert Event.objects.filter(suggestion=s).count() == events
    assert not AuditEvent.objects.filter(action="suggestion.forward_answer").exists()
