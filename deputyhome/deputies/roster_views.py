"""Roster import (upload → preview → confirm) and the ledger downloads.

Between the preview and the confirmation the uploaded file is kept in the default
storage under roster-uploads/, named by a random token that is also stored in the
uploader's session; nothing of the business data is written before the confirmation,
and the file is checked again when it is applied.
"""

from __future__ import annotations

import contextlib
import datetime
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from deputyhome.accounts import export_rights
from deputyhome.core import exports

from .ledgers import NOTES, Ledger, deputies_count, deputies_full_file, ledger_file, roster_template
from .roster import roster_import, roster_preview

SESSION_KEY = "roster_upload"
UPLOAD_DIR = "roster-uploads"
MAX_ISSUES_SHOWN = 500


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="名册文件", help_text="Excel（.xlsx）或 CSV 文件")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB。")
        return upload


def _require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied("只有市、乡镇（街道）人大工作人员可以导入名册。")


def _page(request: HttpRequest, form: RosterUploadForm, result=None, rechecked: bool = False) -> HttpResponse:
    issues = result.issues if result else []
    return render(
        request,
        "roster/import.html",
        {
            "title": "名册导入",
            "form": form,
            "result": result,
            "issues": issues[:MAX_ISSUES_SHOWN],
            "issues_hidden": max(len(issues) - MAX_ISSUES_SHOWN, 0),
            "rechecked": rechecked,
            "notes": NOTES[1:],
            "max_mb": settings.ROSTER_MAX_BYTES // (1024 * 1024),
            "max_rows": settings.ROSTER_MAX_ROWS,
            "full_export_url": reverse("roster:export_deputies_full")
            if exports.link_allowed(request.user, "roster:export_deputies_full")
            else "",
        },
    )


@login_required
def import_roster(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    if request.method != "POST":
        return _page(request, RosterUploadForm())
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    result = roster_preview(content=content, filename=upload.name, actor=request.user)
    if not result.ok:
        return _page(request, form, result)
    token = _keep(request, content, upload.name)
    return render(request, "roster/preview.html", {"title": "名册导入预览", "result": result, "token": token})


@login_required
@require_POST
def apply_roster(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    kept = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    content = None
    if kept.get("user") == request.user.pk and token and secrets.compare_digest(kept.get("token", ""), token):
        content = _read(kept["path"])
    if content is None:
        messages.error(request, "待导入的文件已失效或已经导入，请重新上传。")
        return redirect("roster:import")
    result = roster_import(content=content, filename=kept["name"], actor=request.user)
    _discard(request)
    if not result.applied:
        return _page(request, RosterUploadForm(), result, rechecked=True)
    messages.success(
        request,
        f"导入完成：新增{result.created}人，更新{result.updated}人，无变化{result.unchanged}人。"
        + ("新增的代表需要登录账号的，请在“人大代表”名册中点“批量申请开通账号”。" if result.created else ""),
    )
    return redirect("roster:import")


@login_required
@require_GET
def download_template(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return _xlsx(roster_template())


def _ledger_view(kind: exports.ExportKind):
    @exports.export_view(kind)
    def view(request: HttpRequest) -> exports.ExportFile:
        return ledger_file(kind=kind.name, actor=request.user, params=request.GET.dict())

    view.__name__ = view.__qualname__ = f"export_{kind.name}"
    return view


export_deputies = _ledger_view(export_rights.DEPUTIES)
export_groups = _ledger_view(export_rights.GROUPS)
export_stations = _ledger_view(export_rights.STATIONS)

FULL_CONFIRM = "我确认导出完整身份证号和手机号"


def _full_summary(request: HttpRequest) -> str:
    count = deputies_count(user=request.user, params=request.GET.dict())
    filtered = any(v for k, v in request.GET.items() if k not in ("sort", "page"))
    return f"将导出您管辖范围内{'符合筛选条件的' if filtered else '全部'} {count} 名代表。"


@exports.confirmed_export_view(
    export_rights.DEPUTIES_FULL,
    confirm_label=FULL_CONFIRM,
    back="deputies:list",
    ordinary="roster:export_deputies",
    summary=_full_summary,
)
def export_deputies_full(request: HttpRequest, *, reason: str) -> exports.ExportFile:
    """The roster with full ID numbers and phones: reason and confirmation first (`confirmed_export_view`)."""
    return deputies_full_file(actor=request.user, params=request.GET.dict(), reason=reason)


def _xlsx(ledger: Ledger) -> HttpResponse:
    response = HttpResponse(ledger.content, content_type=ledger.content_type)
    response["Content-Disposition"] = content_disposition_header(True, ledger.filename)
    return response


# --- keeping the upload between preview and confirmation


def _keep(request: HttpRequest, content: bytes, filename: str) -> str:
    _discard(request)
    _sweep()
    token = secrets.token_urlsafe(24)
    suffix = ".csv" if filename.lower().endswith(".csv") else ".xlsx"
    path = default_storage.save(f"{UPLOAD_DIR}/{request.user.pk}-{token}{suffix}", ContentFile(content))
    request.session[SESSION_KEY] = {"token": token, "path": path, "name": filename[:200], "user": request.user.pk}
    return token


def _read(path: str) -> bytes | None:
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _discard(request: HttpRequest) -> None:
    kept = request.session.pop(SESSION_KEY, None)
    if kept and kept.get("path"):
        with contextlib.suppress(OSError):
            default_storage.delete(kept["path"])


def _sweep() -> None:
    """Remove uploads nobody confirmed within a day."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    try:
        _, names = default_storage.listdir(UPLOAD_DIR)
    except OSError:
        return
    for name in names:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except OSError:
            continue
