"""Officer forms built from the event specs: one field per person field of each party, one per
event field. Input is only collected here; the services validate (one source of rules)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.core.forms import DateField, DateInput
from hotich.registry.vocabulary import BIRTH_TYPES, PERSON_FIELDS, EventSpec, Sex, role_label

if TYPE_CHECKING:
    from hotich.registry.services.validation import RuleWarning

SEX_CHOICES = [("", "—"), *Sex.choices]
WARNING_FIELDS = ("confirm_warnings", "shown_warnings")


class WarningsMixin(forms.Form):
    """The officer's confirmation of the warnings the last submission showed: only those are
    confirmed, so a warning that a later edit raises is shown before it can be saved."""

    confirm_warnings = forms.BooleanField(label=_("Tôi đã kiểm tra và xác nhận"), required=False)
    shown_warnings = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    warnings: Sequence[RuleWarning] = ()

    def confirmed_warnings(self) -> set[str]:
        cd = self.cleaned_data
        if not cd.get("confirm_warnings"):
            return set()
        return {k for k in cd.get("shown_warnings", "").split(",") if k}

    def show_warnings(self, warnings: Sequence[RuleWarning]) -> None:
        """Render again with ``warnings`` to confirm (the box unticked)."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data["shown_warnings"] = ",".join(w.key for w in warnings)
        data.pop("confirm_warnings", None)
        self.data = data
        self.warnings = warnings


class RecordForm(WarningsMixin, forms.Form):
    """The entry in sections: one per party, the declarant, then the registration itself. A
    role that implies a sex (father, mother, husband, wife) has no sex field."""

    registration_date = forms.CharField(
        label=_("Ngày đăng ký"), max_length=20, required=False, widget=DateInput
    )
    officer_name = forms.CharField(
        label=_("Công chức tư pháp - hộ tịch"), max_length=100, required=False
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=100, required=False)
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)

    def __init__(self, *args: Any, spec: EventSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        # Required by the services' rules (which report them all at once): marked on the form.
        self.marked_required = {"registration_date"}
        self.party_groups: list[tuple[Any, list[str]]] = []
        for pspec in spec.parties:
            names = []
            for key, label in PERSON_FIELDS.items():
                name = f"{pspec.role}.{key}"
                if key == "sex" and pspec.sex:
                    continue
                if key == "sex":
                    field: forms.Field = forms.ChoiceField(
                        label=str(label), choices=SEX_CHOICES, required=False
                    )
                elif key == "birth_date":
                    field = forms.CharField(
                        label=str(label), required=False, max_length=20, widget=DateInput
                    )
                    if not pspec.full_birth_date:
                        field.help_text = _PARTIAL_HELP
                else:
                    field = forms.CharField(label=str(label), required=False, max_length=300)
                self.fields[name] = field
                names.append(name)
                if pspec.required and (
                    key == "full_name" or (key == "birth_date" and pspec.full_birth_date)
                ):
                    self.marked_required.add(name)
            title = (
                _SUBJECT_TITLE
                if (spec.event_type in BIRTH_TYPES and pspec.role == "child")
                else None
            )
            self.party_groups.append((title or role_label(pspec.role), names))
        self.data_names = []
        for fspec in spec.fields:
            if fspec.choices or fspec.kind == "sex":
                choices = SEX_CHOICES if fspec.kind == "sex" else [("", "—"), *fspec.choices]
                field = forms.ChoiceField(label=str(fspec.label), choices=choices, required=False)
            elif fspec.kind == "date":
                field = forms.CharField(
                    label=str(fspec.label), required=False, max_length=20, widget=DateInput
                )
            else:
                field = forms.CharField(label=str(fspec.label), required=False, max_length=600)
            self.fields[fspec.name] = field
            self.data_names.append(fspec.name)
            if fspec.required:
                self.marked_required.add(fspec.name)
        if spec.target_types:
            self.fields["related_record"] = forms.IntegerField(
                label=_("Số hiệu bản ghi được dẫn chiếu"),
                required=spec.target_required,
                min_value=1,
            )
        if spec.event_type == "correction":
            self.fields["changes"] = forms.CharField(
                label=_("Nội dung thay đổi"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Mỗi dòng: trường=giá trị mới, ví dụ child.full_name=Lê Thị Hằng"),
            )

    def entry_fields(self) -> list[Any]:
        """The bound fields of the entry itself (not of a party, not the confirmation)."""
        return [f for f in self if "." not in f.name and f.name not in WARNING_FIELDS]

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """``(title, bound fields)`` in order: each party, the event's own facts, the declarant,
        then the registration (date, officer, signer, basis)."""
        out: list[tuple[Any, list[Any]]] = [
            (label, [self[n] for n in names]) for label, names in self.party_groups
        ]
        registration = [n for n in _REGISTRATION_FIELDS if n in self.fields]
        declarant = [n for n in self.data_names if n.startswith("declarant_")]
        event = [
            n
            for n in self.fields
            if "." not in n
            and n not in WARNING_FIELDS
            and n not in registration
            and n not in declarant
        ]
        for title, names in (
            (_("Nội dung sự kiện"), event),
            (_("Người đi khai"), declarant),
            (_("Đăng ký"), registration),
        ):
            if names:
                out.append((title, [self[n] for n in names]))
        return out

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        parties: dict[str, dict[str, Any]] = {}
        for pspec in self.spec.parties:
            values = {k: cd.get(f"{pspec.role}.{k}", "") for k in PERSON_FIELDS}
            if any(values.values()):
                parties[pspec.role] = values
        kwargs: dict[str, Any] = {
            "event_type": self.spec.event_type,
            "registration_date": cd["registration_date"],
            "officer_name": cd.get("officer_name", ""),
            "signer_name": cd.get("signer_name", ""),
            "legal_basis": cd.get("legal_basis", ""),
            "parties": parties,
            "data": {n: cd.get(n, "") for n in self.data_names if cd.get(n)},
            "confirm_warnings": self.confirmed_warnings(),
        }
        if cd.get("related_record"):
            kwargs["related_record"] = cd["related_record"]
        if cd.get("changes"):
            kwargs["changes"] = parse_changes(cd["changes"])
        return kwargs


_SUBJECT_TITLE = _("Người được khai sinh")
_REGISTRATION_FIELDS = ("kind", "registration_date", "officer_name", "signer_name", "legal_basis")
_PARTIAL_HELP = _("ngày/tháng/năm; sổ cũ có thể chỉ ghi tháng/năm hoặc năm")


def parse_changes(text: str) -> dict[str, str]:
    changes = {}
    for line in text.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            changes[key.strip()] = value.strip()
    return changes


class AmendmentForm(WarningsMixin, forms.Form):
    field = forms.ChoiceField(label=_("Trường thay đổi"))
    new_value = forms.CharField(label=_("Giá trị mới"), max_length=300)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    amended_on = DateField(
        label=_("Ngày ghi chú"),
        required=False,
        help_text=_("ngày/tháng/năm; để trống là hôm nay"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    """A status change: only those the record's status and the user's role allow."""

    action = forms.ChoiceField(label=_("Thao tác"))
    legal_basis = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = choices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Họ tên hoặc số định danh"), max_length=100, required=False)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), min_value=1800, max_value=2200, required=False
    )
    parent = forms.CharField(label=_("Họ tên cha hoặc mẹ"), max_length=100, required=False)
    entry_number = forms.IntegerField(label=_("Số đăng ký"), min_value=1, required=False)


class CopyRequestForm(forms.Form):
    """A citizen's request for a copy of a record registered anywhere."""

    event_type = forms.ChoiceField(label=_("Loại việc hộ tịch"))
    personal_id = forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^\s*\d{12}\s*$",
        required=False,
        error_messages={"invalid": _("Số định danh cá nhân gồm đúng 12 chữ số.")},
    )
    full_name = forms.CharField(label=_("Họ, chữ đệm và tên"), max_length=100, required=False)
    birth_date = DateField(label=_("Ngày sinh"), required=False)
    requested_by = forms.CharField(label=_("Người yêu cầu"), max_length=150)

    def __init__(self, *args: Any, event_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = event_choices  # type: ignore[attr-defined]
