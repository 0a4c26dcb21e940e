from django.urls import path

from . import views, views_group_quarters, views_visits

app_name = "records"
urlpatterns = [
    path("me/", views.my_record, name="my_record"),
    path("deputies/<id:pk>/", views.deputy_record, name="deputy_record"),
    path("deputies/<id:pk>/export.xlsx", views.deputy_record_export, name="deputy_record_export"),
    path("deputies/<id:pk>/attendance/", views.attendance, name="attendance"),
    path("points/", views.points_list, name="points"),
    path("visits/", views_visits.visits_page, name="visits"),
    path("visits/export.xlsx", views_visits.visits_export, name="visits_export"),
    path("visits/remind/", views_visits.visits_remind, name="visits_remind"),
    path("group-activities/", views_group_quarters.group_quarters_page, name="group_quarters"),
    path("group-activities/remind/", views_group_quarters.group_quarters_remind, name="group_quarters_remind"),
    path("group-activities/export.xlsx", views_group_quarters.group_quarters_export, name="group_quarters_export"),
    path("points/export.xlsx", views.points_export, name="points_export"),
    path("points/scheme/", views.scheme, name="scheme"),
    *views.reports.urls("reports"),
]
