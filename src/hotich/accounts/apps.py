from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hotich.accounts"
    label = "accounts"
    verbose_name = "Tài khoản / Accounts"

    def ready(self) -> None:
        from hotich.accounts import signals  # noqa: F401
