from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hotich.documents"
    label = "documents"
    verbose_name = "Văn bản đi, đến / Official documents"
