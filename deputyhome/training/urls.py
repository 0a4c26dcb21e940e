from django.urls import path

from . import views, views_attendance, views_coverage, views_signin

app_name = "training"
urlpatterns = [
    path("", views.SessionList.as_view(), name="session_list"),
    path("sessions/new/", views.SessionForm.as_view(), name="session_create"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<id:pk>/edit/", views.SessionForm.as_view(), name="session_update"),
    path("sessions/<id:pk>/delete/", views.SessionDelete.as_view(), name="session_delete"),
    path("sessions/<id:pk>/signin/", views_signin.session_signin, name="session_signin"),
    path("sessions/<id:pk>/signin/screen/", views_signin.session_screen, name="session_screen"),
    path("sessions/<id:pk>/signin/qr.svg", views_signin.session_screen_qr, name="session_screen_qr"),
    path("sessions/<id:pk>/sheet/", views_attendance.session_sheet, name="session_sheet"),
    path("sessions/<id:pk>/invite/", views_attendance.session_invite, name="session_invite"),
    path("sessions/<id:pk>/attendance/", views_attendance.session_attendance, name="session_attendance"),
    path(
        "sessions/<id:pk>/attendance/<id:attendance_pk>/remove/",
        views_attendance.attendance_remove,
        name="attendance_remove",
    ),
    path("signin/", views_signin.signin, name="signin"),
    path("plans/", views.PlanList.as_view(), name="plan_list"),
    path("plans/new/", views.PlanForm.as_view(), name="plan_create"),
    path("plans/<id:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<id:pk>/edit/", views.PlanForm.as_view(), name="plan_update"),
    path("plans/<id:pk>/delete/", views.PlanDelete.as_view(), name="plan_delete"),
    path("materials/", views.MaterialList.as_view(), name="material_list"),
    path("materials/new/", views.MaterialForm.as_view(), name="material_create"),
    path("materials/<id:pk>/", views.material_detail, name="material_detail"),
    path("materials/<id:pk>/edit/", views.MaterialForm.as_view(), name="material_update"),
    path("materials/<id:pk>/delete/", views.MaterialDelete.as_view(), name="material_delete"),
    path("distributions/new/", views.DistributionForm.as_view(), name="distribution_create"),
    path("distributions/<id:pk>/delete/", views.DistributionDelete.as_view(), name="distribution_delete"),
    path("coverage/", views_coverage.coverage, name="coverage"),
    path("hours/", views_coverage.HoursList.as_view(), name="hours"),
]
