"""Routes of the committee's memory, included into the suggestions namespace."""

from django.urls import path

from . import similar_views as v

urlpatterns = [
    path("similar/", v.similar_fragment, name="similar"),
    path("<id:pk>/routing/", v.routing_fragment, name="routing"),
    path("<id:pk>/routing/assign/", v.route_assign, name="route_assign"),
    path("<id:pk>/routing/register/", v.route_register, name="route_register"),
    path("<id:pk>/merge/", v.merge, name="merge"),
    path("<id:pk>/unmerge/", v.unmerge, name="unmerge"),
    path("history/", v.history_page, name="history"),
    path("history/import/", v.history_import_page, name="history_import"),
    path("history/retrain/", v.retrain, name="retrain"),
]
