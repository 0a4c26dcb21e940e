from django.urls import path

from . import views, views_attendance, views_sessions

app_name = "motions"
urlpatterns = [
    path("", views.MotionList.as_view(), name="list"),
    path("new/", views.motion_create, name="create"),
    path("deputies/", views.deputy_search, name="deputy_search"),
    path("register.xlsx", views.register_export, name="export"),
    path("<id:pk>/", views.motion_detail, name="detail"),
    path("<id:pk>/edit/", views.motion_edit, name="edit"),
    path("<id:pk>/act/<slug:action>/", views.motion_act, name="act"),
    path("sessions/", views_sessions.SessionList.as_view(), name="session_list"),
    path("sessions/<id:pk>/", views_sessions.session_detail, name="session_detail"),
    path(
        "sessions/<id:session_pk>/delegations/new/",
        views_sessions.DelegationFormView.as_view(),
        name="delegation_create",
    ),
    path("sessions/<id:pk>/attendance/", views_attendance.session_attendance, name="session_attendance"),
    path("sessions/<id:pk>/leave/", views_attendance.session_leave, name="session_leave"),
    path("sessions/<id:pk>/leave-requests/", views_attendance.leave_requests, name="session_leave_requests"),
    path(
        "sessions/<id:pk>/leave-requests/<id:attendance_pk>/",
        views_attendance.leave_decide,
        name="session_leave_decide",
    ),
    path("delegations/<id:pk>/", views_sessions.delegation_detail, name="delegation_detail"),
    path("delegations/<id:pk>/attendance/", views_attendance.delegation_attendance, name="delegation_attendance"),
    path("delegations/<id:pk>/edit/", views_sessions.DelegationFormView.as_view(), name="delegation_update"),
    path("delegations/<id:delegation_pk>/members/new/", views_sessions.MemberFormView.as_view(), name="member_create"),
    path("members/<id:pk>/edit/", views_sessions.MemberFormView.as_view(), name="member_update"),
    *views_sessions.rules.urls("rules"),
]
