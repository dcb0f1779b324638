from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "hotich.linkage"
    label = "linkage"
    verbose_name = "Đối chiếu dữ liệu dân cư / Population data linkage"

    def ready(self) -> None:
        from hotich.linkage import tasks  # noqa: F401  (binds the services' deferred work)
