"""Background runs from the UI, the review queue, and disagreements with the population
database (against a stand-in database over real HTTP)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.accounts.vocabulary import Role
from hotich.audit.models import Entry
from hotich.core.errors import Conflict
from hotich.linkage.models import (
    CandidatePair,
    Disagreement,
    LinkageRun,
    PairStatus,
    Resolution,
    RunStatus,
)
from hotich.linkage.services import disagreements_check, pair_decide
from hotich.linkage.synthetic import generate, write_csv
from hotich.linkage.tests.factories import disagreement_in, pair_in
from hotich.people.adapters.popdb.adapter import reset_clients
from hotich.people.adapters.popdb.standin import StandInServer, make_server

pytestmark = pytest.mark.django_db
BASIS = "Điều 4 Nghị định 13/2023/NĐ-CP"


def _csv(rows: list[dict[str, str]]) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        write_csv(rows, path)
        return path.read_bytes()


@pytest.fixture(autouse=True)
def file_store(tmp_path: Any, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture
def officer(units: dict[str, Any], make_user: Any) -> Any:
    return make_user(Role.OFFICER, units["a"])


def test_run_from_the_ui_in_the_background_then_review(
    officer: Any, staff_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = generate(historic=60, citizens=150, seed=3)
    client = staff_client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/doi-chieu/chay/",
            {
                "left": SimpleUploadedFile("historic.csv", _csv(data.historic)),
                "right": SimpleUploadedFile("register.csv", _csv(data.register)),
                "threshold_low": "0.5",
                "threshold_high": "1.0",
            },
        )
    run = LinkageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/doi-chieu/lan/{run.pk}/"
    assert run.status == RunStatus.DONE, run.error
    assert run.unit == officer.unit
    assert run.review_count > 40
    page = client.get(f"/doi-chieu/lan/{run.pk}/").content.decode()
    assert "Chờ xem xét" in page

    queue = client.get("/doi-chieu/xem-xet/")
    assert queue.status_code == 200
    pair = CandidatePair.objects.filter(status=PairStatus.REVIEW).order_by("probability").first()
    assert pair is not None
    shown = client.get(f"/doi-chieu/cap/{pair.pk}/").content.decode()
    assert pair.left_record["full_name"] in shown
    assert pair.right_record["full_name"] in shown
    # labels, never the CSV's column names; the sex in words; the probability as a percentage
    assert "Họ, chữ đệm và tên" in shown and "full_name" not in shown and "mother_name" not in shown
    assert ">M<" not in shown and ">F<" not in shown
    assert f"{round(pair.probability * 100, 1)} %".replace(".", ",") in shown
    response = client.post(f"/doi-chieu/cap/{pair.pk}/", {"decision": "accepted", "note": "ok"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACCEPTED
    assert pair.decided_by == officer
    assert Entry.objects.filter(object_type="linkage.pair", action="update").count() == 1
    with pytest.raises(Conflict):
        pair_decide(actor=officer, pair=pair, decision="rejected")

    # the decisions are kept by the next run on the same files and counted as labels
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/doi-chieu/chay/",
            {
                "left": SimpleUploadedFile("historic.csv", _csv(data.historic)),
                "right": SimpleUploadedFile("register.csv", _csv(data.register)),
                "threshold_low": "0.5",
                "threshold_high": "1.0",
            },
        )
    second = LinkageRun.objects.order_by("-pk").first()
    assert second is not None and second.status == RunStatus.DONE
    assert second.label_count == 1
    assert second.pairs.get(left_id=pair.left_id, right_id=pair.right_id).status == "accepted"


def test_bad_upload_is_refused_and_nothing_is_stored(officer: Any, staff_client: Any) -> None:
    client = staff_client(officer)
    response = client.post(
        "/doi-chieu/chay/",
        {
            "left": SimpleUploadedFile("bad.csv", b"id;full_name\n1;An\n"),
            "threshold_low": "0.5",
            "threshold_high": "0.9",
        },
        follow=True,
    )
    assert "bad.csv" in response.content.decode()
    assert not LinkageRun.objects.exists()


def test_lower_threshold_above_upper_is_refused(officer: Any, staff_client: Any) -> None:
    response = staff_client(officer).post(
        "/doi-chieu/chay/",
        {
            "left": SimpleUploadedFile("a.csv", io.BytesIO(b"").read()),
            "threshold_low": "0.9",
            "threshold_high": "0.5",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not LinkageRun.objects.exists()


def test_roles_without_linkage_get_404(units: dict[str, Any], make_user: Any, staff_client: Any):
    clerk = make_user(Role.CLERK, units["a"])
    assert staff_client(clerk).get("/doi-chieu/").status_code == 404
    auditor = make_user(Role.AUDITOR, units["a"])
    pair = pair_in(units["a"])
    assert staff_client(auditor).get(f"/doi-chieu/cap/{pair.pk}/").status_code == 200
    assert (
        staff_client(auditor)
        .post(f"/doi-chieu/cap/{pair.pk}/", {"decision": "accepted"})
        .status_code
        == 404
    )


def test_review_api(officer: Any, staff_client: Any, units: dict[str, Any]) -> None:
    pair = pair_in(units["a"])
    client = staff_client(officer)
    queue = client.get("/api/v1/linkage/review").json()
    assert [p["id"] for p in queue] == [pair.pk]
    bad = client.post(
        f"/api/v1/linkage/pairs/{pair.pk}/decision",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/api/v1/linkage/pairs/{pair.pk}/decision",
        {"decision": "rejected"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "rejected"


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInServer]:
    server = make_server(port=0, rng_seed=2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("HOTICH_POPDB_URL", server.url)
    monkeypatch.setenv("HOTICH_POPDB_RETRIES", "0")
    monkeypatch.setenv("HOTICH_POPDB_CACHE_SECONDS", "0")
    reset_clients()
    yield server
    server.shutdown()
    server.server_close()
    reset_clients()


def test_disagreements_found_listed_and_resolved(
    officer: Any, staff_client: Any, standin: StandInServer, units: dict[str, Any]
) -> None:
    import datetime as dt

    from hotich.registry.tests.factories import BirthFactory, person_input

    born = dt.date.today() - dt.timedelta(days=30)
    child = person_input(sex="F", birth_date=born, full_name="Nguyễn Thị Hằng", with_id=True)
    record = BirthFactory(
        unit=units["a"],
        parties={
            "child": child,
            "father": person_input(sex="M", birth_date="1990"),
            "mother": person_input(sex="F", birth_date="1992"),
        },
    )
    assert record.status == "registered"
    standin.store.insert(
        [
            {
                "personal_id": child["personal_id"],
                "full_name": "Nguyễn Thị Hẳng",  # a tone mark differs
                "sex": "F",
                "birth_date": born.isoformat(),
            }
        ]
    )
    client = staff_client(officer)
    response = client.post("/doi-chieu/khac-biet/doi-chieu/", {"legal_basis": BASIS}, follow=True)
    assert "1 khác biệt mới" in response.content.decode()
    item = Disagreement.objects.get()
    assert (item.field, item.book_value, item.popdb_value) == (
        "full_name",
        "Nguyễn Thị Hằng",
        "Nguyễn Thị Hẳng",
    )
    assert disagreements_check(actor=officer, legal_basis=BASIS) == 0  # not found twice
    listing = client.get("/doi-chieu/khac-biet/").content.decode()
    assert "Nguyễn Thị Hẳng" in listing
    response = client.post(
        f"/doi-chieu/khac-biet/{item.pk}/", {"resolution": Resolution.BOOK_WINS, "note": "sổ"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolution == Resolution.BOOK_WINS and item.resolved_by == officer
    assert "Nguyễn Thị Hẳng" not in client.get("/doi-chieu/khac-biet/").content.decode()
    assert Entry.objects.filter(object_type="popdb.citizen", legal_basis=BASIS).exists()


def test_disagreement_of_a_historic_record_shows_the_page(
    officer: Any, staff_client: Any, units: dict[str, Any]
) -> None:
    item = disagreement_in(units["a"], page_image_id=77, is_historic=True)
    page = staff_client(officer).get(f"/doi-chieu/khac-biet/{item.pk}/").content.decode()
    assert "/trang/77/anh/" in page
