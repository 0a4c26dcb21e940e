"""Gates: middleware that holds a signed-in user at one page until they have done what it asks (verify the second
factor, prove they hold the deputy's phone, change a one-time or old password)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


class Gate:
    """While `holds(request, user)`, every page but the view names in `exempt` and the public pages (Django's
    `login_not_required`: a deputy at a station scans its code to the voters' form, open to anybody) leads to the
    gate's own page (`redirect`). The layout shows no menu at a gate (`request.at_gate`): every entry would lead back to it."""

    exempt: Collection[str] = ()

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self.holds(request, user):
            request.at_gate = True  # type: ignore[attr-defined]
            if not self.lets_through(request):
                return self.redirect(request, user)
        return self.get_response(request)

    def lets_through(self, request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in self.exempt or not getattr(match.func, "login_required", True)

    def holds(self, request: HttpRequest, user: Any) -> bool:
        raise NotImplementedError

    def redirect(self, request: HttpRequest, user: Any) -> HttpResponse:
        raise NotImplementedError
