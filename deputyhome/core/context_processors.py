"""Navigation entries for the layout, filtered by what the user's role may open."""

from django.http import HttpRequest

from deputyhome.accounts.choices import ScopeKind

from . import registry
from .menu import Menu, NavItem, build_menu


def _feature_items(user) -> list[NavItem]:
    """The entries the apps registered (`core.registry.register_nav`), in INSTALLED_APPS order."""
    out: list[NavItem] = []
    for provider in registry.nav_providers():
        out.extend(provider(user))
    return out


def nav_items(user) -> list[NavItem]:
    """Every entry the user may open, each with its menu; `build_menu` lays them out."""
    kind = user.scope_kind
    items: list[NavItem] = [NavItem("core:dashboard", "首页", None)]
    if kind != ScopeKind.NONE and kind != ScopeKind.UNIT:
        items.append(NavItem("deputies:list", "人大代表", Menu.ORGANISATION))
        items.append(NavItem("organisation:group_list", "代表小组", Menu.ORGANISATION))
        items.append(NavItem("organisation:station_list", "家站", Menu.ORGANISATION))
    if kind in (ScopeKind.CITY, ScopeKind.REGION):
        items.append(NavItem("organisation:region_list", "行政区域", Menu.ORGANISATION))
    if kind != ScopeKind.NONE:
        items.append(NavItem("organisation:unit_list", "承办单位", Menu.ORGANISATION))
        items.append(NavItem("organisation:congress_list", "人代会", Menu.ORGANISATION))
    if user.can_edit:
        items.append(NavItem("roster:import", "名册导入", Menu.ORGANISATION))
    if kind != ScopeKind.NONE:
        items.append(NavItem("suggestions:list", "代表建议", Menu.SUGGESTIONS))
    if user.deputy_id:
        items.append(NavItem("suggestions:mine", "我的建议", Menu.SUGGESTIONS))
    if user.role == "city_officer":
        items.append(NavItem("suggestions:desk", "代工委工作台", Menu.SUGGESTIONS))
        items.append(NavItem("suggestions:categories", "建议设置", Menu.SUGGESTIONS))
    if user.role == "unit_clerk" and user.unit_id:
        items.append(NavItem("suggestions:inbox", "收件箱", Menu.SUGGESTIONS))
    if user.role in ("supervisor", "leader", "city_officer"):
        items.append(NavItem("suggestions:board", "督办看板", Menu.SUGGESTIONS))
    if user.deputy_id:
        items.append(NavItem("deputies:me", "我的履职", Menu.DUTY))
    items.extend(_feature_items(user))
    if user.role in ("system_admin", "security_admin"):
        label = "用户管理" if user.role != "security_admin" else "角色与权限"
        items.append(NavItem("accounts:user_list", label, Menu.SYSTEM))
    if user.is_auditor:
        items.append(NavItem("audit:list", "审计日志", Menu.SYSTEM))
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    return {"nav": build_menu(nav_items(user), request.path), **registry.layout_context(request)}
