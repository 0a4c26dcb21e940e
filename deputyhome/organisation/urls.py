from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region_list"),
    path("regions/new/", views.RegionForm.as_view(), name="region_create"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("regions/<int:pk>/edit/", views.RegionForm.as_view(), name="region_update"),
    path("stations/", views.StationList.as_view(), name="station_list"),
    path("stations/new/", views.StationForm.as_view(), name="station_create"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", views.StationForm.as_view(), name="station_update"),
    path("stations/<int:pk>/delete/", views.StationDelete.as_view(), name="station_delete"),
    path("groups/", views.GroupList.as_view(), name="group_list"),
    path("groups/new/", views.GroupForm.as_view(), name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupForm.as_view(), name="group_update"),
    path("groups/<int:pk>/delete/", views.GroupDelete.as_view(), name="group_delete"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/new/", views.UnitForm.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitForm.as_view(), name="unit_update"),
    path("congresses/", views.CongressList.as_view(), name="congress_list"),
    path("congresses/new/", views.CongressForm.as_view(), name="congress_create"),
    path("congresses/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("congresses/<int:pk>/edit/", views.CongressForm.as_view(), name="congress_update"),
    path("sessions/new/", views.SessionForm.as_view(), name="session_create"),
    path("sessions/<int:pk>/edit/", views.SessionForm.as_view(), name="session_update"),
]
