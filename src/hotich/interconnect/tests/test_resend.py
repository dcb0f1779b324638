"""Status 05 (being handled) reaches the sender, and packages left without a status are sent
again under the same idempotency key."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from hotich.documents.services import document_transition
from hotich.interconnect.models import Package
from hotich.interconnect.services import axis_receive, package_send, packages_resend_stuck
from hotich.interconnect.vocabulary import PackageState

pytestmark = pytest.mark.django_db


def test_the_sender_hears_assigned_handling_and_done_in_order(issued, codes, people, axis) -> None:
    package_send(actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis)
    axis_receive(axis=axis)
    incoming = Package.objects.get(direction="in").document
    handler = people["officer_b"]
    document_transition(
        actor=handler, document=incoming, action="assign", handler_id=handler.pk, days=5
    )
    document_transition(actor=handler, document=incoming, action="process", note="Đã trả lời")
    axis_receive(axis=axis)  # the receiver queues 04, 05, 06 at once
    axis_receive(axis=axis)  # the sender takes them
    outgoing = Package.objects.get(direction="out")
    codes_seen = list(outgoing.statuses.values_list("code", flat=True))
    assert codes_seen == ["01", "03", "04", "05", "06"]
    assert outgoing.state == PackageState.DONE


def test_a_package_without_a_status_is_sent_again(issued, codes, people, axis) -> None:
    [package] = package_send(
        actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis
    )
    assert package.state == PackageState.SENT
    assert packages_resend_stuck(hours=24, axis=axis).resent == 0  # not stuck yet
    Package.objects.filter(pk=package.pk).update(updated_at=timezone.now() - dt.timedelta(hours=30))
    run = packages_resend_stuck(hours=24, axis=axis)
    assert (run.resent, run.sent) == (1, 1)
    package.refresh_from_db()
    assert package.state == PackageState.SENT and package.attempts == 2
    # the axis delivers it once: the receiver registers one document
    assert axis_receive(axis=axis).received == 1
    Package.objects.filter(pk=package.pk).update(updated_at=timezone.now() - dt.timedelta(hours=30))
    axis_receive(axis=axis)  # its statuses arrive: no longer stuck
    assert packages_resend_stuck(hours=24, axis=axis).resent == 0


def test_the_command_resends_and_says_how_many(issued, codes, people, axis) -> None:
    package_send(actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis)
    Package.objects.update(updated_at=timezone.now() - dt.timedelta(hours=5))
    out = io.StringIO()
    call_command("edoc", "axis", "resend-stuck", "--hours", "4", "--url", axis.base_url, stdout=out)
    assert out.getvalue().startswith("resent 1, packages sent 1")
