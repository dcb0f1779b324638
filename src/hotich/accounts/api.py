from django.http import HttpRequest
from ninja import Router, Schema

from hotich.accounts.authz import PERMISSIONS

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    unit_path: str | None
    unit_name: str | None
    actions: list[str]


@router.get("/me", response=MeOut, summary="Người dùng hiện tại / the current user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    unit = user.unit  # type: ignore[union-attr]
    return MeOut(
        username=user.get_username(),
        full_name=user.full_name,  # type: ignore[union-attr]
        role=user.role,  # type: ignore[union-attr]
        role_label=user.role_label,  # type: ignore[union-attr]
        unit_path=unit.path if unit else None,
        unit_name=unit.full_name if unit else None,
        actions=sorted(a for a, roles in PERMISSIONS.items() if user.role in roles),  # type: ignore[union-attr]
    )
