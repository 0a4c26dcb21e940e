"""Navigation entries for the layout, filtered by what the user's role may open."""

from django.http import HttpRequest

from . import registry
from .menu import NavItem, build_menu


def _feature_items(user) -> list[NavItem]:
    """The entries the apps registered (`core.registry.register_nav`), in INSTALLED_APPS order."""
    out: list[NavItem] = []
    for provider in registry.nav_providers():
        out.extend(provider(user))
    return out


def nav_items(user) -> list[NavItem]:
    """Every entry the user may open, each with its menu; `build_menu` lays them out. Each app says which of its
    entries a user gets (its `nav.py`, registered in `AppConfig.ready`)."""
    return [NavItem("core:dashboard", "首页", None), *_feature_items(user)]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    if getattr(request, "at_gate", False):
        # A gate middleware (the second factor, 首次登录验证, a password to change) holds this session on its page:
        # the menu, the notices and 修改密码 would each lead back to it.
        return {"nav": [], "at_gate": True}
    return {"nav": build_menu(nav_items(user), request.path), **registry.layout_context(request)}
