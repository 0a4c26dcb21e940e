"""What core gathers from the apps above it, without importing them: each app registers its part in
its `AppConfig.ready()` (DESIGN.md: core knows no domain app).

- the menu entries (`register_nav`): `fn(user) -> list[NavItem]`, appended to the menu in the order
  the apps are registered, which is their order in INSTALLED_APPS;
- the 待办 tiles (`register_todo`): `fn(user, today) -> list[Tile]`, in the same order;
- the desk whose button heads the 待办 (`register_desk`, one): `fn(user, today)` returning an object
  with `title` and `url`, or None for roles without one;
- the home page's figures (`register_home`, one): `fn(user, today, params) -> dict`, merged into the page's
  context; `params` is the page's query string (the tables' page, sort and region);
- links from a lower app's page to a higher app's (`register_link(key, fn)`): `fn(user, obj) -> str`,
  the address, or "" when the user may not open it (the deputy page's link to the duty record);
- what the layout shows on every page (`register_layout`): `fn(request) -> dict`, merged into the
  context beside the menu (the unread-notifications badge);
- the choices a search-as-you-type field searches (`register_choices(kind, ChoiceSource)`): the user's
  scoped choices of one kind (townships, groups, stations, units ...), the fields a search looks in and
  how a choice is labelled (`core.widgets.SearchSelect`, `core:choice_search`).

Registering the same function twice is harmless (tests may set up apps again).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NavProvider = Callable[[Any], list[Any]]
TodoProvider = Callable[[Any, datetime.date], list[Any]]
DeskProvider = Callable[[Any, datetime.date], Any]
HomeProvider = Callable[[Any, datetime.date, Any], dict[str, Any]]
LayoutProvider = Callable[[Any], dict[str, Any]]

_nav: list[NavProvider] = []
_todo: list[TodoProvider] = []
_layout: list[LayoutProvider] = []
_single: dict[str, Callable[..., Any]] = {}
_links: dict[str, Callable[[Any, Any], Any]] = {}
_choices: dict[str, ChoiceSource] = {}


@dataclass(frozen=True)
class ChoiceSource:
    """The choices of one kind for a user: `queryset(user=user)` (scoped, ordered: an app's selector as it is),
    searched by `search` (`icontains` on each field path), each labelled by `label(obj)`."""

    queryset: Callable[..., Any]  # called as queryset(user=...)
    search: tuple[str, ...] = ("name",)
    label: Callable[[Any], str] = str
    placeholder: str = "输入名称搜索"


def register_nav(fn: NavProvider) -> NavProvider:
    if fn not in _nav:
        _nav.append(fn)
    return fn


def register_todo(fn: TodoProvider) -> TodoProvider:
    if fn not in _todo:
        _todo.append(fn)
    return fn


def register_layout(fn: LayoutProvider) -> LayoutProvider:
    if fn not in _layout:
        _layout.append(fn)
    return fn


def register_link(key: str, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    _links[key] = fn
    return fn


def register_choices(kind: str, source: ChoiceSource) -> ChoiceSource:
    _choices[kind] = source
    return source


def choice_source(kind: str) -> ChoiceSource:
    """The registered choices of `kind`; KeyError when no app registered it."""
    return _choices[kind]


def register_desk(fn: DeskProvider) -> DeskProvider:
    _single["desk"] = fn
    return fn


def register_home(fn: HomeProvider) -> HomeProvider:
    _single["home"] = fn
    return fn


def nav_providers() -> tuple[NavProvider, ...]:
    return tuple(_nav)


def todo_providers() -> tuple[TodoProvider, ...]:
    return tuple(_todo)


def layout_context(request: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fn in _layout:
        out.update(fn(request))
    return out


def link(key: str, user: Any, obj: Any) -> Any:
    """The registered link `key` to `obj` for `user` (or links to several objects, as that app answers), or ""
    (none registered, or not for this user)."""
    fn = _links.get(key)
    return fn(user, obj) if fn else ""


def desk(user: Any, today: datetime.date) -> Any:
    """The user's desk (title, url), or None: no desk registered, or none for this role."""
    fn = _single.get("desk")
    return fn(user, today) if fn else None


def home_context(user: Any, today: datetime.date, params: Any = None) -> dict[str, Any]:
    fn = _single.get("home")
    return fn(user, today, params if params is not None else {}) if fn else {}
