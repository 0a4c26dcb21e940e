from django.urls import path

from . import roster_views as views

app_name = "roster"
urlpatterns = [
    path("", views.import_roster, name="import"),
    path("apply/", views.apply_roster, name="apply"),
    path("template.xlsx", views.download_template, name="template"),
    path("export/deputies.xlsx", views.export_deputies, name="export_deputies"),
    path("export/deputies/full/", views.export_deputies_full, name="export_deputies_full"),
    path("export/groups.xlsx", views.export_groups, name="export_groups"),
    path("export/stations.xlsx", views.export_stations, name="export_stations"),
]
