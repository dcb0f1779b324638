"""The words of meetings: kinds, statuses and actions of a meeting, the answers to an invitation,
the ballots and the passing rules. Data only, so any context may import it.

A meeting goes draft → invited (the invitations are sent) → in progress (the chair opens it) →
closed (the chair closes it; the minutes are drafted) → minutes signed (the secretary signs the
minutes, then the chair with the organization's seal). A draft or invited meeting may be
cancelled.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE = "meetings.meeting"
ITEM_OBJECT_TYPE = "meetings.item"
PARTICIPANT_OBJECT_TYPE = "meetings.participant"


class Kind(models.TextChoices):
    REGULAR = "regular", _("Họp thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Kỳ họp bất thường")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự kiến")
    INVITED = "invited", _("Đã mời")
    IN_PROGRESS = "in_progress", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")
    MINUTES_SIGNED = "minutes_signed", _("Biên bản đã ký")
    CANCELLED = "cancelled", _("Đã hủy")


class Action(models.TextChoices):
    INVITE = "invite", _("Gửi giấy mời")
    OPEN = "open", _("Khai mạc")
    CLOSE = "close", _("Bế mạc")
    SIGN_SECRETARY = "sign_secretary", _("Thư ký ký biên bản")
    SIGN_CHAIR = "sign_chair", _("Chủ trì ký biên bản")
    CANCEL = "cancel", _("Hủy cuộc họp")


class Response(models.TextChoices):
    PENDING = "pending", _("Chưa trả lời")
    ACCEPTED = "accepted", _("Sẽ dự họp")
    EXCUSED = "excused", _("Xin vắng mặt")


class CheckIn(models.TextChoices):
    QR = "qr", _("Quét mã QR")
    SECRETARY = "secretary", _("Thư ký điểm danh")
    LINK = "link", _("Khách mời tự điểm danh")


class Ballot(models.TextChoices):
    OPEN = "open", _("Biểu quyết công khai")
    SECRET = "secret", _("Bỏ phiếu kín")


class Choice(models.TextChoices):
    FOR = "for", _("Tán thành")
    AGAINST = "against", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class Rule(models.TextChoices):
    """How many votes for an item needs. ``body``: the body's own rule (a People's Council
    resolution: more than half of all delegates; anything else: more than half of those present)."""

    BODY = "body", _("Theo quy chế của cơ quan")
    PRESENT = "present", _("Quá nửa số thành viên có mặt")
    ALL_MEMBERS = "all_members", _("Quá nửa tổng số thành viên")
    TWO_THIRDS = "two_thirds", _("Ít nhất hai phần ba tổng số thành viên")


class VoteState(models.TextChoices):
    NONE = "none", _("Không biểu quyết")
    WAITING = "waiting", _("Chưa biểu quyết")
    OPEN = "open", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã có kết quả")


class Speaking(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    SPEAKING = "speaking", _("Đang phát biểu")
    DONE = "done", _("Đã phát biểu")


class PeriodState(models.TextChoices):
    """A cell's month (regular meeting) or quarter (thematic meeting) on its committee's page."""

    HELD = "held", _("Đã họp")
    MISSED = "missed", _("Không họp")
    DUE = "due", _("Chưa đến hạn")
    UNTRACKED = "untracked", _("Chưa theo dõi")


#: what the history calls each step
EVENT_LABELS: dict[str, object] = {
    "create": _("Tạo cuộc họp"),
    **dict(Action.choices),
}

MAX_AGENDA_ITEMS = 40
MAX_PARTICIPANTS = 500
#: an outside guest's link: its signing salt, and how long it stays valid (seconds)
GUEST_SALT = "hotich.meetings.guest"
GUEST_LINK_AGE = 60 * 60 * 24 * 60
#: the day of the month a party cell holds its regular meeting unless its calendar says otherwise
DEFAULT_MEETING_DAY = 5
DEFAULT_MEETING_HOUR = 14
#: the day of the quarter's middle month a cell holds its thematic meeting
THEMATIC_MEETING_DAY = 20
#: statuses of a meeting held (its minutes drafted, or signed)
HELD_STATUSES = ("closed", "minutes_signed")
