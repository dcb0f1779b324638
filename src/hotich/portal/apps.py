from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "hotich.portal"
    label = "portal"
    verbose_name = "Dịch vụ công trực tuyến / Online public services"
