from __future__ import annotations

from django.db.models import QuerySet

from .choices import Role
from .models import User

# 三员分立: the system administrator keeps accounts, the security administrator assigns roles and
# scopes, the audit administrator only reads the audit trail.
USER_ADMINS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


def may_manage_users(user) -> bool:
    return user.role in USER_ADMINS or user.is_superuser


def may_manage_accounts(user) -> bool:
    return user.role == Role.SYSTEM_ADMIN or user.is_superuser


def may_assign_roles(user) -> bool:
    return user.role == Role.SECURITY_ADMIN or user.is_superuser


def user_list(*, user) -> QuerySet[User]:
    if not may_manage_users(user):
        return User.objects.none()
    return User.objects.select_related("region", "group", "deputy", "unit")
