"""The words of administrative geography: the two eras either side of the 2025 reorganisation and
the levels of a unit. Data only, so any context may import it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = dt.date(2025, 7, 1)


class Era(models.TextChoices):
    LEGACY = "o", _("Trước 01/7/2025")
    CURRENT = "n", _("Từ 01/7/2025")


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DISTRICT = "district", _("Quận/huyện")
    COMMUNE = "commune", _("Xã/phường/đặc khu")
