"""The words of document interconnection (QCVN 102:2016/BTTTT, Decision 28/2018/QĐ-TTg): the
package directions, the edXML status codes a receiving agency sends back, and the local states
of a package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE = "interconnect.package"
#: the edXML namespace of QCVN 102:2016/BTTTT
EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


class Direction(models.TextChoices):
    OUTGOING = "out", _("Gửi đi")
    INCOMING = "in", _("Nhận về")


class StatusCode(models.TextChoices):
    """What a receiving agency says about a package (edXML ``StatusCode``)."""

    ARRIVED = "01", _("Đã đến")
    REFUSED = "02", _("Từ chối tiếp nhận")
    ACCEPTED = "03", _("Đã tiếp nhận")
    ASSIGNED = "04", _("Đã phân công")
    PROCESSING = "05", _("Đang xử lý")
    DONE = "06", _("Hoàn thành")
    RETURNED = "07", _("Trả lại")


class PackageState(models.TextChoices):
    """Where a package is on this side: queued for the axis, handed to it, or the last status
    the receiving agency sent back (the same words as :class:`StatusCode`)."""

    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi lên trục")
    ARRIVED = "01", _("Đã đến")
    REFUSED = "02", _("Từ chối tiếp nhận")
    ACCEPTED = "03", _("Đã tiếp nhận")
    ASSIGNED = "04", _("Đã phân công")
    PROCESSING = "05", _("Đang xử lý")
    DONE = "06", _("Hoàn thành")
    RETURNED = "07", _("Trả lại")


#: the status an incoming document's register status sends back to its sender
DOCUMENT_STATUS_CODES = {
    "received": StatusCode.ACCEPTED,
    "assigned": StatusCode.ASSIGNED,
    "processed": StatusCode.DONE,
    "closed": StatusCode.DONE,
}
#: the order of the statuses: a later one never goes back to an earlier one
STATUS_ORDER = {code: n for n, code in enumerate(["queued", "sent", "01", "03", "04", "05", "06"])}
FINAL_CODES = frozenset({StatusCode.REFUSED, StatusCode.RETURNED})


class RefusalCode(models.TextChoices):
    """Why a received package is refused."""

    MALFORMED = "malformed", _("Gói tin không đúng cấu trúc edXML")
    UNKNOWN_AGENCY = "unknown_agency", _("Cơ quan không có trong danh bạ")
    BAD_SIGNATURE = "bad_signature", _("Chữ ký số không hợp lệ")
    DUPLICATE = "duplicate", _("Gói tin đã nhận trước đó")
