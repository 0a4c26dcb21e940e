from django.contrib.auth import views as auth_views
from django.urls import path

from . import login, otp, views

app_name = "accounts"
urlpatterns = [
    path("login/", login.DeputyHomeLoginView.as_view(), name="login"),
    path("password/", login.password_change, name="password_change"),
    path("otp/setup/", otp.otp_setup, name="otp_setup"),
    path("otp/verify/", otp.otp_verify, name="otp_verify"),
    path("otp/backup-codes/", otp.otp_backup_codes, name="otp_backup_codes"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/former-deputies/", views.former_deputies, name="former_deputies"),
    path("users/seated-deputies/", views.seated_deputies, name="seated_deputies"),
    *views.users.urls("users"),
    path("users/<id:pk>/role/", views.RoleForm.as_view(), name="user_role"),
    path("users/<id:pk>/reset/", views.user_reset, name="user_reset"),
]
