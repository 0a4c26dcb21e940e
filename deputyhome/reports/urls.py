from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("stats/overview", views.stats_overview, name="stats_overview"),
    path("stats/suggestions", views.stats_suggestions, name="stats_suggestions"),
]
