"""Exports (导出): per-user expiring download links and one audit row per file; who may export what is one table
of kinds and roles in `accounts.export_rights` (core knows no role).

Every export view is reached in two steps:

1. The page's 导出 link (GET /…/export…?filters) checks the export permission of the user's
   role and, if allowed, redirects to the same URL with a signed token `?…&t=…`. The token
   (TimestampSigner, one salt per kind of export) binds the user, the path and the query.
2. The signed URL checks the permission again, then the token: expired after
   `LINK_MAX_AGE` seconds → 410 "下载链接已过期，请重新导出"; another user's link, or a
   token that does not match the path and query → 403. Only then the view builds the file
   from the user's scoped selectors, and the file and its audit row ("export.<kind>", with
   the filters and the row count) come out of the same transaction: one row per file served.

Refusals (403, 410) are audited as "export_refused.<kind>" with the reason. Every answer of
an export view carries `Cache-Control: no-store`: files with personal data, and links that
must not outlive their five minutes in a shared cache.

A view under `@export_view(KIND)` returns an `ExportFile` (or an error response, such as
400 for a year it cannot read); the decorator writes the response and the audit row.

Personal data in bulk (the deputies' full ID numbers and phones) is never in an ordinary export:
those are masked as on the pages. The full file is a kind of its own under
`@confirmed_export_view(KIND)`: the permission (the roles that may reveal the values one deputy
at a time), a stated reason and a ticked confirmation on a page of its own (GET), then a POST that
returns the file, its audit row carrying the reason and the row count, from one transaction. A
form without the reason or the confirmation answers 400 with the form again: no file, no row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from deputyhome.audit.services import mark_refusal_audited, record

from .xlsx import StreamedSheet, streamed_workbook, workbook_bytes

T = TypeVar("T")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LINK_PARAM = "t"
LINK_MAX_AGE = 5 * 60  # seconds a signed download link stays valid


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its name (the audit action is "export.<name>"), its label and who may use it."""

    name: str
    label: str
    roles: frozenset[str]

    @property
    def permission(self) -> str:
        return f"exports.{self.name}"

    @property
    def action(self) -> str:
        return f"export.{self.name}"

    @property
    def refused_action(self) -> str:
        return f"export_refused.{self.name}"

    @property
    def salt(self) -> str:
        return f"deputyhome.exports.{self.name}"


def may_export(user: Any, kind: ExportKind) -> bool:
    """Whether the user's role holds the permission of this kind of export."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.role in kind.roles)


def link_allowed(user: Any, url_name: str) -> bool:
    """Whether a page should show its 导出 link to the user (views not under `export_view` are not governed)."""
    try:
        func = resolve(reverse(url_name)).func
    except (NoReverseMatch, Resolver404):
        return False
    kind = getattr(func, "export_kind", None)
    return kind is None or may_export(user, kind)


@dataclass
class ExportFile:
    """A built file and the facts its audit row records."""

    content: bytes
    filename: str
    rows: int
    filters: Mapping[str, Any] = field(default_factory=dict)
    content_type: str = XLSX_TYPE
    extra: Mapping[str, Any] = field(default_factory=dict)  # more facts for the audit row, e.g. masked


CHUNK = 2000  # rows fetched at a time by a streamed export (and the `__in` look-ups made per chunk)


def in_chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """A long export's rows (from `.values_list(...).iterator(chunk_size=...)`) in lists of `size`, so that
    what each row needs from other tables is fetched once per chunk, never once per row."""
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def record_export(*, actor: Any, kind: ExportKind, file: ExportFile) -> None:
    """The audit row of one file served (also used by commands that write an export to disk)."""
    record(
        actor=actor,
        action=kind.action,
        object_type="export",
        object_repr=file.filename,
        changes={
            "rows": file.rows,
            "filters": {k: v for k, v in file.filters.items() if v not in (None, "")},
            **file.extra,
        },
    )


def attachment_header(filename: str) -> str:
    """RFC 6266: an ASCII fallback name plus the UTF-8 name, which every current browser uses."""
    dot = filename.rfind(".")
    suffix = filename[dot:] if dot >= 0 and filename[dot:].isascii() else ""
    return f"attachment; filename=\"export{suffix}\"; filename*=UTF-8''{quote(filename)}"


# The signed link ----------------------------------------------------------------------------------------


def _binding(path: str, query: QueryDict) -> str:
    """A digest of the path and the query (in any order, without the token) that the token is bound to."""
    pairs = sorted((k, v) for k, values in query.lists() if k != LINK_PARAM for v in values)
    return hashlib.sha256(f"{path}?{urlencode(pairs)}".encode()).hexdigest()[:32]


def _signer(kind: ExportKind) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=kind.salt)


def signed_url(*, kind: ExportKind, user: Any, path: str, query: QueryDict) -> str:
    """The download link for this user, path and query, valid for `LINK_MAX_AGE` seconds."""
    token = _signer(kind).sign_object({"u": user.pk, "b": _binding(path, query)})
    params = query.copy()
    params.pop(LINK_PARAM, None)
    params[LINK_PARAM] = token
    return f"{path}?{params.urlencode()}"


def _unsigned_url(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop(LINK_PARAM, None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


class _Refused(Exception):
    def __init__(self, reason: str, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.reason, self.message, self.status = reason, message, status


def _check_token(kind: ExportKind, request: HttpRequest) -> None:
    token = request.GET.get(LINK_PARAM, "")
    try:
        payload = _signer(kind).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise _Refused("expired", "下载链接已过期，请重新导出。", status=410) from exc
    except signing.BadSignature as exc:
        raise _Refused("bad_token", "下载链接无效，请回到页面重新导出。") from exc
    if not isinstance(payload, dict) or payload.get("b") != _binding(request.path, request.GET):
        raise _Refused("bad_token", "下载链接无效，请回到页面重新导出。")
    if payload.get("u") != request.user.pk:
        raise _Refused("other_user", "该下载链接属于其他用户，不能使用。请在您自己的页面上导出。")


def _refusal(request: HttpRequest, kind: ExportKind, refused: _Refused) -> HttpResponse:
    mark_refusal_audited(request)
    record(
        actor=request.user,
        action=kind.refused_action,
        object_type="export",
        object_repr=kind.label,
        changes={"reason": refused.reason, "path": request.path},
        success=False,
        detail=refused.message,
    )
    response = render(
        request,
        "core/export_refused.html",
        {
            "title": "下载链接已过期" if refused.status == 410 else "无法导出",
            "message": refused.message,
            "kind": kind,
            "max_minutes": LINK_MAX_AGE // 60,
            "again_url": _unsigned_url(request) if refused.reason != "no_permission" else None,
        },
        status=refused.status,
    )
    add_never_cache_headers(response)
    return response


def _file_response(file: ExportFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = attachment_header(file.filename)
    return response


def export_view(kind: ExportKind) -> Callable[[Callable[..., ExportFile | HttpResponse]], Callable[..., HttpResponse]]:
    """Wrap a view that builds one kind of export: permission, signed link, audit row, no-store."""

    def decorate(view: Callable[..., ExportFile | HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            try:
                if not may_export(user, kind):
                    raise _Refused("no_permission", f"您的角色无权导出{kind.label}。")
                if LINK_PARAM not in request.GET:
                    response: HttpResponse = HttpResponseRedirect(
                        signed_url(kind=kind, user=user, path=request.path, query=request.GET)
                    )
                else:
                    _check_token(kind, request)
                    # The view sees the page's own query string, as on the first step.
                    request.GET = request.GET.copy()
                    request.GET.pop(LINK_PARAM)
                    try:
                        with transaction.atomic():
                            result = view(request, *args, **kwargs)
                            if isinstance(result, ExportFile):
                                record_export(actor=user, kind=kind, file=result)
                    except PermissionDenied as exc:
                        raise _Refused("no_permission", str(exc) or f"您无权导出{kind.label}。") from exc
                    response = _file_response(result) if isinstance(result, ExportFile) else result
            except _Refused as refused:
                return _refusal(request, kind, refused)
            add_never_cache_headers(response)
            return response

        wrapper.export_kind = kind  # type: ignore[attr-defined]
        return login_required(require_GET(wrapper))

    return decorate


# Personal data in bulk: a reason and a second confirmation -----------------------------------------------

REASON_REQUIRED = "请填写导出事由：说明为什么需要完整的身份证号和手机号（如 换届选举资格审查）。"
CONFIRM_REQUIRED = "请勾选确认：本次导出的文件含完整身份证号和手机号。"


class ExportConfirmForm(forms.Form):
    """The second step of a full export: why, and a ticked box saying the user knows what the file holds."""

    reason = forms.CharField(
        label="导出事由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="必填，记入审计日志，最多200字。",
        error_messages={"required": REASON_REQUIRED, "max_length": "导出事由不能超过200字。"},
    )
    confirm = forms.BooleanField(label="", error_messages={"required": CONFIRM_REQUIRED})

    def __init__(self, *args: Any, confirm_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = confirm_label

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data.get("reason", "").split())
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason


def confirmed_export_view(
    kind: ExportKind,
    *,
    confirm_label: str,
    back: str,
    ordinary: str | None = None,
    summary: Callable[[HttpRequest], str] | None = None,
) -> Callable[[Callable[..., ExportFile]], Callable[..., HttpResponse]]:
    """Wrap a view that builds a file of personal data in bulk: `view(request, *, reason) -> ExportFile`.

    GET shows the confirmation page (what the file holds, `summary(request)`, the reason and the box
    labelled `confirm_label`); POST with both returns the file, audited with the reason in the same
    transaction. The page's filters travel in the query string of both. `back`: the URL name of the
    page the user came from; `ordinary`: the URL name of the masked export, offered instead.
    Without the permission: 403, audited once as "export_refused.<kind>", whatever the method.
    """

    def decorate(view: Callable[..., ExportFile]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not may_export(user, kind):
                return _refusal(request, kind, _Refused("no_permission", f"您的角色无权导出{kind.label}。"))
            data = request.POST if request.method == "POST" else None
            form = ExportConfirmForm(data, confirm_label=confirm_label)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                try:
                    with transaction.atomic():
                        file = view(request, *args, reason=reason, **kwargs)
                        file.extra = {**file.extra, "reason": reason}
                        record_export(actor=user, kind=kind, file=file)
                except PermissionDenied as exc:
                    refused = _Refused("no_permission", str(exc) or f"您无权导出{kind.label}。")
                    return _refusal(request, kind, refused)
                response = _file_response(file)
            else:
                query = request.GET.urlencode()
                response = render(
                    request,
                    "core/export_confirm.html",
                    {
                        "title": f"导出{kind.label}",
                        "kind": kind,
                        "form": form,
                        "summary": summary(request) if summary else "",
                        "query": query,
                        "back_url": reverse(back) + (f"?{query}" if query else ""),
                        "ordinary_url": reverse(ordinary) + (f"?{query}" if query else "") if ordinary else "",
                    },
                    status=400 if data is not None else 200,
                )
            add_never_cache_headers(response)
            return response

        wrapper.export_kind = kind  # type: ignore[attr-defined]
        return login_required(require_http_methods(["GET", "POST"])(wrapper))

    return decorate


class ListExport:
    """A list as one streamed sheet, titled with its heading and the day it is exported (`<heading>（导出日期 …）`,
    the file `<name or heading>-<yyyymmdd>.xlsx`); `file` is what the export view returns. `dates`: the 0-based
    columns shown as dates; `print_titles` repeats the header row on every printed page."""

    def __init__(
        self,
        heading: str,
        sheet: str,
        headers: Sequence[str],
        widths: Sequence[int],
        *,
        dates: Iterable[int] = (),
        print_titles: bool = False,
        name: str = "",
    ) -> None:
        self.name, self.today, self.count = name or heading, timezone.localdate(), 0
        self.workbook = streamed_workbook()
        title = f"{heading}（导出日期 {self.today:%Y-%m-%d}）"
        self.sheet = StreamedSheet(self.workbook, sheet, title, headers, widths, dates=dates)
        if print_titles:
            self.sheet.sheet.print_title_rows = "2:2"

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append(values)
        self.count += 1

    def file(self, filters: Mapping[str, Any] | None = None) -> ExportFile:
        filename = f"{self.name}-{self.today:%Y%m%d}.xlsx"
        return ExportFile(workbook_bytes(self.workbook), filename, self.count, filters=dict(filters or {}))
