"""Kinds of organizations and the positions people hold in them. Data only, so any context may
import it."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
    DEPARTMENT = "so", _("Sở, ban, ngành")
    PEOPLES_COUNCIL = "hdnd", _("Hội đồng nhân dân")
    PARTY_COMMITTEE = "dang_uy", _("Cấp ủy đảng")
    PARTY_CELL = "chi_bo", _("Chi bộ")
    PUBLIC_SERVICE_UNIT = "don_vi_su_nghiep", _("Đơn vị sự nghiệp công lập")
    SECTION = "phong", _("Phòng, ban trong cơ quan")


class Position(models.TextChoices):
    """Positions, most senior first."""

    CHAIRMAN = "chu_tich", _("Chủ tịch")
    VICE_CHAIRMAN = "pho_chu_tich", _("Phó Chủ tịch")
    DIRECTOR = "giam_doc", _("Giám đốc")
    DEPUTY_DIRECTOR = "pho_giam_doc", _("Phó Giám đốc")
    SECRETARY = "bi_thu", _("Bí thư")
    DEPUTY_SECRETARY = "pho_bi_thu", _("Phó Bí thư")
    CHIEF_OF_OFFICE = "chanh_van_phong", _("Chánh Văn phòng")
    HEAD_OF_SECTION = "truong_phong", _("Trưởng phòng")
    DEPUTY_HEAD_OF_SECTION = "pho_truong_phong", _("Phó Trưởng phòng")
    CLERK = "van_thu", _("Văn thư")
    SPECIALIST = "chuyen_vien", _("Chuyên viên")
    PARTY_MEMBER = "dang_vien", _("Đảng viên")


#: positions that lead their organization: they write instructions and approve drafts
LEADERS = frozenset(
    {
        Position.CHAIRMAN,
        Position.VICE_CHAIRMAN,
        Position.DIRECTOR,
        Position.DEPUTY_DIRECTOR,
        Position.SECRETARY,
        Position.DEPUTY_SECRETARY,
        Position.CHIEF_OF_OFFICE,
        Position.HEAD_OF_SECTION,
        Position.DEPUTY_HEAD_OF_SECTION,
    }
)
#: positions that register incoming documents and issue outgoing ones
CLERKS = frozenset({Position.CLERK, Position.CHIEF_OF_OFFICE})

#: the electronic identifier of Decision 20/2020/QĐ-TTg: four levels, the first (right-most) a
#: letter and two digits (``H41``), then two, two and three digits (``000.00.17.H41``)
CODE_PATTERN = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
