from django.urls import path

from . import views, views_deputy_norms, views_group_quarters

app_name = "records"
urlpatterns = [
    path("me/", views.my_record, name="my_record"),
    path("me/year/", views.my_year, name="my_year"),
    path("deputies/<id:pk>/", views.deputy_record, name="deputy_record"),
    path("deputies/<id:pk>/export.xlsx", views.deputy_record_export, name="deputy_record_export"),
    path("deputies/<id:pk>/attendance/", views.attendance, name="attendance"),
    path("points/", views.points_list, name="points"),
    path("visits/", views_deputy_norms.visits_page, name="visits"),
    path("visits/export.xlsx", views_deputy_norms.visits_export, name="visits_export"),
    path("visits/remind/", views_deputy_norms.visits_remind, name="visits_remind"),
    path("households/", views_deputy_norms.households_page, name="households"),
    path("households/export.xlsx", views_deputy_norms.households_export, name="households_export"),
    path("households/remind/", views_deputy_norms.households_remind, name="households_remind"),
    path("group-activities/", views_group_quarters.group_quarters_page, name="group_quarters"),
    path("group-activities/remind/", views_group_quarters.group_quarters_remind, name="group_quarters_remind"),
    path("group-activities/export.xlsx", views_group_quarters.group_quarters_export, name="group_quarters_export"),
    path("points/export.xlsx", views.points_export, name="points_export"),
    path("points/scheme/", views.scheme, name="scheme"),
    *views.reports.urls("reports"),
]
