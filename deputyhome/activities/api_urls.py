from django.urls import path

from . import views

app_name = "activities_api"
urlpatterns = [
    path("stats/activities", views.stats_api, name="stats_activities"),
]
