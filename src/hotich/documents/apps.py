from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hotich.documents"
    label = "documents"
    verbose_name = "Văn bản đi, đến / Official documents"

    def ready(self) -> None:
        # The register's actions join the one permission table (accounts.authz.PERMISSIONS).
        from hotich.accounts.authz import PERMISSIONS
        from hotich.documents.permissions import DOCUMENT_PERMISSIONS

        for action, roles in DOCUMENT_PERMISSIONS.items():
            PERMISSIONS.setdefault(action, roles)
