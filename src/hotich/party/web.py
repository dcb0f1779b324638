"""What party plugs into the pages when Django starts: the words of its codes, and the sidebar's
condition that the user keeps some party organization's records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hotich.accounts.authz import Caller, is_staff_user
from hotich.accounts.web import link_condition_install
from hotich.core.words import words_register
from hotich.party import vocabulary as v
from hotich.party.scope import reach_paths
from hotich.party.selectors import member_of_user


def keeps_party_records(user: Caller) -> bool:
    return is_staff_user(user) and bool(reach_paths(user))


words_register("party_sex", v.Sex)
words_register("party_education", v.Education)
words_register("party_theory", v.Theory)
words_register("party_age", v.AgeBand)
words_register("party_distinction", v.DistinctionKind)
words_register("party_discipline", v.Discipline)
words_register("party_transfer_kind", v.TransferKind)
words_register("party_transfer_status", v.TransferStatus)
words_register("party_fee_category", v.FeeCategory)
words_register("party_grade", v.Grade)
words_register("party_rating_status", v.RatingStatus)
words_register("party_directive_kind", v.DirectiveKind)
# the papers party signs, as the signing page names them
words_register(
    "signed_kind",
    {
        "party.letter": _("Giấy giới thiệu sinh hoạt đảng"),
        "party.directive": _("Chỉ thị, nghị quyết của cấp ủy"),
        "party.export": _("Bản xuất dữ liệu đảng viên"),
    },
)


def is_party_member(user: Caller) -> bool:
    return is_staff_user(user) and member_of_user(user) is not None


link_condition_install("party_keeper", keeps_party_records)
link_condition_install("party_member", is_party_member)
