"""Administrative units before and after the 2025 reorganisation, and the old → new map."""

from __future__ import annotations

from django.db import models

from hotich.geo.vocabulary import Era, Level


def subtree_q(path: str, field: str = "") -> models.Q:
    """``Unit.subtree_q`` for a unit known by its ``path``."""
    return models.Q(**{f"{field}__path__startswith" if field else "path__startswith": path})


class Unit(models.Model):
    """One administrative unit of one era.

    ``path`` lists the codes from the province down, prefixed by the era, with a trailing slash
    (``n/40/`` for Nghệ An today, ``n/40/16681/`` for one of its communes), so that "this unit
    and every unit below it" is the index-friendly ``path__startswith``.
    """

    era = models.CharField(max_length=1, choices=Era.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=100)
    unit_type = models.CharField(max_length=40, help_text="Tỉnh, Thành phố, Huyện, Xã, Phường…")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=40, unique=True)
    short_key = models.CharField(
        max_length=100, db_index=True, help_text="tên ngắn không dấu, chữ thường: nghi phu"
    )
    search_key = models.CharField(
        max_length=300,
        help_text="tên đầy đủ và tên ngắn không dấu: xa nghi phu nghi phu",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["era", "level", "code"], name="geo_unit_code_unique")
        ]
        indexes = [models.Index(fields=["era", "level", "search_key"])]
        ordering = ["path"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        names = [self.name]
        parent = self.parent
        while parent is not None:
            names.append(parent.name)
            parent = parent.parent
        return ", ".join(names)

    def subtree_q(self, field: str = "") -> models.Q:
        """A Q keeping the rows whose ``field`` (the lookup path to a ``geo.Unit`` foreign key;
        empty for units themselves) is this unit or a unit below it.

        The one place that knows how the subtree is stored; other contexts use
        ``geo.selectors.within_unit`` (or this method where geo is a higher layer)."""
        return subtree_q(self.path, field)

    @property
    def is_legacy(self) -> bool:
        return self.era == Era.LEGACY

    @property
    def province_code(self) -> str:
        return self.path.split("/")[1]

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)


class UnitMapping(models.Model):
    """An old (pre-2025) unit and one of today's units that took (part of) its territory.

    Mostly commune → commune. A commune split among several new ones has several rows;
    ``is_primary`` marks the one an address converts to when nothing else in the address
    decides (the one the ``vietnamadminunits`` converter picks). Also loaded: each old province
    → the province it merged into, and the five island districts that had no communes
    (Côn Đảo, Lý Sơn, Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa) → today's special zone (đặc khu).
    """

    old_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="mapped_to")
    new_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="mapped_from")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="geo_mapping_unique")
        ]
        ordering = ["old_unit_id", "-is_primary", "new_unit_id"]

    def __str__(self) -> str:
        mark = " *" if self.is_primary else ""
        return f"{self.old_unit.name} → {self.new_unit.name}{mark}"
