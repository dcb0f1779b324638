"""The HTTP adapter for the national population database (contract: docs/popdb-contract.md)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.http import (
    CircuitBreaker,
    ClientPool,
    OutboundHttp,
    UpstreamUnavailable,
    tls_context,
)
from hotich.core.text import nfc
from hotich.people.adapters.popdb.protocol import Citizen, IdRequest, Inquiry
from hotich.people.adapters.popdb.settings import PopdbSettings, popdb_settings
from hotich.people.personal_id import parse_personal_id

SYSTEM_NAME = "CSDL quốc gia về dân cư"
OBJECT_TYPE = "popdb.citizen"
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_LIMIT = 100


class UpstreamRejected(DomainError):
    """The service refused the request (4xx other than 404)."""

    status = 502
    code = "upstream_rejected"


def _legal_basis_header(text: str) -> str:
    # HTTP headers are Latin-1: send the legal basis percent-encoded UTF-8.
    from urllib.parse import quote

    return quote(nfc(text), safe=" ,.;:/()-")


class HttpPopulationDatabase:
    """:class:`~hotich.people.adapters.popdb.protocol.PopulationDatabase` over HTTP."""

    def __init__(self, http: OutboundHttp) -> None:
        self.http = http

    # -- the protocol -------------------------------------------------------------------------

    def lookup(self, personal_id: str, *, inquiry: Inquiry) -> Citizen | None:
        number = parse_personal_id(personal_id).number
        outcome, citizen = "error", None
        try:
            response = self.http.request(
                "GET",
                f"/v1/citizens/{number}",
                headers=self._headers(inquiry),
                cache=True,
                log_path="/v1/citizens/{id}",
            )
            if response.status_code == 404:
                outcome = "not_found"
                return None
            self._raise_for_status(response)
            citizen = Citizen.from_json(response.json())
            outcome = "found"
            return citizen
        except UpstreamUnavailable:
            outcome = "unavailable"
            raise
        finally:
            audit_record(
                actor=inquiry.requester,
                action=Action.READ,
                object_type=OBJECT_TYPE,
                object_id=number,
                after=citizen.as_json() if citizen else None,
                legal_basis=inquiry.legal_basis,
                detail={"operation": "lookup", "outcome": outcome},
            )

    def search(
        self,
        *,
        full_name: str,
        birth_date: str = "",
        birth_place: str = "",
        sex: str = "",
        limit: int = 20,
        inquiry: Inquiry,
    ) -> list[Citizen]:
        name = nfc(full_name or "")
        if not name:
            raise ValidationFailed(_("Phải nhập họ tên để tìm kiếm."), field="full_name")
        if birth_date and not _PARTIAL_DATE.match(birth_date.strip()):
            raise ValidationFailed(
                _("Ngày sinh phải có dạng YYYY, YYYY-MM hoặc YYYY-MM-DD."), field="birth_date"
            )
        if sex and sex not in ("M", "F"):
            raise ValidationFailed(_("Giới tính phải là M hoặc F."), field="sex")
        params: dict[str, Any] = {"full_name": name, "limit": max(1, min(int(limit), MAX_LIMIT))}
        if birth_date:
            params["birth_date"] = birth_date.strip()
        if birth_place:
            params["birth_place"] = nfc(birth_place)
        if sex:
            params["sex"] = sex
        outcome, results = "error", []
        try:
            response = self.http.request(
                "GET",
                "/v1/citizens",
                params=params,
                headers=self._headers(inquiry),
                cache=True,
            )
            self._raise_for_status(response)
            results = [Citizen.from_json(item) for item in response.json()["results"]]
            outcome = "ok"
            return results
        except UpstreamUnavailable:
            outcome = "unavailable"
            raise
        finally:
            audit_record(
                actor=inquiry.requester,
                action=Action.READ,
                object_type=OBJECT_TYPE,
                object_id=f"search:{len(results)}",
                before=params,
                after={"ids": [c.personal_id for c in results]},
                legal_basis=inquiry.legal_basis,
                detail={"operation": "search", "outcome": outcome, "count": len(results)},
            )

    def assign_id(self, request: IdRequest, *, inquiry: Inquiry) -> Citizen:
        if not request.request_key:
            raise ValidationFailed(_("Thiếu khóa yêu cầu cấp số."), field="request_key")
        if request.sex not in ("M", "F"):
            raise ValidationFailed(_("Giới tính phải là M hoặc F."), field="sex")
        if not nfc(request.full_name):
            raise ValidationFailed(_("Phải nhập họ tên."), field="full_name")
        outcome, citizen = "error", None
        try:
            response = self.http.request(
                "POST",
                "/v1/personal-ids",
                json=request.as_json(),
                headers={**self._headers(inquiry), "Idempotency-Key": request.request_key},
            )
            self._raise_for_status(response, expected=(200, 201))
            citizen = Citizen.from_json(response.json()["citizen"])
            outcome = "assigned"
            return citizen
        except UpstreamUnavailable:
            outcome = "unavailable"
            raise
        finally:
            audit_record(
                actor=inquiry.requester,
                action=Action.CREATE,
                object_type=OBJECT_TYPE,
                object_id=citizen.personal_id if citizen else "",
                after=citizen.as_json() if citizen else None,
                legal_basis=inquiry.legal_basis,
                detail={"operation": "assign_id", "outcome": outcome},
            )

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _headers(inquiry: Inquiry) -> dict[str, str]:
        headers = {
            "X-Requester": inquiry.requester_label,
            "X-Legal-Basis": _legal_basis_header(inquiry.legal_basis),
        }
        if inquiry.purpose:
            headers["X-Purpose"] = _legal_basis_header(inquiry.purpose)
        return headers

    @staticmethod
    def _raise_for_status(response: Any, expected: tuple[int, ...] = (200,)) -> None:
        if response.status_code in expected:
            return
        try:
            reason = str(response.json().get("error", ""))[:200]
        except ValueError:
            reason = ""
        raise UpstreamRejected(
            format_lazy(
                _("Hệ thống {name} từ chối yêu cầu (HTTP {status}: {reason})."),
                name=SYSTEM_NAME,
                status=response.status_code,
                reason=reason or "-",
            )
        )


def _http(config: PopdbSettings) -> OutboundHttp:
    headers = {"Accept": "application/json", "User-Agent": "hotich-popdb/1"}
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    return OutboundHttp(
        name=SYSTEM_NAME,
        base_url=config.url,
        timeout=config.timeout,
        retries=config.retries,
        backoff=config.backoff,
        breaker=CircuitBreaker(failures=config.breaker_failures, reset=config.breaker_reset),
        cache_seconds=config.cache_seconds,
        headers=headers,
        verify=tls_context(
            ca_bundle=config.ca_bundle,
            client_cert=config.client_cert,
            client_key=config.client_key,
        ),
    )


_clients: ClientPool[PopdbSettings, OutboundHttp] = ClientPool(_http)
http_for = _clients.get


def reset_clients() -> None:
    """Forget every wrapper (breaker state, cache); for tests and after a configuration change."""
    _clients.reset()


def population_database() -> HttpPopulationDatabase:
    """The configured population database (environment read now)."""
    return HttpPopulationDatabase(http_for(popdb_settings()))
