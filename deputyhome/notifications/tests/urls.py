"""The site's URLs plus the notification pages and a suggestion detail route, whichever are not wired yet.

Tests of the inbox and of the tick use it with `pytest.mark.urls`, so they run before and after
config/urls.py includes these apps.
"""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
_namespaces = {getattr(p, "namespace", None) for p in site_patterns}

if "notifications" not in _namespaces:
    urlpatterns.append(path("notifications/", include("deputyhome.notifications.urls")))

if "suggestions" not in _namespaces:
    try:
        urlpatterns.append(path("suggestions/", include("deputyhome.suggestions.urls")))
    except ImportError:

        def _detail(request, pk):
            return HttpResponse(f"suggestion {pk}")

        urlpatterns.append(path("suggestions/", include(([path("<id:pk>/", _detail, name="detail")], "suggestions"))))
