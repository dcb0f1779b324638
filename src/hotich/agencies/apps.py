from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "hotich.agencies"
    label = "agencies"
    verbose_name = "Cơ quan, tổ chức / Agencies and organizations"
