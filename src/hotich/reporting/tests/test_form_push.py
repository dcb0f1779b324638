"""Approved indicator forms reach the stand-in national receiver (queued by the approval, with
retries and one idempotency key); secret forms and indicators never do."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from hotich.accounts.vocabulary import Role
from hotich.core.errors import NotFound
from hotich.reporting.adapters.national import NationalReportingClient, SecretRefused
from hotich.reporting.datasets import form_assign, form_grid, form_report_act, form_save, value_save
from hotich.reporting.exports import form_report_payload
from hotich.reporting.models import FormReport, Submission
from hotich.reporting.selectors import data_forms, indicators_all
from hotich.reporting.services import form_report_push, submission_resubmit
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def world(units, make_user):
    return fx.build(units, make_user)


@pytest.fixture
def client(receiver):
    return NationalReportingClient(receiver.url, retries=3, backoff=0, timeout=5)


def _enter(world, form=None, actor=None, **cells):
    for key, raw in cells.items():
        code, _sep, combo = key.partition("__")
        value_save(
            actor=actor or world.officer, form=form or world.form,
            organization=world.tree.commune, period_code=fx.PERIOD, indicator_code=code,
            combo=combo, raw=raw, today=TODAY,
        )  # fmt: skip


def _approve(world, form=None, submitter=None):
    for actor, action in ((submitter or world.officer, "submit"), (world.approver, "approve")):
        form_report_act(actor=actor, form=form or world.form, organization=world.tree.commune,
                        period_code=fx.PERIOD, action=action)  # fmt: skip
    return FormReport.objects.get(form=form or world.form, organization=world.tree.commune)


def _secret_form(world):
    form = form_save(actor=None, code="QP-01", name="Biểu quốc phòng", regime="yearly",
                     indicators=["DS_TONG"], is_secret=True)  # fmt: skip
    form_assign(actor=None, form=form, organizations=[world.tree.commune])
    return form


def test_approval_queues_the_push_and_the_receiver_stores_it_once(
    world, receiver, django_capture_on_commit_callbacks
) -> None:
    _enter(world, DS_TONG="1000", DS_NU="510", KS_GT__M="12", KS_GT__F="10")
    _enter(world, actor=world.approver, QP_MAT="777")
    with django_capture_on_commit_callbacks(execute=True):
        report = _approve(world)
    submission = Submission.objects.get(form_report=report)
    assert submission.status == "accepted" and submission.receipt_id.startswith("BC-")
    assert submission.form_code == "KTXH-01" and submission.revision == 1
    stored = receiver.reports[submission.receipt_id]["payload"]
    assert stored["reporting_organization"]["code"] == world.tree.commune.code
    values = {(r["indicator"], json.dumps(r.get("dimensions"))): r["value"] for r in stored["data"]}
    assert values == {
        ("DS_TONG", "null"): 1000, ("DS_NU", "null"): 510,
        ("KS_GT", '{"sex": "F"}'): 10, ("KS_GT", '{"sex": "M"}'): 12,
    }  # fmt: skip
    # the secret indicator of this form never reached the receiver, by code or by value
    raw = json.dumps(receiver.reports, ensure_ascii=False)
    assert "QP_MAT" not in raw and "777" not in raw
    # the task run again (a duplicate of the queue) sends nothing more
    assert form_report_push(actor=None, report=report) is None
    assert receiver.requests == 1


def test_a_secret_form_is_never_queued_nor_pushed(
    world, receiver, client, django_capture_on_commit_callbacks
) -> None:
    form = _secret_form(world)
    _enter(world, form=form, actor=world.approver, DS_TONG="4242")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        report = _approve(world, form=form, submitter=world.approver)
    assert queued == [] and report.status == "approved"
    assert form_report_push(actor=None, report=report, client=client) is None
    with pytest.raises(SecretRefused, match="QP-01"):
        form_report_payload(report)
    assert not Submission.objects.exists() and receiver.requests == 0


def test_the_client_refuses_a_payload_with_secret_content_before_sending(
    world, receiver, client
) -> None:
    _enter(world, DS_TONG="1000")
    report = _approve(world)
    payload = form_report_payload(report)
    smuggled = {**payload, "data": [*payload["data"], {**payload["data"][0],
                "indicator": "QP_MAT", "value": 999}]}  # fmt: skip
    with pytest.raises(SecretRefused, match="QP_MAT"):
        client.submit(smuggled, idempotency_key="k1")
    _secret_form(world)
    with pytest.raises(SecretRefused, match="QP-01"):
        client.submit({**payload, "form": {"code": "QP-01", "name": "x"}}, idempotency_key="k2")
    with pytest.raises(SecretRefused):
        client.submit({**payload, "secret": True}, idempotency_key="k3")
    assert receiver.requests == 0 and receiver.reports == {}


def test_failures_are_retried_with_one_key_and_by_the_retry_command(
    world, receiver, client
) -> None:
    _enter(world, DS_TONG="1000")
    report = _approve(world)
    receiver.fail_next(5, status=503)
    first = form_report_push(actor=None, report=report, client=client)
    assert first.status == "failed" and first.attempts == 3
    call_command("report", "retry")  # 2 more failures, then accepted on the same key
    first.refresh_from_db()
    assert first.status == "accepted" and first.attempts == 6
    assert [a.outcome for a in first.log.all()][-1] == "accepted"
    assert len(receiver.reports) == 1
    # reopened with a reason, corrected and approved again: the next revision, a new key
    form_report_act(actor=world.approver, form=world.form, organization=world.tree.commune,
                    period_code=fx.PERIOD, action="reopen", note="Sửa dân số")  # fmt: skip
    _enter(world, DS_TONG="1001")
    second = form_report_push(actor=None, report=_approve(world), client=client)
    assert second.revision == 2 and second.idempotency_key != first.idempotency_key
    assert second.status == "accepted" and len(receiver.reports) == 2


def test_a_rejected_push_is_resent_as_the_next_revision(world, receiver, client) -> None:
    _enter(world, DS_TONG="1000")
    report = _approve(world)
    receiver.reject_next("Sai mã đơn vị")
    rejected = form_report_push(actor=None, report=report, client=client)
    assert rejected.status == "rejected" and "Sai mã" in rejected.message
    again = submission_resubmit(actor=world.approver, submission=rejected, client=client)
    assert again.revision == 2 and again.status == "accepted"


def test_secret_forms_and_indicators_are_seen_only_with_the_grant(world) -> None:
    form = _secret_form(world)
    assert "QP-01" not in {f.code for f in data_forms(world.officer)}
    assert "QP-01" in {f.code for f in data_forms(world.approver)}
    assert "QP_MAT" not in {i.code for i in indicators_all(world.officer)}
    grid = form_grid(actor=world.officer, form=world.form, organization=world.tree.commune,
                     period_code=fx.PERIOD)  # fmt: skip
    assert "QP_MAT" not in {r.indicator.code for r in grid.rows}
    with pytest.raises(NotFound):
        form_grid(actor=world.officer, form=form, organization=world.tree.commune,
                  period_code=fx.PERIOD)  # fmt: skip
    with pytest.raises(Exception, match="không có trong biểu"):
        _enter(world, QP_MAT="5")


def test_pushes_page_lists_form_pushes_and_secret_pages_are_404(
    world, receiver, client, staff_client, make_user, units
) -> None:
    _enter(world, DS_TONG="1000")
    form_report_push(actor=None, report=_approve(world), client=client)
    secret = _secret_form(world)
    page = staff_client(world.approver).get("/bao-cao/da-gui/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "KTXH-01" in text and world.tree.commune.name in text
    officer = staff_client(world.officer)
    assert officer.get(f"/bao-cao/bieu/{secret.code}/?ky=2025-Y").status_code == 404
    url = f"/bao-cao/bieu/{secret.code}/{world.tree.commune.code}/2025-Y/"
    assert officer.get(url).status_code == 404
    assert staff_client(make_user(Role.SIGNER, units["a"])).get(url).status_code == 200
