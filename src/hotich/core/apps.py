from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (``settings.CACHES``) comes with every ``migrate``. Sent once
    per application with models (this one has none); the command does nothing once it exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "hotich.core"
    label = "core"
    verbose_name = "Nền tảng / Core"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, dispatch_uid="hotich.core.cache_table")
