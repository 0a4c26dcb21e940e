"""One model's pages declared once (`ModelPages`), and the URLs of such a set of pages (`page_paths`).

The views themselves are core.crud's register, form and delete views; a ModelPages makes their
subclasses for one model from a declaration, so an app writes what differs and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.urls import URLPattern, path

from .crud import DeletePageView, FormPageView, RegisterView


def _can_edit(user: Any) -> bool:
    return user.can_edit


def _as_view(view: Any) -> Callable[..., HttpResponse]:
    return view.as_view() if isinstance(view, type) else view


def page_paths(
    prefix: str,
    entity: str,
    *,
    register: Any = None,
    form: Any = None,
    detail: Any = None,
    delete: Any = None,
    list_at: str | None = None,
    list_name: str = "",
    edit: str = "edit/",
) -> list[URLPattern]:
    """The usual pages of one kind of object, in the order list, new, detail, edit, delete.

    Under `prefix/` ("" for the app's root; the register at `list_at` where it is not `prefix/`): the
    register, the form at `new/` and at `<id>/edit/` (`<id>/` with `edit=""`, for objects without a
    page of their own), the detail at `<id>/`, the delete confirmation at `<id>/delete/`; named
    `<entity>_list` (or `list_name`), `_create`, `_detail`, `_update`, `_delete` (`list`, `create` ...
    for entity ""). A view is a function or a View class; a page not given is not there.
    """
    base = f"{prefix}/" if prefix else ""

    def name(page: str) -> str:
        if page == "list" and list_name:
            return list_name
        return f"{entity}_{page}" if entity else page

    pages = [
        (register, base if list_at is None else list_at, "list"),
        (form, f"{base}new/", "create"),
        (detail, f"{base}<id:pk>/", "detail"),
        (form, f"{base}<id:pk>/{edit}", "update"),
        (delete, f"{base}<id:pk>/delete/", "delete"),
    ]
    return [path(route, _as_view(view), name=name(page)) for view, route, page in pages if view is not None]


@dataclass(frozen=True)
class ModelPages:
    """One model's register, create/edit form and delete confirmation, declared once.

    `entity` names the URLs (`<entity>_list`, `_create`, `_detail`, `_update`, `_delete`) and, unless
    `keyword` names another, the keyword the update and delete services take the object by
    (`station_update(station=...)`). A page is there when what it needs is given: the register with
    `register` (RegisterView attributes: title, columns, filterset_class, default_sort, export_url ...;
    methods in a `register_view` subclass; `decorate`, a function given the page's objects, for the figures
    counted per page), the form with `form_class` and the services, the delete
    confirmation with `delete`. `viewers` decides who may open the register (everyone logged in when
    not given), `editors` who sees the 新增 button and may open the form and the delete page; the
    selector decides which objects, as everywhere (`edit_selector`, where given, which of them the
    form and the delete page may change).
    """

    namespace: str
    entity: str
    selector: Callable[..., QuerySet]
    register: dict[str, Any] | None = None
    register_view: type[RegisterView] = RegisterView  # a subclass where the register needs more (its methods)
    decorate: Callable[[list[Any]], None] | None = None  # adds the page's costly figures (RegisterView.decorate)
    detail: Callable[..., HttpResponse] | None = None
    form_class: type[BaseForm] | None = None
    form_title: str = ""
    form_view: type[FormPageView] = FormPageView  # a subclass where the form needs more (e.g. form_kwargs)
    create: Callable[..., Model] | None = None
    update: Callable[..., Model] | None = None
    delete: Callable[..., None] | None = None
    editors: Callable[[Any], bool] = _can_edit
    viewers: Callable[[Any], bool] | None = None
    edit_selector: Callable[..., QuerySet] | None = None
    keyword: str = ""
    list_name: str = ""  # the register's URL name where it is not `<entity>_list`

    def _name(self, suffix: str) -> str:
        return f"{self.entity.title().replace('_', '')}{suffix}"

    def _list_url(self) -> str:
        return f"{self.namespace}:{self.list_name or self.entity + '_list'}"

    def _keyword(self) -> str:
        return self.keyword or self.entity

    def _edit_selector(self) -> Callable[..., QuerySet]:
        return self.edit_selector or self.selector

    def list_view(self) -> type[RegisterView]:
        attrs: dict[str, Any] = {
            "selector": staticmethod(self.selector),
            "create_url": f"{self.namespace}:{self.entity}_create" if self.form_class else None,
            "create_allowed": staticmethod(self.editors),
            **({"allowed": staticmethod(self.viewers)} if self.viewers else {}),
            **(self.register or {}),
        }
        if self.decorate is not None:
            add_figures = self.decorate
            attrs["decorate"] = lambda view, objects: add_figures(objects)
        return type(self._name("List"), (self.register_view,), attrs)

    def form_page_view(self) -> type[FormPageView]:
        attrs: dict[str, Any] = {
            "form_class": self.form_class,
            "allowed": staticmethod(self.editors),
            "selector": staticmethod(self._edit_selector()),
            "entity": self._keyword(),
            "list_url": self._list_url() if self.register is not None else "",
        }
        if self.form_title:
            attrs["title"] = self.form_title
        for name in ("create", "update"):
            if getattr(self, name) is not None:
                attrs[name] = staticmethod(getattr(self, name))
        return type(self._name("Form"), (self.form_view,), attrs)

    def delete_view(self) -> type[DeletePageView]:
        delete, keyword = self.delete, self._keyword()
        assert delete is not None

        def service(obj: Model, actor: Any) -> None:
            delete(**{keyword: obj}, actor=actor)

        attrs = {
            "allowed": staticmethod(self.editors),
            "selector": staticmethod(self._edit_selector()),
            "service": staticmethod(service),
            "success_url_name": self._list_url(),
        }
        return type(self._name("Delete"), (DeletePageView,), attrs)

    def urls(self, prefix: str, *, list_at: str | None = None, edit: str = "edit/") -> list[URLPattern]:
        """The pages under `prefix/` (see `page_paths`)."""
        return page_paths(
            prefix,
            self.entity,
            register=self.list_view() if self.register is not None else None,
            form=self.form_page_view() if self.form_class is not None else None,
            detail=self.detail,
            delete=self.delete_view() if self.delete is not None else None,
            list_at=list_at,
            list_name=self.list_name,
            edit=edit,
        )
