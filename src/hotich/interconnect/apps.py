from django.apps import AppConfig


class InterconnectConfig(AppConfig):
    name = "hotich.interconnect"
    label = "interconnect"
    verbose_name = "Liên thông văn bản / Document interconnection"
