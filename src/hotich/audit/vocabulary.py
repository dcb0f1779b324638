"""The audit log's vocabulary: the kinds of action an entry records.

Every context that writes to the log names its action with :class:`Action`; this module holds
data only, so any context may import it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    READ = "read", _("Xem dữ liệu cá nhân")
    BULK = "bulk", _("Ghi hàng loạt")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    EXPORT = "export", _("Xuất dữ liệu")
    SIGN = "sign", _("Ký số")
    TRANSITION = "transition", _("Chuyển trạng thái")
