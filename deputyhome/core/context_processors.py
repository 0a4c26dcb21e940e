"""Navigation entries for the layout, filtered by what the user's role may open."""

import importlib
import importlib.util

from django.http import HttpRequest

# Apps that add menu entries through `deputyhome.<app>.nav.nav_items(user) -> list[(url name, label)]`.
NAV_APPS = ("notifications", "supervision", "activities", "opinions", "training", "records")


def _feature_items(user) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for app in NAV_APPS:
        name = f"deputyhome.{app}.nav"
        if importlib.util.find_spec(name) is not None:
            out.extend(importlib.import_module(name).nav_items(user))
    return out


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    from deputyhome.accounts.choices import ScopeKind

    kind = user.scope_kind
    items: list[tuple[str, str]] = [("core:dashboard", "首页")]
    if kind != ScopeKind.NONE and kind != ScopeKind.UNIT:
        items.append(("deputies:list", "人大代表"))
        items.append(("organisation:group_list", "代表小组"))
        items.append(("organisation:station_list", "家站"))
    if kind in (ScopeKind.CITY, ScopeKind.REGION):
        items.append(("organisation:region_list", "行政区域"))
    if kind != ScopeKind.NONE:
        items.append(("organisation:unit_list", "承办单位"))
        items.append(("organisation:congress_list", "人代会"))
    if kind != ScopeKind.NONE:
        items.append(("suggestions:list", "代表建议"))
    if user.deputy_id:
        items.append(("suggestions:mine", "我的建议"))
    if user.role == "city_officer":
        items.append(("suggestions:desk", "代工委工作台"))
        items.append(("suggestions:categories", "建议设置"))
    if user.role == "unit_clerk" and user.unit_id:
        items.append(("suggestions:inbox", "收件箱"))
    if user.role in ("supervisor", "leader", "city_officer"):
        items.append(("suggestions:board", "督办看板"))
    items.extend(_feature_items(user))
    if user.can_edit:
        items.append(("roster:import", "名册导入"))
    if user.role in ("system_admin", "security_admin") or user.is_superuser:
        items.append(("accounts:user_list", "用户管理" if user.role != "security_admin" else "角色与权限"))
    if user.is_auditor:
        items.append(("audit:list", "审计日志"))
    if user.deputy_id:
        items.append(("deputies:me", "我的履职"))
    from deputyhome.notifications.selectors import unread_count

    return {"nav": items, "unread_notifications": unread_count(user)}
