"""Thin, scoped list/detail/form views shared by every register page.

A view gets its queryset from a selector (which applies the user's scope), filters it
with django-filter, sorts by a whitelisted column and paginates. Writes go to one
service function. Nothing here knows about scopes or audit rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views import View

from deputyhome.audit.services import REFUSAL_ACTION as OUT_OF_SCOPE_ACTION
from deputyhome.audit.services import record

from .converters import valid_id
from .exports import link_allowed


@dataclass(frozen=True)
class Column:
    """One column of a register: a header, how to get the cell, and optionally a sort key and a link."""

    label: str
    value: Callable[[Any], Any]
    sort: str | None = None
    link: Callable[[Any], str] | None = None


class ScopedMixin(LoginRequiredMixin):
    """Checks the role may open this kind of page at all; the selector then narrows to the scope."""

    allowed: Callable[[Any], bool] = staticmethod(lambda user: True)
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated and not self.allowed(request.user):
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)


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
        sort = request.GET.get("sort", self.default_sort)
        key = sort.lstrip("-")
        if key in sorts:
            qs = qs.order_by(f"{'-' if sort.startswith('-') else ''}{key}", "pk")
        else:
            sort = ""
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
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
            "create_url": reverse(self.create_url) if self.create_url and self.create_allowed(request.user) else None,
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

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        return {}


def _cell(value: Any) -> Any:
    return "—" if value is None or value == "" else value


def get_in_scope(selector: Callable[..., QuerySet], user: Any, pk: Any) -> Model:
    """The object with `pk` if the user's scope contains it; otherwise 404, whether it exists or not."""
    scoped = selector(user=user)
    obj = scoped.filter(pk=pk).first() if valid_id(pk) is not None else None
    if obj is None:
        raise not_in_scope(user, scoped.model, pk)
    return obj


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

    def get_object(self) -> Model | None:
        if self.selector is None or "pk" not in self.kwargs:
            return None
        return get_in_scope(type(self).selector, self.request.user, self.kwargs["pk"])

    def get_form(self, instance: Model | None, data=None, files=None) -> BaseForm:
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def save(self, form: BaseForm, instance: Model | None) -> Model:
        """Create through `create`, or update through `update` (which takes the object as `<entity>=`)."""
        if instance is None:
            return type(self).create(data=form.cleaned_data, actor=self.request.user)
        return type(self).update(**{self.entity: instance}, data=form.cleaned_data, actor=self.request.user)

    def success_url(self, obj: Model) -> str:
        return obj.get_absolute_url()

    def get_title(self, instance: Model | None) -> str:
        return self.title if instance is None else f"编辑：{instance}"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        instance = self.get_object()
        return self.render(self.get_form(instance), instance)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        instance = self.get_object()
        form = self.get_form(instance, data=request.POST, files=request.FILES)
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
        return instance.get_absolute_url() if instance is not None and hasattr(instance, "get_absolute_url") else ""


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


def _can_edit(user: Any) -> bool:
    return user.can_edit


@dataclass(frozen=True)
class ModelPages:
    """One model's register, create/edit form and delete confirmation, declared once.

    `entity` names the URLs (`<entity>_list`, `_create`, `_detail`, `_update`, `_delete`) and the
    keyword the update and delete services take the object by (`station_update(station=...)`).
    A page is there when what it needs is given: the register with `register` (RegisterView
    attributes: title, columns, filterset_class, default_sort, export_url ...), the form with
    `form_class` and the services, the delete confirmation with `delete`. `editors` decides who
    sees the 新增 button and may open the form and the delete page; the selector decides which
    objects, as everywhere.
    """

    namespace: str
    entity: str
    selector: Callable[..., QuerySet]
    register: dict[str, Any] | None = None
    detail: Callable[..., HttpResponse] | None = None
    form_class: type[BaseForm] | None = None
    form_title: str = ""
    form_view: type[FormPageView] = FormPageView  # a subclass where the form needs more (e.g. form_kwargs)
    create: Callable[..., Model] | None = None
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None
    editors: Callable[[Any], bool] = _can_edit

    def _name(self, suffix: str) -> str:
        return f"{self.entity.title().replace('_', '')}{suffix}"

    def list_view(self) -> type[RegisterView]:
        attrs: dict[str, Any] = {
            "selector": staticmethod(self.selector),
            "create_url": f"{self.namespace}:{self.entity}_create" if self.form_class else None,
            "create_allowed": staticmethod(self.editors),
            **(self.register or {}),
        }
        return type(self._name("List"), (RegisterView,), attrs)

    def form_page_view(self) -> type[FormPageView]:
        attrs = {
            "form_class": self.form_class,
            "title": self.form_title,
            "allowed": staticmethod(self.editors),
            "selector": staticmethod(self.selector),
            "entity": self.entity,
            "create": staticmethod(self.create),
            "update": staticmethod(self.update),
        }
        return type(self._name("Form"), (self.form_view,), attrs)

    def delete_view(self) -> type[DeletePageView]:
        delete, entity = self.delete, self.entity
        assert delete is not None

        def service(obj: Model, actor: Any) -> None:
            delete(**{entity: obj}, actor=actor)

        attrs = {
            "allowed": staticmethod(self.editors),
            "selector": staticmethod(self.selector),
            "service": staticmethod(service),
            "success_url_name": f"{self.namespace}:{self.entity}_list",
        }
        return type(self._name("Delete"), (DeletePageView,), attrs)

    def urls(self, prefix: str) -> list[URLPattern]:
        """The pages under `prefix/`, in the order list, new, detail, edit, delete."""
        patterns = []
        form = self.form_page_view().as_view() if self.form_class is not None else None
        if self.register is not None:
            patterns.append(path(f"{prefix}/", self.list_view().as_view(), name=f"{self.entity}_list"))
        if form is not None:
            patterns.append(path(f"{prefix}/new/", form, name=f"{self.entity}_create"))
        if self.detail is not None:
            patterns.append(path(f"{prefix}/<id:pk>/", self.detail, name=f"{self.entity}_detail"))
        if form is not None:
            patterns.append(path(f"{prefix}/<id:pk>/edit/", form, name=f"{self.entity}_update"))
        if self.delete is not None:
            patterns.append(
                path(f"{prefix}/<id:pk>/delete/", self.delete_view().as_view(), name=f"{self.entity}_delete")
            )
        return patterns
