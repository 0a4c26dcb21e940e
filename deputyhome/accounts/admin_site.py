"""One way in: Django's admin back office behind the application's login.

The admin's own login form checks a password and nothing else (no lock, no second factor, no audit of
failures). It is replaced by a redirect to the application's login, and the admin opens only for an
active system administrator who passed the second factor in this session. `is_superuser` and
`is_staff` give nothing: no account stands outside the three-administrator scheme.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .choices import Role


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


def admin_has_permission(request: HttpRequest) -> bool:
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)
    return bool(user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN and verified())


def install() -> None:
    admin.site.login = admin_login
    admin.site.has_permission = admin_has_permission
    admin.site.site_header = "代表之家 后台"
    # django-otp's own admin pages would show (and edit) keys and backup codes; they are kept out.
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
