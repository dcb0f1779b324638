"""The stand-in payment gateway ("the bank"; no money moves), for the demo, development and tests.

Its checkout page (``/dich-vu-cong/cong-thanh-toan/<reference>/``) shows the amount; confirming
signs a callback for the payment's amount with a fresh transaction id and hands it to
:func:`~hotich.portal.services.payment_callback`, the function the HTTP callback endpoint calls.
Anyone who knows a reference can mark it paid here, so the page is routed only by
``hotich.config.urls_standins`` and this module refuses to load with the production settings.
"""

from __future__ import annotations

import json
import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotich.core.errors import NotFound
from hotich.core.standins import require_standins
from hotich.portal.adapters.payment import SignedCallbackGateway
from hotich.portal.models import Payment
from hotich.portal.services import payment_callback

require_standins(__name__)

app_name = "payment_standin"


class StandInGateway(SignedCallbackGateway):
    """Signs its callbacks with the shared secret, as the bank would, and has a checkout page."""

    name = "local"

    def checkout_url(self, reference: str) -> str:
        return reverse("payment_standin:checkout", args=[reference])

    def callback_body(self, *, reference: str, transaction_id: str, amount: int) -> bytes:
        body = {
            "reference": reference,
            "transaction_id": transaction_id,
            "amount": amount,
            "status": "success",
        }
        return json.dumps(body, separators=(",", ":")).encode()


def standin_pay(*, reference: str) -> str:
    """Confirm a payment as the bank would; returns the callback's outcome."""
    gateway = StandInGateway()
    payment = Payment.objects.filter(reference=reference, provider=gateway.name).first()
    if payment is None:
        raise NotFound(gettext_lazy("Không tìm thấy giao dịch."))
    body = gateway.callback_body(
        reference=payment.reference,
        transaction_id="GW" + secrets.token_hex(8).upper(),
        amount=payment.amount,
    )
    return payment_callback(provider=gateway.name, body=body, signature=gateway.sign(body))


def checkout(request: HttpRequest, reference: str) -> HttpResponse:
    payment = Payment.objects.filter(reference=reference[:40], provider=StandInGateway.name).first()
    if payment is None:
        raise Http404
    if request.method != "POST":
        return render(request, "portal/standin_checkout.html", {"payment": payment})
    if standin_pay(reference=payment.reference) == "accepted":
        messages.success(request, _("Thanh toán thành công."))
    else:
        messages.error(request, _("Cổng thanh toán từ chối giao dịch."))
    return render(request, "portal/standin_checkout.html", {"payment": payment, "done": True})


urlpatterns = [
    path("dich-vu-cong/cong-thanh-toan/<str:reference>/", checkout, name="checkout"),
]
