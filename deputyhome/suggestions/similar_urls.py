"""Routes of the committee's memory, included into the suggestions namespace."""

from django.urls import path

from . import similar_views as v

urlpatterns = [
    path("similar/", v.similar_fragment, name="similar"),
    path("<int:pk>/routing/", v.routing_fragment, name="routing"),
    path("<int:pk>/routing/assign/", v.route_assign, name="route_assign"),
    path("<int:pk>/routing/register/", v.route_register, name="route_register"),
    path("<int:pk>/merge/", v.merge, name="merge"),
    path("<int:pk>/unmerge/", v.unmerge, name="unmerge"),
    path("history/", v.history_page, name="history"),
    path("history/import/", v.history_import_page, name="history_import"),
    path("history/retrain/", v.retrain, name="retrain"),
]
