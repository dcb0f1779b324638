"""The public-service portal: the procedure catalogue, citizens, dossiers and their life cycle,
files, payments, notifications (the outbox), ratings and the working-day calendar.

See README.md for the vocabulary and the status table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceClass(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")


class AuthorityLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Cấp trung ương")


class Procedure(models.Model):
    """One administrative procedure (thủ tục hành chính) of the catalogue."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    domain = models.CharField(_("lĩnh vực"), max_length=120, blank=True)
    authority_level = models.CharField(
        _("cấp thực hiện"), max_length=10, choices=AuthorityLevel.choices
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    #: [{"key": "to_khai", "name": "Tờ khai…", "required": true}]
    required_documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    fee = models.PositiveIntegerField(_("lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú lệ phí"), max_length=300, blank=True)
    copy_fee = models.PositiveIntegerField(_("lệ phí mỗi bản sao trích lục (đồng)"), default=0)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    service_class = models.CharField(
        _("mức độ dịch vụ"), max_length=10, choices=ServiceClass.choices
    )
    old_level = models.PositiveSmallIntegerField(_("mức độ cũ (1–4)"))
    form_schema = models.JSONField(_("biểu mẫu trực tuyến"), default=dict, blank=True)
    #: the registry event type approving a dossier registers ("" for other procedures)
    registry_event = models.CharField(max_length=30, blank=True)
    #: fixed ``Record.data`` values for the event (e.g. ``{"kind": "late"}``)
    registry_data = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_online(self) -> bool:
        return self.old_level >= 3 and bool(self.form_schema)


class Citizen(models.Model):
    """A citizen's portal account: a phone number or an e-mail address, proven by a one-time
    code. ``eid_subject`` is filled by the national digital ID (VNeID) adapter when used."""

    contact = models.CharField(max_length=254, unique=True)
    contact_kind = models.CharField(max_length=5, choices=[("phone", "phone"), ("email", "email")])
    full_name = models.CharField(max_length=100, blank=True)
    eid_subject = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"citizen {self.pk}"


class OneTimeCode(models.Model):
    contact = models.CharField(max_length=254, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code {self.pk}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DESK = "desk", _("Trực tiếp tại bộ phận một cửa")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNED = "signed", _("Đã ký, chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REJECTED = "rejected", _("Từ chối giải quyết")


class Dossier(models.Model):
    """One citizen's application (hồ sơ) for one procedure at one authority."""

    code = models.CharField(max_length=32, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=15, choices=Status.choices, db_index=True)
    applicant_name = models.CharField(max_length=100)
    applicant_contact = models.CharField(max_length=254, blank=True)
    form_data = models.JSONField(default=dict)
    fee = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        "registry.Record", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_path = models.CharField(max_length=300, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    result_verify_code = models.CharField(max_length=64, blank=True)
    result_signed = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    near_deadline_notified = models.BooleanField(default=False)
    overdue_notified = models.BooleanField(default=False)
    #: ``[[ISO date, status], ...]``: the public history, kept with the dossier so that the
    #: public status look-up is one indexed query (DossierEvent holds the full history)
    public_history = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"dossier {self.pk}"

    def state(self) -> dict[str, object]:
        return {
            "code": self.code,
            "status": self.status,
            "procedure": self.procedure_id,
            "unit": self.unit_id,
            "due_date": self.due_date,
            "assigned_to": self.assigned_to_id,
            "record": self.record_id,
            "form_data": self.form_data,
            "result_sha256": self.result_sha256,
        }


class DossierFile(models.Model):
    class Source(models.TextChoices):
        CITIZEN = "citizen", _("Công dân tải lên")
        DESK = "desk", _("Quét tại bộ phận một cửa")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    doc_key = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"file {self.pk}"


class DossierEvent(models.Model):
    """Each life-cycle step, shown as the dossier's history (the audit log keeps hashes only)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15, choices=Status.choices)
    actor_name = models.CharField(max_length=150)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.dossier_id}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")


class Payment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=40, unique=True)
    amount = models.PositiveIntegerField()
    provider = models.CharField(max_length=30)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    transaction_id = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"payment {self.reference}"


class CallbackLog(models.Model):
    """Every payment callback received, accepted or refused (with the reason)."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Chấp nhận")
        BAD_SIGNATURE = "bad_signature", _("Sai chữ ký")
        REPLAY = "replay", _("Gửi lại (trùng)")
        AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
        UNKNOWN_REFERENCE = "unknown_reference", _("Không có giao dịch")
        MALFORMED = "malformed", _("Sai định dạng")

    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=40, blank=True)
    transaction_id = models.CharField(max_length=80, blank=True)
    body_sha256 = models.CharField(max_length=64)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=models.Q(outcome="accepted"),
                name="portal_callback_once",
            )
        ]

    def __str__(self) -> str:
        return f"callback {self.pk} {self.outcome}"


class Notification(models.Model):
    """The outbox: every message to a citizen, written here and sent by the configured adapter."""

    channel = models.CharField(max_length=10)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"notification {self.pk}"


class Rating(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rating {self.score}"


class CalendarDay(models.Model):
    """A province's exception to the package calendar: an extra day off or a make-up workday."""

    date = models.DateField(unique=True)
    is_working = models.BooleanField()
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working else 'off'}"
