"""The annual quality rating (docs/adr/0023-party-records.md): a member assesses themselves
(the cell's keeper records it from the member's form), the cell gives its opinion, the committee
above decides one of the four grades. A party organization is rated the same way: its own
assessment, the opinion and the decision of the committee above it. A member disciplined during
the year is at best "Hoàn thành nhiệm vụ"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, actor_name
from hotich.accounts.authz import is_staff_user, permits, require
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action as AuditAction
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.text import nfc
from hotich.party.models import Distinction, Member, Rating, RatingStep
from hotich.party.scope import PARTY_KINDS, reach_paths, reaches
from hotich.party.services.members import MANAGE
from hotich.party.vocabulary import GRADES_AFTER_DISCIPLINE, DistinctionKind, Grade, RatingStatus
from hotich.party.vocabulary import RatingAction as A

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

OBJECT_TYPE = "party.rating"


def _subject_cell(rating: Rating) -> Organization:
    """The organization the rating belongs to: the member's cell, or the rated organization."""
    if rating.member is not None:
        return rating.member.cell
    assert rating.organization is not None
    return rating.organization


def _reviewer(rating: Rating) -> Organization | None:
    """Who gives the opinion: the member's cell; for an organization, the committee above."""
    if rating.member is not None:
        return rating.member.cell
    assert rating.organization is not None
    return rating.organization.parent


def _decides(actor: Actor, rating: Rating) -> bool:
    """The actor keeps a committee strictly above the member's cell (or the organization)."""
    if actor is None:
        return True
    subject = _subject_cell(rating)
    return any(
        subject.path.startswith(path) and subject.path != path
        for path in reach_paths(actor, MANAGE)
    )


def _check_grade(grade: str, field: str = "grade") -> str:
    if grade not in Grade.values:
        raise ValidationFailed(_("Chọn một trong bốn mức xếp loại."), field=field)
    return grade


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationFailed(_("Năm xếp loại không hợp lệ."), field="year")
    return year


def rating_self(
    *,
    actor: Actor,
    year: int,
    grade: str,
    note: str = "",
    member: Member | None = None,
    organization: Organization | None = None,
) -> Rating:
    """The self-assessment of ``member`` (recorded by their cell's keeper, or by the member
    through their own account) or of the party ``organization`` (by its keeper). A member
    who assesses themselves needs no permission on party data, only their own record, and
    assesses last year or this year only."""
    own = (
        member is not None
        and is_staff_user(actor)
        and member.user_id is not None
        and member.user_id == actor.pk
    )
    if not own:
        require(actor, MANAGE)
    elif year < timezone.localdate().year - 1:
        raise ValidationFailed(_("Chỉ tự đánh giá năm trước hoặc năm nay."), field="year")
    if (member is None) == (organization is None):
        raise ValidationFailed(_("Chọn đảng viên hoặc tổ chức đảng được xếp loại."))
    if member is not None:
        if not (own or actor is None or reaches(actor, member.cell, MANAGE)):
            raise NotFound(_("Không tìm thấy đảng viên."), field="member")
    else:
        assert organization is not None
        if organization.kind not in PARTY_KINDS or not (
            actor is None or reaches(actor, organization, MANAGE)
        ):
            raise NotFound(_("Không tìm thấy tổ chức đảng."), field="organization")
    _check_grade(grade)
    _year(year)
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    member=member,
                    organization=organization,
                    year=year,
                    status=RatingStatus.SELF,
                    self_grade=grade,
                    self_note=" ".join(nfc(note).split())[:500],
                )
        except IntegrityError:
            raise Conflict(
                format_lazy(_("Đã có bản tự đánh giá năm {year}."), year=year), field="year"
            ) from None
        RatingStep.objects.create(
            rating=rating,
            action="self",
            to_status=rating.status,
            grade=grade,
            actor_name=actor_name(actor, full=True),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=OBJECT_TYPE,
            object_id=rating.pk,
            after=rating.state(),
        )
    return rating


def _run_review(step: Step[Rating]) -> None:
    rating = step.obj
    reviewer = _reviewer(rating)
    if step.actor is not None and (reviewer is None or not reaches(step.actor, reviewer, MANAGE)):
        raise PermissionDenied(_("Chỉ chi bộ (cấp ủy cấp trên, với tổ chức đảng) cho ý kiến."))
    rating.review_grade = _check_grade(step.params.get("grade", ""))
    step.history["grade"] = rating.review_grade


def _run_decide(step: Step[Rating]) -> None:
    rating = step.obj
    if not _decides(step.actor, rating):
        raise PermissionDenied(_("Chỉ cấp ủy cấp trên quyết định xếp loại."))
    grade = _check_grade(step.params.get("grade", ""))
    if rating.member is not None and grade not in GRADES_AFTER_DISCIPLINE:
        disciplined = Distinction.objects.filter(
            member=rating.member, kind=DistinctionKind.DISCIPLINE, decided_on__year=rating.year
        ).exists()
        if disciplined:
            raise ValidationFailed(
                _("Đảng viên bị kỷ luật trong năm: xếp loại cao nhất là Hoàn thành nhiệm vụ."),
                field="grade",
            )
    rating.decided_grade = grade
    rating.decided_on = timezone.localdate()
    step.history["grade"] = grade


def _scope(actor: Actor, rating: Rating) -> None:
    if actor is None:
        return
    subject = _subject_cell(rating)
    if not reaches(actor, subject) and not (
        subject.kind != OrganizationKind.PARTY_CELL
        and subject.parent is not None
        and reaches(actor, subject.parent)
    ):
        raise NotFound(_("Không tìm thấy."), field="rating")


def _history(step: Step[Rating]) -> None:
    RatingStep.objects.create(
        rating=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.obj.status,
        grade=step.history.get("grade", ""),
        actor_name=actor_name(step.actor, full=True),
        note=step.note[:500],
    )


RATING_LIFECYCLE = Lifecycle(
    model=Rating,
    object_type=OBJECT_TYPE,
    noun=_("bản xếp loại"),
    statuses=RatingStatus,
    actions=[
        Action(A.REVIEW, A.REVIEW.label, MANAGE, RatingStatus.REVIEWED, _run_review),
        Action(A.DECIDE, A.DECIDE.label, MANAGE, RatingStatus.DECIDED, _run_decide),
    ],
    table={
        RatingStatus.SELF: (A.REVIEW,),
        RatingStatus.REVIEWED: (A.DECIDE,),
        RatingStatus.DECIDED: (),
    },
    initial=(RatingStatus.SELF,),
    other_steps={"self": _("Tự đánh giá")},
    scope=_scope,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("member", "member__cell", "organization", "organization__parent"),
)


def rating_transition(
    *, actor: Actor, rating: Rating, action: str, grade: str = "", note: str = ""
) -> Rating:
    """``review`` (the cell's opinion) then ``decide`` (the committee's decision), each with its
    ``grade``."""
    return RATING_LIFECYCLE.transition(
        actor=actor, obj=rating, action=action, note=note, grade=grade
    )
