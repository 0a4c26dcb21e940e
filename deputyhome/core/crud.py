"""Thin, scoped list/detail/form views shared by every register page.

A view gets its queryset from a selector (which applies the user's scope), filters it
with django-filter, sorts by a whitelisted column and paginates. Writes go to one
service function. Nothing here knows about scopes or audit rows.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from deputyhome.audit.services import REFUSAL_ACTION as OUT_OF_SCOPE_ACTION
from deputyhome.audit.services import record

from .converters import valid_id
from .exports import link_allowed
from .filters import sees_one_township


@dataclass(frozen=True)
class Column:
    """One column of a register: a header, how to get the cell, and optionally a sort key and a link."""

    label: str
    value: Callable[[Any], Any]
    sort: str | None = None
    link: Callable[[Any], str] | None = None
    # The 乡镇（街道） column: not shown to a user whose every row lies in one township (it would hold one value).
    township: bool = False


def township_column(value: Callable[[Any], Any], sort: str | None = None) -> Column:
    """乡镇（街道）: shown to those who see several townships (its sort still serves the page's order)."""
    return Column("乡镇（街道）", value, sort, township=True)


def _field(path: str) -> Callable[[Any], Any]:
    """The value at a lookup path (`station__name`: the object's station's name), None past a missing link."""

    def value(obj: Any) -> Any:
        for name in path.split("__"):
            obj = getattr(obj, name, None) if obj is not None else None
        return obj

    return value


def _object_url(obj: Any) -> str:
    return obj.get_absolute_url()


def name_column(label: str = "名称", field: str = "name", sort: str | None = None) -> Column:
    """The column that names the object and links to its page, sorted by the field (or `sort`)."""
    return Column(label, _field(field), sort or field, link=_object_url)


def yes_no_column(label: str, field: str, sort: bool = True) -> Column:
    """是 or 否 for a true or false field."""
    value = _field(field)
    return Column(label, lambda obj: "是" if value(obj) else "否", field if sort else None)


def date_column(label: str, field: str, sort: bool = True) -> Column:
    """A date as 2026-01-31, empty when there is none."""
    value = _field(field)

    def cell(obj: Any) -> str:
        day = value(obj)
        return f"{day:%Y-%m-%d}" if day else ""

    return Column(label, cell, field if sort else None)


class ScopedMixin(LoginRequiredMixin):
    """Checks the role may open this kind of page at all; the selector then narrows to the scope."""

    allowed: Callable[[Any], bool] = staticmethod(lambda user: True)
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated and not self.allowed(request.user):
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)


class CountedRows:
    """A register's rows for the paginator, read from `rows` but counted on `counted`: the same rows, where the
    query that reads a page in order and the one that counts them best differ (a join the order needs makes
    the count of a large table slower)."""

    def __init__(self, rows: QuerySet, *, counted: QuerySet) -> None:
        self.rows, self.counted, self.ordered = rows, counted, rows.ordered

    def count(self) -> int:
        return self.counted.count()

    def __getitem__(self, index: slice) -> QuerySet:
        return self.rows[index]


class RegisterView(ScopedMixin, View):
    """A list page: filter, search, sort, paginate; a fixed number of queries per page."""

    title: str = ""
    selector: Callable[..., QuerySet]
    filterset_class: type | None = None
    columns: list[Column] = []
    default_sort: str = ""
    paginate_by = 25
    template_name = "core/register.html"
    create_url: str | None = None
    create_allowed: Callable[[Any], bool] = staticmethod(lambda user: user.can_edit)
    create_carries: tuple[str, ...] = ()  # filters that 新增 takes along when set (the form starts from them)
    export_url: str | None = None
    extra_links: list[tuple[str, str]] = []

    def get_queryset(self) -> QuerySet:
        return type(self).selector(user=self.request.user)

    def filterset_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=qs, **self.filterset_kwargs())
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        columns = self.get_columns()
        sorts = {c.sort: c for c in columns if c.sort}
        if sees_one_township(request.user):
            columns = [c for c in columns if not c.township]
        sort = request.GET.get("sort", self.default_sort)
        if sort.lstrip("-") not in sorts:
            sort = self.default_sort  # an unknown column (an old or edited address): the page's own order
        key = sort.lstrip("-")
        rows: QuerySet | CountedRows = qs
        if key in sorts:
            rows = self.order(qs, f"{'-' if sort.startswith('-') else ''}{key}")
        else:
            sort = ""
        if isinstance(rows, QuerySet) and not rows.ordered:
            rows = rows.order_by("pk")  # the same rows on the same page every time
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        self.decorate(page.object_list)
        rows = [
            (obj, [(c.label, _cell(c.value(obj)), c.link(obj) if c.link else None) for c in columns])
            for obj in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context = {
            "title": self.title,
            "columns": columns,
            "rows": rows,
            "page": page,
            "filter": filterset,
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "create_url": self._create_link(filterset),
            "export_url": reverse(self.export_url)
            if self.export_url and link_allowed(request.user, self.export_url)
            else None,
            "extra_links": self.extra_links,
            "filtered": bool(filterset and filterset.is_bound and any(v for v in request.GET.dict().values())),
        }
        context.update(self.extra_context(qs))
        return render(request, self.template_name, context)

    def get_columns(self) -> list[Column]:
        return self.columns

    def _create_link(self, filterset: Any) -> str | None:
        """新增, for those who may, with the filters it carries that the list is narrowed by (valid ones only)."""
        if not self.create_url or not self.create_allowed(self.request.user):
            return None
        url = reverse(self.create_url)
        if not (self.create_carries and filterset is not None and filterset.is_bound and filterset.is_valid()):
            return url
        chosen = {k: filterset.form.cleaned_data.get(k) for k in self.create_carries}
        carried = {k: getattr(v, "pk", v) for k, v in chosen.items() if v not in (None, "")}
        return f"{url}?{urlencode(carried)}" if carried else url

    def order(self, qs: QuerySet, field: str) -> QuerySet | CountedRows:
        """The filtered rows sorted on `field` (a column's sort, "-" for descending), then the key."""
        return qs.order_by(field, "pk")

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        return {}

    def decorate(self, objects: list[Any]) -> None:
        """Add to the page's objects what is costly to compute for every row of the table (counts over a
        large related table): one grouped query on the page's ids, so that neither the paginator's count
        nor the page's query aggregates the whole table."""


def _cell(value: Any) -> Any:
    return "—" if value is None or value == "" else value


def get_in_scope(selector: Callable[..., QuerySet], user: Any, pk: Any) -> Model:
    """The object with `pk` if the user's scope contains it; otherwise 404, whether it exists or not."""
    scoped = selector(user=user)
    obj = scoped.filter(pk=pk).first() if valid_id(pk) is not None else None
    if obj is None:
        raise not_in_scope(user, scoped.model, pk)
    return obj


def get_detail_in_scope(
    detail: Callable[..., Model], user: Any, model: type[Model], pk: Any, message: str = ""
) -> Model:
    """The object a detail selector gives (`detail(user=, pk=)`, raising `DoesNotExist` outside the user's
    scope); otherwise 404, audited as `get_in_scope` does."""
    try:
        return detail(user=user, pk=pk)
    except model.DoesNotExist as exc:
        raise not_in_scope(user, model, pk, message) from exc


def not_in_scope(user: Any, model: type[Model], pk: Any, message: str = "") -> Http404:
    """The 404 for an object the user may not see, with its refusal audited if the object exists.

    Every out-of-scope lookup ends here (through `get_in_scope`, or a view whose detail selector raised
    `DoesNotExist`): the refusal is audited like a 403 (reason `out_of_scope`) and answered like a
    missing object, so that nobody learns what exists elsewhere. A missing object is not audited.
    """
    number = valid_id(pk)
    outside = model._default_manager.filter(pk=number).first() if number is not None else None
    if outside is not None:
        record(
            actor=user,
            action=OUT_OF_SCOPE_ACTION,
            obj=outside,
            object_repr=f"{outside._meta.verbose_name} #{outside.pk}",
            changes={"reason": "out_of_scope"},
            success=False,
        )
    return Http404(message or "未找到，或不在您的管辖范围内。")


class FormPageView(ScopedMixin, View):
    """Create or edit one object: permission → form → one service → redirect to its page."""

    form_class: type[BaseForm]
    template_name = "core/form.html"
    title: str = ""
    allowed = staticmethod(lambda user: user.can_edit)
    selector: Callable[..., QuerySet] | None = None  # for edits: where to look the object up
    # The services `<entity>_create(*, data, actor)` and `<entity>_update(*, <entity>, data, actor)`;
    # a view with other needs overrides save() instead.
    entity: str = ""
    create: Callable[..., Model]
    update: Callable[..., Model]
    list_url: str = ""  # the register's URL name (ModelPages sets it), for forms that go back to it
    initial_from: tuple[str, ...] = ()  # fields a new object's form starts from the address (the register's 新增)

    def get_object(self) -> Model | None:
        if self.selector is None or "pk" not in self.kwargs:
            return None
        return get_in_scope(type(self).selector, self.request.user, self.kwargs["pk"])

    def get_form(self, instance: Model | None, data=None, files=None) -> BaseForm:
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def new_data(self) -> dict[str, Any]:
        """What a new object takes from its page rather than from the form (the deputy or the session it is of)."""
        return {}

    def save(self, form: BaseForm, instance: Model | None) -> Model:
        """Create through `create`, or update through `update` (which takes the object as `<entity>=`)."""
        if instance is None:
            return type(self).create(data={**form.cleaned_data, **self.new_data()}, actor=self.request.user)
        return type(self).update(**{self.entity: instance}, data=form.cleaned_data, actor=self.request.user)

    def success_url(self, obj: Model) -> str:
        return obj.get_absolute_url()

    def get_title(self, instance: Model | None) -> str:
        return self.title if instance is None else f"编辑：{instance}"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        instance = self.get_object()
        form = self.get_form(instance)
        if instance is None:  # a choice outside the user's scope is not among the field's choices: shown empty
            form.initial.update({k: request.GET[k] for k in self.initial_from if request.GET.get(k)})
        return self.render(form, instance)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        instance = self.get_object()
        # A model form writes what it cleaned onto its instance, valid or not: the form gets a copy, so that the
        # page shown again (its title, 取消) speaks of the object as stored, not of a half-filled one.
        form = self.get_form(copy.copy(instance), data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                obj = self.save(form, instance)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return HttpResponseRedirect(self.success_url(obj))
        return self.render(form, instance, status=400)

    def render(self, form: BaseForm, instance: Model | None, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": self.get_title(instance),
                "object": instance,
                "cancel_url": self.cancel_url(instance),
            },
            status=status,
        )

    def cancel_url(self, instance: Model | None) -> str:
        """取消 leads to the object's page, or for a new one to the register; "" where there is neither (the
        template's 取消 then goes back in the browser's history, by static/js/app.js)."""
        if instance is not None and hasattr(instance, "get_absolute_url"):
            return instance.get_absolute_url()
        return reverse(self.list_url) if self.list_url else ""


class BackToListFormView(FormPageView):
    """A form for objects without a page of their own: saving or cancelling goes back to the register."""

    def success_url(self, obj: Model) -> str:
        return reverse(self.list_url)

    def cancel_url(self, instance: Model | None) -> str:
        return reverse(self.list_url)


def scheme_form_page(
    request: HttpRequest,
    scheme: Model,
    form_class: Callable[..., BaseForm],
    *,
    save: Callable[[Any], Any],
    saved: str,
    success_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A year's scheme of items (duty points, unit scoring) as one form: on a valid POST one service call
    (`save(form)`), the message `saved` and back to `success_url`; with the year not understood
    (`context["year_error"]`) the page shows this year's and saves nothing."""
    error = context.get("year_error")
    status = 400 if error else 200
    if request.method == "POST" and not error:
        form = form_class(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                save(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, saved)
                return HttpResponseRedirect(success_url)
        status = 400
    else:
        form = form_class(scheme=scheme)
    return render(request, template, {**context, "scheme": scheme, "form": form}, status=status)


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page with a form (`context["form"]`): 400 when the form has errors, so that bad input never reads as a
    success (to a test, a proxy or a screen reader's page title)."""
    return render(request, template, context, status=400 if context["form"].errors else 200)


def add_service_errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DeletePageView(ScopedMixin, View):
    """Ask for confirmation on GET; delete through the service on POST."""

    template_name = "core/confirm_delete.html"
    allowed = staticmethod(lambda user: user.can_edit)
    selector: Callable[..., QuerySet]
    service: Callable[..., None]
    success_url_name: str = ""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = get_in_scope(type(self).selector, request.user, pk)
        return render(request, self.template_name, {"object": obj, "title": f"删除：{obj}"})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = get_in_scope(type(self).selector, request.user, pk)
        try:
            type(self).service(obj, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, self.template_name, {"object": obj, "title": f"删除：{obj}"}, status=400)
        messages.success(request, f"已删除“{obj}”。")
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj: Model) -> str:
        return reverse(self.success_url_name)


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
