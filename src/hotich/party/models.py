"""Party member records: who the member is, their card, admission and official dates, the cell
they belong to, their training, commendations and disciplines, and their transfers between cells.

A member belongs to exactly one cell at any time: ``Member.cell`` is required (never in none) and
single (never in two); a temporary transfer adds the cell they attend meanwhile, never a second
membership."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hotich.party.vocabulary import (
    DirectiveKind,
    Discipline,
    DistinctionKind,
    Education,
    FeeCategory,
    Grade,
    RatingStatus,
    Sex,
    Theory,
    TransferKind,
    TransferStatus,
)


class Member(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=120)
    #: the name folded (no diacritics, lower case) for searching
    search_key = models.CharField(max_length=120, db_index=True)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=40, default="Kinh")
    #: the personal ID number (people.personal_id), checked against sex and year of birth
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    #: the platform's user when the member has an account
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, blank=True)
    admitted_on = models.DateField(_("ngày vào Đảng"))
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    #: the cell the member belongs to (an agencies organization of the cell kind)
    cell = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("chi bộ"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    #: the cell the member attends during a temporary transfer
    attending = models.ForeignKey(
        "agencies.Organization",
        verbose_name=_("chi bộ sinh hoạt tạm thời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_guests",
    )
    positions = models.CharField(_("chức vụ đảng"), max_length=200, blank=True)
    general_education = models.CharField(_("giáo dục phổ thông"), max_length=10, default="12/12")
    education = models.CharField(
        _("trình độ chuyên môn"), max_length=20, choices=Education.choices, blank=True
    )
    theory = models.CharField(
        _("lý luận chính trị"), max_length=20, choices=Theory.choices, default=Theory.NONE
    )
    fee_category = models.CharField(
        _("đối tượng đóng đảng phí"),
        max_length=20,
        choices=FeeCategory.choices,
        default=FeeCategory.SALARIED,
    )
    #: the monthly income (salary, pension) a percentage rate applies to, in đồng
    fee_base = models.PositiveIntegerField(_("thu nhập tính đảng phí"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["search_key", "pk"]
        indexes = [
            models.Index(fields=["cell", "search_key"], name="party_member_cell"),
            models.Index(fields=["birth_date"], name="party_member_birth"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"], condition=~Q(card_number=""), name="party_card_unique"
            ),
            models.UniqueConstraint(
                fields=["personal_id"], condition=~Q(personal_id=""), name="party_pid_unique"
            ),
            models.CheckConstraint(
                condition=Q(official_on=None) | Q(official_on__gte=F("admitted_on")),
                name="party_official_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(attending=None) | ~Q(attending=F("cell")),
                name="party_attending_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def probationary(self) -> bool:
        return self.official_on is None

    def state(self) -> dict[str, Any]:
        return {
            "cell": self.cell_id,
            "attending": self.attending_id,
            "card": self.card_number,
            "admitted_on": str(self.admitted_on),
            "official_on": str(self.official_on or ""),
        }


class Distinction(models.Model):
    """A commendation or a discipline of a member."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="distinctions")
    kind = models.CharField(_("loại"), max_length=20, choices=DistinctionKind.choices)
    #: the form of a discipline (empty for a commendation)
    discipline = models.CharField(
        _("hình thức kỷ luật"), max_length=20, choices=Discipline.choices, blank=True
    )
    title = models.CharField(_("nội dung"), max_length=300)
    decided_on = models.DateField(_("ngày quyết định"))
    decided_by = models.CharField(_("cấp quyết định"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=DistinctionKind.DISCIPLINE) & ~Q(discipline=""))
                | (Q(kind=DistinctionKind.COMMENDATION) & Q(discipline="")),
                name="party_discipline_has_form",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Transfer(models.Model):
    """A member moving from one cell to another, officially or for a while, with the signed
    introduction letter (giấy giới thiệu sinh hoạt đảng) sent as a document of the e-office."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("loại"), max_length=20, choices=TransferKind.choices)
    from_cell = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    to_cell = models.ForeignKey("agencies.Organization", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("lý do"), max_length=300)
    #: the last day of a temporary transfer
    until = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=TransferStatus.choices, default=TransferStatus.DRAFT
    )
    letter_number = models.CharField(max_length=30, blank=True)
    letter_signed = models.ForeignKey(
        "signing.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: the day a temporary transfer ended and the member came back to their own cell
    returned_on = models.DateField(_("ngày trở về"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=[TransferStatus.DRAFT, TransferStatus.SENT]),
                name="party_one_open_transfer",
            ),
            models.CheckConstraint(
                condition=~Q(from_cell=F("to_cell")), name="party_transfer_elsewhere"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_cell_id} → {self.to_cell_id}"

    def state(self) -> dict[str, Any]:
        return {"status": self.status, "member": self.member_id, "to": self.to_cell_id}


class TransferStep(models.Model):
    """The history of a transfer."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.action}"


class FeeRate(models.Model):
    """The monthly fee of a category of members: a percentage of their income, or a fixed
    amount (data, kept by the province)."""

    category = models.CharField(max_length=20, choices=FeeCategory.choices, unique=True)
    percent = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    fixed = models.PositiveIntegerField(default=0)
    minimum = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["category"]

    def __str__(self) -> str:
        return self.category


class FeePayment(models.Model):
    """What one member owed and paid for one month, in the cell that collected it."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="fees")
    cell = models.ForeignKey("agencies.Organization", on_delete=models.PROTECT, related_name="+")
    #: the month, ``2026-11``
    period = models.CharField(max_length=7)
    due = models.PositiveIntegerField()
    paid = models.PositiveIntegerField()
    paid_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "member_id"]
        indexes = [models.Index(fields=["cell", "period"], name="party_fee_cell_period")]
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="party_fee_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period}"


class FeeRemittance(models.Model):
    """A party organization closing a month of fees: what it collected (its members' fees for a
    cell, what its cells and committees sent up for a committee), kept, and sent to the level
    above (``to`` empty: the top of the platform's tree, which sends outside it)."""

    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    to = models.ForeignKey(
        "agencies.Organization", null=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=7)
    collected = models.PositiveIntegerField()
    kept = models.PositiveIntegerField()
    remitted = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"], name="party_remit_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(kept__lte=F("collected")) & Q(remitted=F("collected") - F("kept")),
                name="party_remit_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period}"


class Rating(models.Model):
    """The annual quality rating of a member or of a party organization: the self-assessment,
    the cell's opinion (the committee above's, for an organization), the committee's decision.
    Each year's rating is kept: together they are the history."""

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    organization = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(max_length=20, choices=RatingStatus.choices)
    self_grade = models.CharField(max_length=20, choices=Grade.choices)
    self_note = models.CharField(max_length=500, blank=True)
    review_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    decided_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(organization__isnull=True))
                | (Q(member__isnull=True) & Q(organization__isnull=False)),
                name="party_rating_one_subject",
            ),
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(member__isnull=False),
                name="party_rating_member_year",
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(organization__isnull=False),
                name="party_rating_org_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id or self.organization_id} {self.year}"

    def state(self) -> dict[str, Any]:
        return {"status": self.status, "year": self.year, "grade": self.decided_grade}


class RatingStep(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    grade = models.CharField(max_length=20, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.action}"


class BadgeAward(models.Model):
    """A party badge (Huy hiệu Đảng) awarded to a member at an occasion, by a committee's
    decision. A member receives each badge (30, 40, 45… years) once."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badges")
    #: the years of membership the badge marks
    years = models.PositiveSmallIntegerField(_("huy hiệu"))
    #: the award occasion (3/2, 19/5, 2/9, 7/11 of a year)
    occasion = models.DateField(_("đợt trao"))
    #: the committee that proposed the award (the one whose list it was made from)
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("quyết định"), max_length=200)
    decided_on = models.DateField(_("ngày quyết định"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occasion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="party_badge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.years}"


class Directive(models.Model):
    """A directive, resolution or plan a party committee sends down to the organizations under
    it: a signed party paper, received in each organization's e-office register, with one task
    per receiving organization (its report is due by ``deadline``)."""

    committee = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DirectiveKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=40)
    title = models.CharField(_("trích yếu"), max_length=300)
    body = models.TextField(_("nội dung"))
    deadline = models.DateField(_("hạn báo cáo"))
    signed = models.ForeignKey(
        "signing.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="party_directive_number"),
        ]

    def __str__(self) -> str:
        return self.number


class DirectiveTarget(models.Model):
    """One organization a directive went to: the incoming document in its unit's register and
    the task given to its secretary."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", null=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "documents.Task", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "organization"], name="party_directive_once_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.organization_id}"
