"""The roles of staff users. Data only, so any context may import it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Nhân viên nhập liệu")
    REVIEWER = "reviewer", _("Người đối chiếu / kiểm tra chất lượng")
    OFFICER = "officer", _("Công chức tư pháp - hộ tịch cấp xã")
    SIGNER = "signer", _("Lãnh đạo UBND cấp xã (ký)")
    PROVINCE = "province", _("Chuyên viên Sở Tư pháp")
    AUDITOR = "auditor", _("Kiểm toán viên (chỉ xem)")
    ADMIN = "admin", _("Quản trị hệ thống")
