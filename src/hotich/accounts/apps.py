from django.apps import AppConfig

from hotich.core.words import words_register


class AccountsConfig(AppConfig):
    name = "hotich.accounts"
    label = "accounts"
    verbose_name = "Tài khoản / Accounts"

    def ready(self) -> None:
        # the signals audit logins; web installs the staff guard (hotich.core.guards)
        from hotich.accounts import signals, web  # noqa: F401
        from hotich.accounts.actors import OTHER_ACTORS
        from hotich.accounts.vocabulary import Role

        words_register("role", Role)
        words_register("actor", OTHER_ACTORS)
