"""Register books, records of every event type, the persons they name, and margin notes.

See README.md for the vocabulary and the life cycle. Registered records never change in place:
changes are :class:`Amendment` rows (margin notes) applied over the record's base values.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotich.registry.dates import PartialDate, Precision
from hotich.registry.vocabulary import EventType, Role, Sex, Status


class BookStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã khóa sổ")


class Book(models.Model):
    """One register book: one registering unit, one event type, one year.

    ``unit`` is the registering authority as it was (a legacy unit for historic books);
    ``scope_unit`` is today's unit that holds the book, used for access scope.
    """

    # No index of their own: the unique constraint and the index in Meta lead with them.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    scope_unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    year = models.PositiveSmallIntegerField()
    volume = models.PositiveSmallIntegerField(default=1)
    is_historic = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=BookStatus.choices, default=BookStatus.OPEN)
    last_entry_number = models.PositiveIntegerField(default=0)
    total_entries = models.PositiveIntegerField(null=True, blank=True)
    total_pages = models.PositiveIntegerField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "event_type", "year", "volume"], name="registry_book_unique"
            )
        ]
        indexes = [models.Index(fields=["scope_unit", "event_type", "year"])]
        ordering = ["-year", "event_type"]

    def __str__(self) -> str:
        return f"{EventType(self.event_type).label} {self.year} · {self.unit.name}"


class Person(models.Model):
    """A person named by records. The same person is linked to every record naming them
    through :class:`Party`; these are the current values (amendments update them)."""

    surname = models.CharField(max_length=40, blank=True)
    middle = models.CharField(max_length=80, blank=True)
    given = models.CharField(max_length=40)
    full_name = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100)
    given_folded = models.CharField(max_length=40)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_precision = models.CharField(
        max_length=1, choices=Precision.choices, default=Precision.DAY
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    birth_place = models.CharField(max_length=255, blank=True)
    ethnicity = models.CharField(max_length=40, blank=True)
    nationality = models.CharField(max_length=80, blank=True)
    personal_id = models.CharField(max_length=12, blank=True)  # indexed in Meta
    residence = models.CharField(max_length=255, blank=True)
    home_town = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["name_folded", "birth_year"]),
            models.Index(fields=["given_folded", "name_folded"], name="registry_person_given"),
            # Looked up by exact number only: a plain index, without the varchar_pattern_ops
            # twin (for LIKE) that ``db_index=True`` adds on PostgreSQL.
            models.Index(fields=["personal_id"], name="registry_person_pid"),
        ]

    def __str__(self) -> str:
        return f"person #{self.pk}"  # no personal data in logs/reprs

    @property
    def birth(self) -> PartialDate | None:
        return PartialDate.from_stored(self.birth_date, self.birth_precision)

    @property
    def birth_date_text(self) -> str:
        birth = self.birth
        return birth.iso() if birth else ""


class NameToken(models.Model):
    """One word of a person's folded name, with their birth year and all their name words: the
    name index.

    Search scans the range of one typed word in ``(birth_year, token, words, person)`` (or
    ``(token, words, person)`` without a year) and checks the other typed words against
    ``words`` (" nguyen thi hang") inside the same index, so the cost follows the persons born
    that year with that word, not the whole register. Kept in step by
    ``search_index.index_persons``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    words = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(
                fields=["birth_year", "token", "words", "person"], name="registry_token_year"
            ),
            models.Index(fields=["token", "words", "person"], name="registry_token_word"),
        ]

    def __str__(self) -> str:
        return f"token of person #{self.person_id}"


class Record(models.Model):
    """One entry of a register book (or a draft that will become one).

    ``data`` holds the event-specific fields, validated by ``vocabulary.SPECS[event_type]``.
    ``unit`` is today's unit that holds the record (scope); ``book.unit`` is the registering
    authority as it was.
    """

    event_type = models.CharField(max_length=30, choices=EventType.choices)  # indexed in Meta
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # No index of their own: the index and the unique constraint in Meta lead with them, and
    # every index is one more write per imported entry.
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    book = models.ForeignKey(
        Book,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    entry_number = models.PositiveIntegerField(null=True, blank=True)
    registration_date = models.DateField()
    registration_precision = models.CharField(
        max_length=1, choices=Precision.choices, default=Precision.DAY
    )
    is_historic = models.BooleanField(default=False)
    officer_name = models.CharField(max_length=100, blank=True)
    signer_name = models.CharField(max_length=100, blank=True)
    signer_title = models.CharField(max_length=100, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    related_record = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    # Digitized page (filled by the digitization context): page image id and region on it.
    page_number = models.PositiveIntegerField(null=True, blank=True)
    page_image_id = models.BigIntegerField(null=True, blank=True)
    page_region = models.JSONField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["book", "entry_number"], name="registry_record_entry_unique"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "event_type", "registration_date"]),
            models.Index(fields=["status", "event_type"]),
            # Exact / IN lookups only: no varchar_pattern_ops twin (see Person.personal_id).
            models.Index(fields=["event_type"], name="registry_record_event"),
        ]

    def __str__(self) -> str:
        return f"record #{self.pk}"

    @property
    def registration(self) -> PartialDate:
        value = PartialDate.from_stored(self.registration_date, self.registration_precision)
        assert value is not None
        return value

    def state(self) -> dict[str, Any]:
        """The state hashed into the audit log."""
        return {
            "id": self.pk,
            "event_type": self.event_type,
            "status": self.status,
            "book": self.book_id,
            "entry_number": self.entry_number,
            "registration_date": self.registration.iso(),
            "data": self.data,
            "parties": [
                [p.role, p.person_id, p.as_written] for p in self.parties.order_by("position")
            ],
        }


class Party(models.Model):
    """A person in a role on a record, with the person's values as this entry writes them."""

    # No index of their own: the unique constraint and the index in Meta lead with them.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="parties", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="parties", db_index=False
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)
    as_written = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "role"], name="registry_party_role_unique")
        ]
        indexes = [models.Index(fields=["person", "role"])]
        ordering = ["record", "position"]

    def __str__(self) -> str:
        return f"{self.role} of record #{self.record_id}"


class Amendment(models.Model):
    """A margin note: changes to a registered record, with their legal basis.

    ``changes`` is a list of ``{"field": "child.full_name" | "<data field>", "old": …, "new": …}``
    applied in ``seq`` order over the record's base values.
    """

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="amendments")
    seq = models.PositiveIntegerField()
    changes = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    legal_basis = models.CharField(max_length=300)
    amended_on = models.DateField()
    officer_name = models.CharField(max_length=100, blank=True)
    source_record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="margin_notes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "seq"], name="registry_amendment_seq_unique")
        ]
        ordering = ["record", "seq"]

    def __str__(self) -> str:
        return f"note {self.seq} of record #{self.record_id}"


class Transition(models.Model):
    """One step of a record's life (the record's history; the audit log keeps only hashes)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["record", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} of record #{self.record_id}"


class PersonalIdRequest(models.Model):
    """The request, made at birth registration, for the child's personal ID from the national
    population database. It stays ``pending`` while the service cannot be reached and is retried
    with backoff under the same key (the service answers a repeated key with the same number);
    the number arrives as a margin note on the record."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ cấp số định danh")
        ASSIGNED = "assigned", _("Đã cấp số định danh")
        FAILED = "failed", _("Cơ sở dữ liệu dân cư từ chối")

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, related_name="personal_id_request"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=60, blank=True)
    personal_id = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"personal id request of record #{self.record_id}: {self.state}"


class ImportRun(models.Model):
    """One file brought in by ``hotich records import``, known by its SHA-256: its checkpoint
    (``rows_done``: the rows before it are committed) lets a killed run continue, and a file
    already finished adds nothing when imported again."""

    class State(models.TextChoices):
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập xong")

    file_sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    rows = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"import run #{self.pk}: {self.state}"


class ImportedRecord(models.Model):
    """Where an imported record came from: the run (file hash) and the row of the file."""

    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="import_source")
    # no index of its own: the unique constraint leads with it
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False)
    row = models.PositiveIntegerField()
    source_id = models.CharField(max_length=60, blank=True)
    warnings = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "row"], name="registry_imported_row_unique")
        ]

    def __str__(self) -> str:
        return f"row {self.row} of import run #{self.run_id}"


# Issued extracts live in the ``extracts`` subpackage but belong to this app's models/migrations.
from hotich.registry.extracts.models import ExtractCounter, ExtractKind, IssuedExtract  # noqa: E402,F401
