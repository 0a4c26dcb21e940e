from . import views

app_name = "organisation"
urlpatterns = [
    *views.regions.urls("regions"),
    *views.stations.urls("stations"),
    *views.groups.urls("groups"),
    *views.units.urls("units"),
    *views.congresses.urls("congresses"),
    *views.sessions.urls("sessions"),
]
