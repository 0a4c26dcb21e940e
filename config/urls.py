"""Top-level URLs."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from deputyhome.accounts import admin_site

admin_site.install()  # the admin opens through the application's login only

urlpatterns = [
    path("", include("deputyhome.core.urls")),
    path("accounts/", include("deputyhome.accounts.urls")),
    path("audit/", include("deputyhome.accounts.audit_urls")),
    path("calendar/", include("deputyhome.core.calendar_urls")),
    path("org/", include("deputyhome.organisation.urls")),
    path("deputies/", include("deputyhome.deputies.urls")),
    path("roster/", include("deputyhome.deputies.roster_urls")),
    path("suggestions/", include("deputyhome.suggestions.urls")),
    path("public/replies/", include("deputyhome.suggestions.public_urls")),
    path("motions/", include("deputyhome.motions.urls")),
    path("supervision/", include("deputyhome.supervision.urls")),
    path("notifications/", include("deputyhome.notifications.urls")),
    path("activities/", include("deputyhome.activities.urls")),
    path("opinions/", include("deputyhome.opinions.urls")),
    path("training/", include("deputyhome.training.urls")),
    path("records/", include("deputyhome.records.urls")),
    path("", include("deputyhome.reports.urls")),  # the statistics API (api/v1/) and the annual report
    path("api/v1/", include("deputyhome.activities.api_urls")),
    path("api/v1/", include("deputyhome.opinions.api_urls")),
    path("api/v1/", include("deputyhome.training.api_urls")),
    path("django-admin/", admin.site.urls),
    # Browsers that ignore <link rel="icon"> ask for /favicon.ico on every page: answer, not 404.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static_url("img/favicon.svg"))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage met outside a view is a 503 too (core/middleware.py).
handler500 = "deputyhome.core.middleware.server_error"
