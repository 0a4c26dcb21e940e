"""Middleware of the whole site: security headers, the client address behind a proxy, a database outage."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

# Everything is served from this site: no CDN, no outside fonts, no analytics (air-gapped intranets).
# Nothing inline: no script, no <style> element, no style attribute (a page's own look is a class in static/css).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's own error pages in DEBUG (the yellow 404 and 500 pages, a developer's only) carry inline style and
        # script: without the policy they are readable. DEBUG is never on in production (`check --deploy`).
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# Behind a proxy ------------------------------------------------------------------------------------------


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    """X-Forwarded-For and X-Forwarded-Proto count only when the direct peer is a trusted proxy.

    From a trusted peer (settings.TRUSTED_PROXIES, addresses or CIDRs), REMOTE_ADDR becomes the first
    untrusted address from the right of X-Forwarded-For, the client the proxies saw: the audit and the
    public-form throttle then see real clients. From anyone else, both headers are removed, so that a client
    cannot choose its own address nor make Django believe the request came over HTTPS
    (SECURE_PROXY_SSL_HEADER reads the header this strips). First in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = _networks(list(getattr(settings, "TRUSTED_PROXIES", [])))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if self.networks and _trusted(peer, self.networks):
            hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                if not _trusted(hop, self.networks):
                    with contextlib.suppress(ValueError):  # a garbled header: keep the proxy's address
                        meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                    break
        else:
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


# Database outage -----------------------------------------------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
outage_log = logging.getLogger("deputyhome.outage")


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with Retry-After and a Chinese page, and one log line (no traceback) per failed request."""
    outage_log.error("database unavailable: %s %s: %s", request.method, request.path, str(exc).splitlines()[0:1])
    response = render_to_string("503.html", {"retry": RETRY_AFTER_SECONDS})
    answer = HttpResponse(response, status=503)
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    answer["Cache-Control"] = "no-store"
    return answer


class DatabaseOutageMiddleware:
    """A view that hits a database that is down answers 503 instead of a 500 with a traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return outage_response(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage met outside a view (a session or user lookup in a middleware) is a 503."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return outage_response(request, exc)
    return defaults.server_error(request)


class DropDatabaseOutageTracebacks(logging.Filter):
    """django.request logs every uncaught error with its traceback; an outage already wrote its one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DATABASE_ERRORS)
