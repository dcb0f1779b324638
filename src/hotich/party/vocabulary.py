"""The words of party member records: sex, education, political theory, age bands, what a
commendation or a discipline is, transfers. Data only, so any context may import it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Education(models.TextChoices):
    """The highest diploma (trình độ chuyên môn)."""

    SECONDARY = "secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp chuyên nghiệp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class Theory(models.TextChoices):
    """The political theory level (trình độ lý luận chính trị)."""

    NONE = "no_theory", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Dưới 30 tuổi")
    FROM_30 = "from_30", _("Từ 30 đến 40 tuổi")
    FROM_41 = "from_41", _("Từ 41 đến 50 tuổi")
    FROM_51 = "from_51", _("Từ 51 đến 60 tuổi")
    OVER_60 = "over_60", _("Trên 60 tuổi")


#: age band → (youngest age, oldest age) in whole years, None: open
AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    AgeBand.UNDER_30: (None, 29),
    AgeBand.FROM_30: (30, 40),
    AgeBand.FROM_41: (41, 50),
    AgeBand.FROM_51: (51, 60),
    AgeBand.OVER_60: (61, None),
}


class DistinctionKind(models.TextChoices):
    COMMENDATION = "commendation", _("Khen thưởng")
    DISCIPLINE = "discipline", _("Kỷ luật")


class Discipline(models.TextChoices):
    """The forms of party discipline (Điều lệ Đảng, Điều 35)."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Chuyển sinh hoạt đảng chính thức")
    TEMPORARY = "temporary", _("Chuyển sinh hoạt đảng tạm thời")


class TransferStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn giấy giới thiệu")
    SENT = "sent", _("Đã gửi, chờ chi bộ nơi đến tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REFUSED = "refused_transfer", _("Nơi đến từ chối")
    CANCELLED = "cancelled_transfer", _("Đã hủy")
    RETURNED = "member_returned", _("Đã kết thúc, đảng viên trở về chi bộ nơi đi")


class TransferAction(models.TextChoices):
    SIGN = "sign_letter", _("Ký giấy giới thiệu và gửi")
    ACCEPT = "accept_transfer", _("Tiếp nhận đảng viên")
    REFUSE = "refuse_transfer", _("Từ chối tiếp nhận")
    CANCEL = "cancel_transfer", _("Hủy chuyển sinh hoạt")
    RETURN = "end_temporary", _("Kết thúc sinh hoạt tạm thời, đảng viên trở về")


#: months of probation after admission (Điều lệ Đảng, Điều 5)
PROBATION_MONTHS = 12
#: rows of one member spreadsheet
MAX_IMPORT_ROWS = 5_000
#: members shown on one page of a list
PAGE_SIZE = 50
#: organizations of a tree shown on the statistics page; a larger tree shows the level below
#: only (each organization a link to its own statistics; the exports have every one)
STATS_PAGE_ROWS = 200


class FeeCategory(models.TextChoices):
    """Categories of members for the party fee; each has its rate in ``FeeRate`` (data)."""

    SALARIED = "salaried", _("Hưởng lương từ ngân sách")
    RETIRED = "retired", _("Hưởng lương hưu")
    ENTERPRISE = "enterprise", _("Làm việc trong doanh nghiệp")
    OTHER = "other_member", _("Đảng viên khác")


#: the share of the fees collected that each level keeps, in percent; the rest goes to the level
#: above (the top committee of the platform keeps all it receives)
FEE_KEPT_PERCENT = {"chi_bo": 30, "dang_uy": 50}
#: a fee is rounded to this many đồng
FEE_ROUNDING = 500


class Grade(models.TextChoices):
    """The four grades of the annual quality rating."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    FULFILLED = "fulfilled", _("Hoàn thành nhiệm vụ")
    UNFULFILLED = "unfulfilled", _("Không hoàn thành nhiệm vụ")


class RatingStatus(models.TextChoices):
    SELF = "self_assessed", _("Đã tự đánh giá")
    REVIEWED = "reviewed", _("Chi bộ đã cho ý kiến")
    DECIDED = "decided", _("Cấp ủy đã quyết định")


class RatingAction(models.TextChoices):
    REVIEW = "review", _("Chi bộ cho ý kiến")
    DECIDE = "decide", _("Cấp ủy quyết định")


#: the grades a member disciplined during the year may still receive
GRADES_AFTER_DISCIPLINE = frozenset({Grade.FULFILLED, Grade.UNFULFILLED})


class DirectiveKind(models.TextChoices):
    """The papers a party committee sends down to the organizations under it."""

    DIRECTIVE = "directive", _("Chỉ thị")
    RESOLUTION = "resolution", _("Nghị quyết")
    PLAN = "plan", _("Kế hoạch")


#: the letters of a directive's number by kind: ``05-CT/ĐU``
DIRECTIVE_LETTERS = {"directive": "CT", "resolution": "NQ", "plan": "KH"}
#: receiving organizations of one directive, at most
MAX_DIRECTIVE_TARGETS = 2_000
#: from this month on, a member assesses the current year (the rating is made at the year's end)
RATING_SEASON_MONTH = 11
