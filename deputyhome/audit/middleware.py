"""Audit context for every request: the client address, and a row for every refusal (403)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import client_address
from .services import REFUSAL_ACTION, mark_refusal_audited, record

__all__ = ["REFUSAL_ACTION", "ClientAddressMiddleware", "mark_refusal_audited"]


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy sets it.
        token = client_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
            if response.status_code == 403 and not getattr(request, "refusal_audited", False):
                _record_refusal(request, response)
            return response
        finally:
            client_address.reset(token)


def _record_refusal(request: HttpRequest, response: HttpResponse) -> None:
    """One row per 403 answer: who, what path, which method, and why if the refusal said so."""
    user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else "匿名用户"
    reason = "csrf" if getattr(request, "csrf_refused", False) else "forbidden"
    record(
        actor=actor,
        action=REFUSAL_ACTION,
        object_type="request",
        object_repr=request.path[:255],
        changes={"method": request.method, "path": request.path[:500], "reason": reason},
        success=False,
        detail=getattr(response, "refusal_reason", "")[:500],
    )
