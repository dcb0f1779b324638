"""When Django starts, each context's ``AppConfig.ready`` imports the modules that plug it into
the others (docs/adr/0012-context-contracts.md): tasks bound to the services' deferred work, the
staff guard of the audit pages, the book exporter, the paper status of an issued extract."""

from __future__ import annotations

from hotich.accounts import web
from hotich.accounts.web import staff_required
from hotich.archive.services import book_exporter
from hotich.core import guards
from hotich.digitization.export import book_export
from hotich.legacy.services import IMPORT_BATCH_RUN
from hotich.linkage.services import LINKAGE_RUN
from hotich.registry.selectors import record_paper_status
from hotich.registry.services.personal_ids import PERSONAL_ID_REQUEST
from hotich.signing.services import status_provider


def test_the_services_deferred_work_is_bound_to_the_tasks() -> None:
    assert IMPORT_BATCH_RUN.task.name == "import_batch_run"
    assert LINKAGE_RUN.task.name == "linkage_run"
    assert PERSONAL_ID_REQUEST.task.name == "personal_id_request_task"


def test_accounts_installs_the_staff_guard() -> None:
    assert guards._guard == [staff_required]


def test_digitization_exports_books_and_the_registry_answers_for_its_papers() -> None:
    assert book_exporter() is book_export
    assert status_provider("registry.record") is record_paper_status


def test_the_e_office_day_page_offers_itself_as_home() -> None:
    from hotich.documents.views_office import today_home

    assert today_home in web._home_pages


def test_offline_work_is_plugged_into_the_api_and_the_pages() -> None:
    from django.urls import reverse

    from hotich.config.api import api

    paths = api.get_openapi_schema()["paths"]
    assert {"/api/v1/offline/keyings", "/api/v1/offline/batch"} <= set(paths)
    # the service worker sits in the app's folder: its scope covers the app's page
    assert reverse("offline:service_worker").rsplit("/", 1)[0] + "/" == reverse("offline:app")
