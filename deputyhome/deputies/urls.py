from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.DeputyList.as_view(), name="list"),
    path("me/", views.my_page, name="me"),
    path("new/", views.DeputyForm.as_view(), name="create"),
    path("<id:pk>/", views.deputy_detail, name="detail"),
    path("<id:pk>/edit/", views.DeputyForm.as_view(), name="update"),
    path("<id:pk>/delete/", views.DeputyDelete.as_view(), name="delete"),
    path("<id:deputy_pk>/mandates/new/", views.MandateForm.as_view(), name="mandate_create"),
    path("mandates/<id:pk>/edit/", views.MandateForm.as_view(), name="mandate_update"),
    path("<id:deputy_pk>/memberships/new/", views.MembershipForm.as_view(), name="membership_create"),
    path("memberships/<id:pk>/edit/", views.MembershipForm.as_view(), name="membership_update"),
]
