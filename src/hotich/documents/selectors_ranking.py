"""The quarterly digital-signature report per organization, after the province's report of the
article the platform grew from, extended to every agency: personal certificates issued in the
quarter and in force at its end, outgoing documents numbered in the quarter and those signed
digitally, their share, and the ranking that decides the quarter's commendations."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.agencies.selectors import acting_agency, agencies_of_users, organizations_visible
from hotich.agencies.vocabulary import OrganizationKind
from hotich.core.errors import ValidationFailed
from hotich.documents.models import Document
from hotich.documents.selectors import STATS_YEARS, _check_year
from hotich.documents.vocabulary import Direction
from hotich.signing.selectors import personal_certificates, quarter_bounds

#: the commendation rule: among the first COMMEND_TOP of the ranking, an agency that numbered
#: at least COMMEND_MIN_OUTGOING outgoing documents and signed at least COMMEND_MIN_SHARE % of
#: them digitally is proposed for the quarter's commendation
COMMEND_TOP = 3
COMMEND_MIN_OUTGOING = 3
COMMEND_MIN_SHARE = 90.0


@dataclass
class SignatureRank:
    rank: int
    organization_id: int
    name: str
    certificates_issued: int
    certificates_in_force: int
    outgoing: int
    signed: int
    commended: bool = False

    @property
    def share(self) -> float | None:
        return round(100 * self.signed / self.outgoing, 1) if self.outgoing else None


def signature_ranking(*, actor: Actor, year: int, quarter: int) -> list[SignatureRank]:
    """The agencies in the actor's reach (their own agency; the whole tree below for the
    province's People's Committee or a user without an agency) with any certificate or outgoing
    document, ranked by the share of outgoing documents signed digitally, then the number signed,
    then the certificates in force; the first ones meeting the rule are ``commended``."""
    _check_year(year, STATS_YEARS)
    if not 1 <= quarter <= 4:
        raise ValidationFailed(gettext_lazy("Quý: từ 1 đến 4."), field="quarter")
    if actor is not None:
        require(actor, "documents.view", message=gettext_lazy("Bạn không có quyền xem sổ văn bản."))
    start, end = quarter_bounds(year, quarter)
    agencies = organizations_visible(actor, everything=actor is None).exclude(
        kind=OrganizationKind.SECTION
    )
    own = acting_agency(actor)
    if own is not None and own.parent_id is not None:
        agencies = agencies.filter(pk=own.pk)
    names = dict(agencies.values_list("pk", "name"))
    counts: dict[int, list[int]] = {pk: [0, 0, 0, 0] for pk in names}
    rows = (
        Document.objects.filter(
            direction=Direction.OUTGOING,
            organization_id__in=list(names),
            signed_at__gte=start,
            signed_at__lt=end,
        )
        .values("organization_id", "signed_digitally")
        .annotate(n=Count("id"))
    )
    for row in rows:
        entry = counts[row["organization_id"]]
        entry[2] += row["n"]
        if row["signed_digitally"]:
            entry[3] += row["n"]
    certificates = personal_certificates(start, end)
    for user_id, agency_id in agencies_of_users(list(certificates)).items():
        if agency_id in counts:
            counts[agency_id][0] += certificates[user_id].issued
            counts[agency_id][1] += certificates[user_id].in_force
    ranked = [
        SignatureRank(0, pk, names[pk], c[0], c[1], c[2], c[3])
        for pk, c in counts.items()
        if any(c)
    ]
    ranked.sort(key=lambda r: (-(r.share or 0.0), -r.signed, -r.certificates_in_force, r.name))
    for index, item in enumerate(ranked, start=1):
        item.rank = index
        item.commended = (
            index <= COMMEND_TOP
            and item.outgoing >= COMMEND_MIN_OUTGOING
            and (item.share or 0.0) >= COMMEND_MIN_SHARE
        )
    return ranked


def signature_ranking_xlsx(rows: list[SignatureRank], *, year: int, quarter: int) -> bytes:
    """The ranking as a spreadsheet (one sheet, a header row, a row per agency)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Quý %(q)s-%(y)s") % {"q": quarter, "y": year}
    sheet.append(
        [
            _("Hạng"),
            _("Cơ quan"),
            _("Chứng thư số cấp trong quý"),
            _("Chứng thư số còn hiệu lực"),
            _("Văn bản đi"),
            _("Văn bản ký số"),
            _("Tỷ lệ ký số (%)"),
            _("Đề nghị khen thưởng"),
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.name,
                r.certificates_issued,
                r.certificates_in_force,
                r.outgoing,
                r.signed,
                r.share,
                _("Có") if r.commended else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
