"""The unread count on the layout's 通知 link, for every page a signed-in user sees (registered with
core's navigation context in `NotificationsConfig.ready`)."""

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
