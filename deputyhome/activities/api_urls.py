from django.urls import path

from .views import stats

app_name = "activities_api"
urlpatterns = [
    path("stats/activities", stats.stats_api, name="stats_activities"),
]
