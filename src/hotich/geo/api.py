from django.http import HttpRequest
from ninja import Router, Schema

from hotich.geo.selectors import unit_search

router = Router(tags=["geo"])


class UnitOut(Schema):
    id: int
    era: str
    level: str
    code: str
    name: str
    full_name: str
    path: str


@router.get("/search", response=list[UnitOut], summary="Tìm đơn vị hành chính / search units")
def search(request: HttpRequest, q: str, era: str | None = None, level: str | None = None) -> list[UnitOut]:
    return [
        UnitOut(id=u.pk, era=u.era, level=u.level, code=u.code, name=u.name, full_name=u.full_name, path=u.path)
        for u in unit_search(q, era=era, level=level)
    ]
