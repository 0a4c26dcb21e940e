"""What the station norms' lists (代表进站情况, 小组活动情况) share in their views: the filters and the query they
ask for, the 提醒 step, and the export's sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.core.exports import ExportFile, ListExport
from deputyhome.notifications.services import AT_ONCE

from . import selectors
from .reminder_services import Reminded


def filtered(request: HttpRequest, data, form_class: type, make: Callable[..., Any], fields: tuple[str, ...]):
    """A page's filters (`form_class`) and the query they ask for (`make`); an invalid filter is said, and this year's
    whole list shown. The same roles as the points list."""
    if not selectors.can_view_points_list(request.user):
        raise PermissionDenied("您的角色无权查看此统计。")
    data = (request.GET if data is None else data).copy()
    data.setdefault("year", str(scopes.today().year))
    form = form_class(data, user=request.user)
    if not form.is_valid():
        errors = "；".join(e for field in form.errors.values() for e in field)
        return form, make(year=scopes.today().year), errors
    return form, make(**{k: form.cleaned_data[k] for k in fields if k in form.cleaned_data}), ""


def norm_filters(query: Any) -> dict[str, Any]:
    """A norm list's filters as its query string: the year, and the township, station, group and name asked for."""
    out: dict[str, Any] = {"year": query.year}
    for name in ("township", "station", "group"):
        if getattr(query, name, None) is not None:
            out[name] = getattr(query, name).pk
    if query.name.strip():
        out["name"] = query.name.strip()
    return out


def chunks(listed: Sequence[Any]) -> Iterator[list[Any]]:
    """The rows a list shows (deputies, groups), 2,000 at a time: each slice read in one query."""
    for start in range(0, len(listed), 2000):
        yield listed[start : start + 2000]


def remind(
    request: HttpRequest,
    parsed: tuple[Any, Any, str],
    *,
    page: str,
    only: str,
    send: Callable[..., Reminded],
    said: Callable[[Reminded], str],
) -> HttpResponse:
    """提醒 from a norm's list (`page`): send to those the list shows with `only` ticked (the filters sent with the
    button, `parsed`), say what was done, and go back to that list."""
    _form, query, error = parsed
    back = f"{reverse(page)}?{urlencode({**norm_filters(query), only: 'on'})}"
    if error:
        messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        done = send(query=query, actor=request.user, sms=request.POST.get("sms") == "on")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(back)
    messages.success(request, said(done))
    if done.texted > AT_ONCE:
        messages.info(
            request, f"短信共{done.texted}条，已排队：随即先发出至多{AT_ONCE}条，其余由定时任务在15分钟内发出。"
        )
    return HttpResponseRedirect(back)


def bad_filter(error: str) -> HttpResponse:
    return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")


def norm_export(
    parsed: tuple[Any, Any, str],
    *,
    heading: Callable[[Any], str],
    sheet: tuple[str, Sequence[str], Sequence[int]],
    listed: Callable[[Any], Sequence[Any]],
    rows: Callable[[list[Any], Any], Iterable[list[Any]]],
) -> ExportFile | HttpResponse:
    """A norm list as the page shows it (every row, not a page): the filters `parsed`, the sheet's name, headers and
    widths, what the list holds (`listed`, read in chunks) and each chunk's lines (`rows`); a bad filter is a 400."""
    _form, query, error = parsed
    if error:
        return bad_filter(error)
    out = ListExport(heading(query), *sheet)
    for chunk in chunks(listed(query)):
        for values in rows(chunk, query):
            out.append(values)
    return out.file({**norm_filters(query), "missing": query.missing, "running": getattr(query, "running", False)})
