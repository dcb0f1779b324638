"""Organizations (agencies, their sections, councils, party bodies), separate from the
administrative units they serve, and the people holding positions in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hotich.agencies.vocabulary import OrganizationKind, Position


class Organization(models.Model):
    """One organization of the tree. ``path`` lists the ids from the root down with a trailing
    slash (``3/17/``), so "this organization and every one below it" is ``path__startswith``."""

    code = models.CharField(_("mã định danh điện tử"), max_length=13, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("đơn vị hành chính phục vụ"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    path = models.CharField(max_length=200, unique=True)
    search_key = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["unit", "kind"], name="agencies_org_unit_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def kind_label(self) -> str:
        return str(OrganizationKind(self.kind).label)


class Membership(models.Model):
    """A user holding a position in an organization. ``is_primary`` marks the one the user acts
    in (their unit scope follows it); a user has at most one primary membership at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("chức vụ"), max_length=20, choices=Position.choices)
    is_primary = models.BooleanField(_("nơi làm việc chính"), default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organization__path", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "position"],
                condition=Q(ended_on=None),
                name="agencies_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_primary=True, ended_on=None),
                name="agencies_membership_one_primary",
            ),
        ]
        indexes = [models.Index(fields=["organization", "position"], name="agencies_member_org")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organization_id} ({self.position})"

    @property
    def position_label(self) -> str:
        return str(Position(self.position).label)
