"""The site's URLs plus this app's, if config/urls.py does not include them yet (for `pytest.mark.urls`)."""

from django.urls import include, path

from config.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if "supervision" not in {getattr(p, "namespace", None) for p in site_patterns}:
    urlpatterns.append(path("supervision/", include("deputyhome.supervision.urls")))
