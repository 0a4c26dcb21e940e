from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deputyhome.accounts"
    label = "accounts"
