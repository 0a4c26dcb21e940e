from __future__ import annotations

from django.db.models import QuerySet

from .choices import Role
from .models import User

USER_ADMINS = frozenset({Role.SYSTEM_ADMIN})


def may_manage_users(user) -> bool:
    return user.role in USER_ADMINS or user.is_superuser


def user_list(*, user) -> QuerySet[User]:
    if not may_manage_users(user):
        return User.objects.none()
    return User.objects.select_related("region", "group", "deputy", "unit")
