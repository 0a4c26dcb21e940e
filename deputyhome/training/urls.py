from django.urls import path

from . import views, views_attendance, views_coverage, views_signin

app_name = "training"
urlpatterns = [
    *views.sessions.urls("sessions", list_at=""),
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
    *views.plans.urls("plans"),
    *views.materials.urls("materials"),
    path("distributions/new/", views.DistributionForm.as_view(), name="distribution_create"),
    path("distributions/<id:pk>/delete/", views.DistributionDelete.as_view(), name="distribution_delete"),
    path("coverage/", views_coverage.coverage, name="coverage"),
    path("hours/", views_coverage.HoursList.as_view(), name="hours"),
]
