from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "hotich.linkage"
    label = "linkage"
    verbose_name = "Đối chiếu dữ liệu dân cư / Population data linkage"
