"""The reports' addresses, included at the site's root: the statistics API under api/v1/, and the
annual report's pages, which kept the addresses they had under records/ (bookmarks, the home page)."""

from django.urls import path

from . import annual_text_views, annual_views, views

app_name = "reports"
urlpatterns = [
    path("api/v1/stats/overview", views.stats_overview, name="stats_overview"),
    path("api/v1/stats/suggestions", views.stats_suggestions, name="stats_suggestions"),
    path("api/v1/stats/motions", views.stats_motions, name="stats_motions"),
    path("api/v1/stats/annual", annual_views.annual_stats_api, name="stats_annual"),
    path("records/annual-report.docx", annual_views.annual_report, name="annual_report"),
    path("records/year/", annual_views.year_overview, name="year_overview"),
    path("records/annual-report/text/", annual_text_views.annual_text_edit, name="annual_text"),
]
