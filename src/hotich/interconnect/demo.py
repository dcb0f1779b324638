"""Demo data of document interconnection: a công văn of the ward of Thành Vinh sent over the
stand-in axis to the People's Committee of Quế Phong, received, registered and assigned there,
with its status messages (arrived, accepted, assigned) back at the sender."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotich.accounts.selectors import user_by_username
from hotich.agencies.selectors import organization_by_code
from hotich.agencies.services import organization_create
from hotich.agencies.vocabulary import OrganizationKind
from hotich.documents.services import document_create, document_transition
from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.selectors import received_document
from hotich.interconnect.services import axis_receive, package_send

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit

#: the agencies of the demo exchange: (code, name, unit key), the province's first
AGENCIES = [
    ("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "province"),
    ("000.00.31.H41", "Ủy ban nhân dân phường Thành Vinh", "thanhvinh"),
    ("000.00.32.H41", "Ủy ban nhân dân xã Quế Phong", "quephong"),
]


def _agency(code: str, name: str, unit: Unit, parent: Organization | None) -> Organization:
    found = organization_by_code(code)
    if found is not None:
        return found
    return organization_create(
        actor=None,
        code=code,
        name=name,
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        unit=unit,
        parent=parent,
    )


def demo_interconnect(*, units: dict[str, Unit]) -> int:
    """Send one document between two demo agencies through a stand-in axis started for the
    occasion; returns the number of status messages the sender received."""
    from hotich.interconnect.adapters.axis.standin import serve_in_thread

    root = None
    for code, name, key in AGENCIES:
        organization = _agency(code, name, units[key], root)
        root = root or organization
    officer = user_by_username("thanhvinh.hotich")
    signer = user_by_username("thanhvinh.chutich")
    clerk = user_by_username("quephong.hotich")
    document = document_create(
        actor=officer,
        doc_type="CV",
        title="Về việc phối hợp xác minh hồ sơ đăng ký khai sinh",
        summary="Đề nghị xác minh nơi cư trú của người yêu cầu đăng ký khai sinh.",
        body=(
            "Ủy ban nhân dân phường Thành Vinh đề nghị Ủy ban nhân dân xã Quế Phong phối hợp "
            "xác minh nơi cư trú của người yêu cầu đăng ký khai sinh cho trẻ.\n\n"
            "Đề nghị trả lời trước ngày làm việc thứ năm kể từ ngày nhận văn bản."
        ),
        recipient_unit_id=units["province"].pk,
        section_abbrev="TP",
    )
    for actor, action in ((officer, "submit"), (signer, "approve"), (signer, "sign")):
        document_transition(actor=actor, document=document, action=action)
    document_transition(actor=officer, document=document, action="issue")
    server, thread = serve_in_thread()
    axis = HttpAxis(server.url, retries=2, backoff=0.05)
    try:
        [package] = package_send(
            actor=officer, document_id=document.pk, to_codes=[AGENCIES[2][0]], axis=axis
        )
        axis_receive(axis=axis)  # Quế Phong receives, registers it and acknowledges
        received = axis_receive(axis=axis)  # Thành Vinh takes the statuses
        incoming = received_document(package.document_key)
        if incoming is not None and clerk is not None:
            document_transition(
                actor=clerk,
                document=incoming,
                action="assign",
                handler_id=clerk.pk,
                days=5,
                note="Giao công chức tư pháp - hộ tịch xác minh, trả lời.",
            )
            axis_receive(axis=axis)  # the assignment goes back
            last = axis_receive(axis=axis)
            return received.statuses_received + last.statuses_received
        return received.statuses_received
    finally:
        axis.close()
        server.shutdown()
        server.server_close()
        thread.join(5)
