"""Attachments of suggestions and replies are checked by content: a renamed file is refused, nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputyhome.suggestions import services as sv
from deputyhome.suggestions.models import Attachment, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


PDF = b"%PDF-1.4\n%test\n"
EXE_AS_PDF = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"


def _post_draft(client, people, session, files: list[SimpleUploadedFile]):
    """The deputy persona sends the draft form of 关于增设公交线路的建议 with `files`."""
    client.force_login(people["deputy"])
    data = {"title": "关于增设公交线路的建议", "proposals": "增设线路", "session": session.pk, "files": files}
    return client.post(reverse("suggestions:create"), data)


def test_the_draft_form_refuses_a_renamed_file_and_keeps_nothing(client, people, session, media):
    files = [
        SimpleUploadedFile("调研材料.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("现场照片.pdf", EXE_AS_PDF, content_type="application/pdf"),
    ]
    response = _post_draft(client, people, session, files)
    assert response.status_code == 400
    html = response.content.decode()
    assert "附件“现场照片.pdf”的内容与扩展名不符或已损坏：它不是 PDF，而是可执行程序。" in html
    assert not Suggestion.objects.filter(title="关于增设公交线路的建议").exists()
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_the_draft_form_takes_real_files(client, people, session, media):
    response = _post_draft(
        client, people, session, [SimpleUploadedFile("调研材料.pdf", PDF, content_type="application/pdf")]
    )
    assert response.status_code == 302
    assert Attachment.objects.get().name == "调研材料.pdf"
    assert len(stored(media)) == 1


def test_editing_a_draft_refuses_an_xls_renamed_to_xlsx(people, session, media):
    s = sv.suggestion_create(
        author=people["deputy"].deputy,
        data={"title": "关于停车难的建议", "proposals": "增设停车位", "session": session},
        actor=people["deputy"],
    )
    renamed = SimpleUploadedFile("统计表.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="旧版 Office 文件或设置了打开密码的文件"):
        sv.suggestion_update(suggestion=s, data={"title": "改过的标题"}, actor=people["deputy"], files=[renamed])
    s.refresh_from_db()
    assert s.title == "关于停车难的建议"
    assert not s.attachments.exists()
    assert stored(media) == []
