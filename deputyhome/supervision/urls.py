from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("scores/", views.scores, name="scores"),
    path("scores/export.xlsx", views.scores_export, name="scores_export"),
    path("scores/<id:unit_pk>/", views.score_detail, name="score_detail"),
    path("scores/mine/year/", views.unit_year, name="unit_year"),
    path("scheme/", views.scheme, name="scheme"),
    path("stats/", views.stats, name="stats"),
]
