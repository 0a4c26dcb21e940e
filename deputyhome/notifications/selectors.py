"""Reads of notifications: a user sees only their own in-site messages."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import Channel, Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's in-site notifications, unread first, then newest first.

    E-mail and SMS rows are the delivery records of the same messages and are not listed.
    """
    return (
        Notification.objects.filter(user=user, channel=Channel.IN_APP)
        .annotate(
            is_read=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("is_read", "-created_at", "-id")
    )


def unread_count(user) -> int:
    """How many in-site notifications the user has not read yet (0 for anonymous users)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).count()
