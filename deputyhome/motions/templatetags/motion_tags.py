"""Template tags for showing, on a suggestion's page, the motion it came from."""

from __future__ import annotations

from django import template

from deputyhome.motions import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def motion_origin(context, suggestion):
    """(motion, may_open) when `suggestion` is a motion handled as a suggestion, else None (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if suggestion is None or user is None or not user.is_authenticated:
        return None
    return selectors.motion_origin(user=user, suggestion=suggestion)
