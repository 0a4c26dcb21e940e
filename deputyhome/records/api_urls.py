from django.urls import path

from . import views

app_name = "records_api"
urlpatterns = [
    path("stats/annual", views.annual_stats_api, name="stats_annual"),
]
