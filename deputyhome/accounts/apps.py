from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deputyhome.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import services  # noqa: F401  (connects the login audit receivers)
