"""Reports pushed to the national reporting system: one :class:`Submission` per unit × report
× period × revision, each with the attempts made to deliver it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Đang gửi")
    ACCEPTED = "accepted", _("Đã được tiếp nhận")
    REJECTED = "rejected", _("Bị từ chối")
    FAILED = "failed", _("Gửi không thành công")


class Submission(models.Model):
    """One report sent (or being sent) to the national system.

    ``idempotency_key`` is sent with every delivery attempt of this submission, so that the
    receiver stores it once however many times a failed attempt is retried. A new revision
    (after a rejection) is a new submission with a new key.
    """

    report = models.CharField(max_length=40)
    form_code = models.CharField(max_length=40)
    regime = models.CharField(max_length=20)
    period_code = models.CharField(max_length=12)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    payload_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    receipt_id = models.CharField(max_length=80, blank=True)
    receiver_status = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    #: the approved form report this submission pushes (None: a report of ``definitions``)
    form_report = models.ForeignKey(
        "FormReport", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period_code", "unit", "revision"],
                name="reporting_submission_revision_unique",
            )
        ]
        indexes = [models.Index(fields=["report", "period_code", "unit"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"submission #{self.pk} {self.report} {self.period_code} r{self.revision}"


class Attempt(models.Model):
    """One delivery attempt: what the receiver answered (or why nothing was delivered)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"attempt {self.outcome} of submission #{self.submission_id}"


# --- the indicator engine: indicators, disaggregations, forms, values, approval -------------


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    NUMBER = "number", _("Số thực")
    PERCENT = "percent", _("Tỷ lệ phần trăm")
    BOOLEAN = "boolean", _("Có/Không")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    LAST = "last", _("Giá trị cuối")
    #: Σ(value × weight) / Σ(weight), the weight being another indicator's value for the same
    #: organization, period and combination (an average age weighted by the persons counted)
    WEIGHTED = "weighted", _("Trung bình có trọng số")


class Source(models.TextChoices):
    """Where a computed indicator's values come from (filled by the platform, not typed)."""

    BIRTHS = "births", _("Khai sinh đã đăng ký (sổ hộ tịch)")
    DEATHS = "deaths", _("Khai tử đã đăng ký (sổ hộ tịch)")
    MARRIAGES = "marriages", _("Kết hôn đã đăng ký (sổ hộ tịch)")
    FIRST_MARRIAGES = "first_marriages", _("Người kết hôn lần đầu (sổ hộ tịch)")
    FIRST_MARRIAGE_AGES = (
        "first_marriage_ages",
        _("Người kết hôn lần đầu có tuổi xác định (sổ hộ tịch)"),
    )
    FIRST_MARRIAGE_AGE = "first_marriage_age", _("Tuổi kết hôn lần đầu trung bình (sổ hộ tịch)")
    DOSSIERS_RECEIVED = "dossiers_received", _("Hồ sơ dịch vụ công đã tiếp nhận")
    DOSSIERS_RESOLVED = "dossiers_resolved", _("Hồ sơ dịch vụ công đã giải quyết")
    DOSSIERS_WITH_FEE = "dossiers_with_fee", _("Hồ sơ dịch vụ công có thu phí, lệ phí")
    DOSSIERS_WITH_RESULT = "dossiers_with_result", _("Hồ sơ dịch vụ công đã trả kết quả")
    DOSSIERS_RATED = "dossiers_rated", _("Lượt đánh giá dịch vụ công")
    DOSSIERS_ON_TIME_RATE = "dossiers_on_time_rate", _("Tỷ lệ giải quyết đúng hạn")
    DOSSIERS_PROCESSING_DAYS = (
        "dossiers_processing_days",
        _("Thời gian giải quyết trung bình (ngày làm việc)"),
    )
    DOSSIERS_ONLINE_RATE = "dossiers_online_rate", _("Tỷ lệ hồ sơ trực tuyến")
    DOSSIERS_PAID_ONLINE_RATE = "dossiers_paid_online_rate", _("Tỷ lệ thanh toán trực tuyến")
    DOSSIERS_DIGITIZED_RATE = "dossiers_digitized_rate", _("Tỷ lệ số hóa hồ sơ")
    RESULTS_DIGITIZED_RATE = "results_digitized_rate", _("Tỷ lệ số hóa kết quả")
    DOSSIERS_SATISFACTION_RATE = "dossiers_satisfaction_rate", _("Mức độ hài lòng")
    DOCUMENTS_INCOMING = "documents_incoming", _("Văn bản đến đã tiếp nhận")
    DOCUMENTS_OUTGOING = "documents_outgoing", _("Văn bản đi đã ban hành")
    DOCUMENTS_HANDLING = "documents_handling", _("Văn bản đến có hạn xử lý (theo kết quả xử lý)")
    DOCUMENTS_SIGNED = "documents_signed", _("Văn bản, giấy tờ đã ký số")
    DOCUMENT_SIGNERS = "document_signers", _("Người đã ký số")
    HISTORIC_BOOKS = "historic_books", _("Sổ hộ tịch cũ đang số hóa")
    HISTORIC_PAGES = "historic_pages", _("Trang sổ cũ đã quét")
    HISTORIC_ENTRIES_EXPECTED = (
        "historic_entries_expected",
        _("Số mục theo sổ cũ (số tổng khóa sổ)"),
    )
    HISTORIC_ENTRIES = "historic_entries", _("Mục đăng ký đã đánh dấu trên trang sổ cũ (theo bước)")


class Category(models.Model):
    """A disaggregation (``sex``, ``ethnicity``, ``age_group``, ``area``), defined as data."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CategoryOption(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="reporting_category_option_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"


class Indicator(models.Model):
    """A data element: what is counted, in which unit, how it adds up over units and time."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    unit_of_measure = models.CharField(max_length=60, blank=True)
    value_type = models.CharField(max_length=10, choices=ValueType.choices)
    aggregation_units = models.CharField(max_length=10, choices=Aggregation.choices)
    aggregation_time = models.CharField(max_length=10, choices=Aggregation.choices)
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    legal_basis = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_secret = models.BooleanField(default=False)
    #: a key indicator (chỉ tiêu chủ yếu): shown on the leaders' dashboard
    is_key = models.BooleanField(default=False)
    #: a computed indicator: its values come from the platform's data (``Source``), read-only
    source = models.CharField(max_length=30, choices=Source.choices, blank=True)
    #: the indicator whose values weigh this one's (aggregation ``weighted``)
    weight = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DataForm(models.Model):
    """A data set: indicators laid out as rows (their disaggregation options as columns), a
    report regime (periodicity, cut-off day, deadline) and the organizations that report it."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    regime = models.CharField(max_length=20)
    cutoff_day = models.PositiveSmallIntegerField(default=15)
    deadline_days = models.PositiveSmallIntegerField(default=5)
    #: validation rules: [{"code", "expression", "message"}], over the form's indicator codes
    rules = models.JSONField(default=list, blank=True)
    indicators = models.ManyToManyField(Indicator, through="FormRow", related_name="forms")
    organizations = models.ManyToManyField("agencies.Organization", blank=True, related_name="+")
    #: a secret form is never pushed to the national system and is seen only with the
    #: permission ``reporting.secret`` (as is a secret indicator)
    is_secret = models.BooleanField(default=False)
    #: a report built from this form (the civil-status report): the codes under which it
    #: names its cells, in order: ``[{"code", "indicator", "combo", "name", "name_en",
    #: "group", "group_en"}]``, or ``{"code", "indicator", "dimension"}`` for one figure per
    #: option of the indicator's category (named in the payload by ``dimension``)
    report_columns = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class FormRow(models.Model):
    form = models.ForeignKey(DataForm, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "indicator"], name="reporting_form_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}#{self.order}"


class DataValue(models.Model):
    """One value: indicator × organization × period × option combination (``""`` = no
    disaggregation; otherwise option codes joined by ``.`` in the indicator's category order)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    period_code = models.CharField(max_length=12)
    combo = models.CharField(max_length=200, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=4)
    comment = models.CharField(max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    #: a form report holding the indicator is approved for this organization and period
    #: (kept by ``approval_flags.approved_refresh``; ADR 0027)
    approved = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "period_code", "combo"],
                name="reporting_data_value_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "period_code"]),
            models.Index(
                fields=["indicator", "period_code"],
                condition=models.Q(approved=True),
                name="reporting_dv_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.organization_id}/{self.period_code}/{self.combo}"


class ValueSummary(models.Model):
    """The approved values of one indicator, organization, year and option combination added
    up for the analytics (ADR 0034): their sum, the number of periods holding one, the last
    period's value and, for weighted indicators, Σ(value × weight) and Σ(weight). ``combo`` is
    a combination's key, or ``"."`` (no key can be that) for all combinations together, summed
    period by period. Kept by ``summaries.summary_refresh``."""

    #: the unique constraint's first column serves the lookups by indicator
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    combo = models.CharField(max_length=200)
    total = models.DecimalField(max_digits=28, decimal_places=4)
    periods = models.PositiveIntegerField()
    last_value = models.DecimalField(max_digits=28, decimal_places=4)
    weighted_total = models.DecimalField(max_digits=40, decimal_places=8)
    weight_total = models.DecimalField(max_digits=28, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "year", "combo"],
                name="reporting_value_summary_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.organization_id}/{self.year}/{self.combo}"


class FormReportStatus(models.TextChoices):
    OPEN = "open", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")


class FormReport(models.Model):
    """One form of one organization for one period: its approval status."""

    form = models.ForeignKey(DataForm, on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    period_code = models.CharField(max_length=12)
    status = models.CharField(
        max_length=10, choices=FormReportStatus.choices, default=FormReportStatus.OPEN
    )
    reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organization", "period_code"],
                name="reporting_form_report_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.organization_id}/{self.period_code}"


class FormReportStep(models.Model):
    report = models.ForeignKey(FormReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}->{self.to_status}"


class SavedView(models.Model):
    """A pivot view saved by a user (``query``: the page's parameters), kept for themself or
    shared with the members of an organization."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
