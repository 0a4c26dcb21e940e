"""Template tags for showing where a suggestion came from."""

from __future__ import annotations

from django import template

from deputyhome.activities import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def suggestion_origin(context, suggestion) -> list:
    """[(problem, may_open)] for the problems `suggestion` was formed from; empty for most suggestions."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if suggestion is None or user is None or not user.is_authenticated:
        return []
    return selectors.suggestion_origin(user=user, suggestion=suggestion)
