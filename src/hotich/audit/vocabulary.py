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


#: what an entry's ``object_type`` names, as the auditor reads it
OBJECT_TYPES = {
    "accounts.apitoken": _("Khóa truy cập API"),
    "accounts.user": _("Người dùng"),
    "agencies.membership": _("Chức vụ trong tổ chức"),
    "agencies.organization": _("Tổ chức"),
    "archive.fixity_run": _("Lượt kiểm tra toàn vẹn tệp"),
    "archive.quarantine": _("Tệp bị cách ly"),
    "archive.stored_file": _("Tệp lưu trữ"),
    "digitization.batch": _("Lô quét"),
    "digitization.book": _("Sổ đang số hóa"),
    "digitization.entry": _("Mục sổ số hóa"),
    "digitization.keying": _("Lượt nhập liệu"),
    "digitization.page": _("Trang sổ"),
    "digitization.qa": _("Kiểm tra chất lượng"),
    "documents.calendar_entry": _("Lịch công tác"),
    "documents.document": _("Văn bản"),
    "documents.handover": _("Mục lục hồ sơ nộp lưu"),
    "documents.task": _("Nhiệm vụ"),
    "documents.work_file": _("Hồ sơ công việc"),
    "geo.unit": _("Đơn vị hành chính"),
    "interconnect.package": _("Gói văn bản liên thông"),
    "legacy.import_batch": _("Lô nhập dữ liệu cũ"),
    "linkage.disagreement": _("Ý kiến khác nhau về cặp bản ghi"),
    "linkage.pair": _("Cặp bản ghi nghi trùng"),
    "linkage.run": _("Lượt đối sánh"),
    "meetings.item": _("Nội dung cuộc họp"),
    "meetings.meeting": _("Cuộc họp"),
    "meetings.participant": _("Người dự họp"),
    "offline.batch": _("Lô mục mang về thiết bị"),
    "offline.device": _("Thiết bị làm việc không có mạng"),
    "offline.receipt": _("Lần nhập gửi từ thiết bị"),
    "party.badge": _("Huy hiệu Đảng"),
    "party.directive": _("Chỉ thị, nghị quyết gửi tổ chức đảng cấp dưới"),
    "party.distinction": _("Khen thưởng, kỷ luật đảng viên"),
    "party.fee": _("Đảng phí"),
    "party.fee_remittance": _("Chốt và nộp đảng phí lên cấp trên"),
    "party.export": _("Bản xuất dữ liệu đảng viên"),
    "party.member": _("Hồ sơ đảng viên"),
    "party.rating": _("Xếp loại chất lượng đảng viên, tổ chức đảng"),
    "party.transfer": _("Chuyển sinh hoạt đảng"),
    "popdb.citizen": _("Công dân (CSDL dân cư)"),
    "portal.citizen": _("Tài khoản công dân"),
    "portal.dossier": _("Hồ sơ"),
    "portal.dossier_file": _("Tệp của hồ sơ"),
    "portal.notification": _("Thông báo"),
    "portal.payment": _("Thanh toán"),
    "portal.procedure": _("Thủ tục"),
    "portal.rating": _("Đánh giá"),
    "registry.book": _("Sổ hộ tịch"),
    "registry.record": _("Bản ghi hộ tịch"),
    "reporting.category": _("Nhóm chỉ tiêu"),
    "reporting.data_value": _("Số liệu chỉ tiêu"),
    "reporting.data_values": _("Số liệu chỉ tiêu (hàng loạt)"),
    "reporting.form": _("Biểu mẫu báo cáo"),
    "reporting.form_report": _("Báo cáo theo biểu mẫu"),
    "reporting.indicator": _("Chỉ tiêu"),
    "reporting.report": _("Báo cáo"),
    "reporting.submission": _("Báo cáo đã gửi"),
    "signing.document": _("Giấy tờ đã ký"),
    "signing.identity": _("Chứng thư số"),
}
