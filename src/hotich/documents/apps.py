from django.apps import AppConfig

from hotich.core.words import words_register


class DocumentsConfig(AppConfig):
    name = "hotich.documents"
    label = "documents"
    verbose_name = "Văn bản đi, đến / Official documents"

    def ready(self) -> None:
        from hotich.documents.vocabulary import DocType

        # the kind of paper the signing context counts: ``documents.<type>`` (services.outgoing)
        words_register("signed_kind", {f"documents.{t.value}": t.label for t in DocType})

        # the day's page offers itself as the home of those who act in an agency
        from hotich.documents import tasks, views_files, views_office  # noqa: F401
