"""Helpers the activities pages share: the form page, the township's name, the business check, the year parameter,
file downloads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest

from deputyhome.core.crud import BackToListFormView, FormPageView

from .. import permissions

FORM_TEMPLATE = "activities/form.html"
PER_PAGE = 50  # rows of a related list on an object's page (a rule's postings, a campaign's themes and topics)


def page_of(request: HttpRequest, rows, param: str = "page"):
    """One page of `rows` (`?<param>=`), and the query string its pagination links keep (the other lists' pages)."""
    query = request.GET.copy()
    query.pop(param, None)
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param)), query.urlencode()


class FormPage(FormPageView):
    """An activities form: the usual form page with the app's stylesheet."""

    template_name = FORM_TEMPLATE


class BackToListFormPage(BackToListFormView):
    """An activities form for objects without a page of their own."""

    template_name = FORM_TEMPLATE


def _township_name(region) -> str:
    if region is None:
        return ""
    if region.parent_id is None:
        return "全市"
    township = region.township
    return township.name if township else region.name


def _business(request: HttpRequest) -> None:
    if not permissions.sees_business(request.user):
        raise PermissionDenied("您的角色无权访问此页面。")


def _yes_no(value: bool) -> str:
    return "达标" if value else "未达标"


def _download(f, name: str) -> FileResponse:
    try:
        handle = f.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(handle, as_attachment=False, filename=name)
