"""Gates: middleware that holds a signed-in user at one page until they have done what it asks (verify the second
factor, prove they hold the deputy's phone, change a one-time or old password)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve


class Gate:
    """While `holds(request, user)`, every page but the view names in `exempt` (and, where `public_open`, the public
    pages: a voter's form needs no account) leads to the gate's own page (`redirect`). The layout shows no menu at a
    gate (`request.at_gate`): every entry would lead back to it."""

    exempt: Collection[str] = ()
    public_open = True

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
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        return name in self.exempt or (self.public_open and name.startswith("public"))

    def holds(self, request: HttpRequest, user: Any) -> bool:
        raise NotImplementedError

    def redirect(self, request: HttpRequest, user: Any) -> HttpResponse:
        raise NotImplementedError
