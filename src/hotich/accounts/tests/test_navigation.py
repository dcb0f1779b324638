"""The sidebar lists exactly the pages a role may open, and every page shows where it is."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import verified_client
from django.test import Client
from django.urls import reverse

from hotich.accounts.navigation import build, sections_for
from hotich.accounts.vocabulary import Role


def hrefs(user: Any) -> set[str]:
    return {entry.href for group in sections_for(user) for entry in group.entries}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_link_in_the_sidebar_opens_for_the_role(role: str, units, make_user) -> None:
    user = make_user(role, units["a"] if role != Role.PROVINCE else units["province"])
    client = verified_client(user)
    links = hrefs(user)
    assert links, role
    for href in links:
        assert client.get(href).status_code == 200, (role, href)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SIGNER, Role.AUDITOR])
def test_the_procedure_catalogue_is_offered_only_where_permitted(role, units, make_user) -> None:
    catalogue = reverse("portal:catalogue")
    assert catalogue not in hrefs(make_user(role, units["a"]))
    assert catalogue in hrefs(make_user(Role.PROVINCE, units["province"]))
    # the administrator has the desk's metrics and catalogue, not its dossiers
    admin = hrefs(make_user(Role.ADMIN, units["province"]))
    assert catalogue in admin and reverse("portal:desk") not in admin


@pytest.mark.django_db
def test_breadcrumbs_name_the_section_and_the_page(units, make_user) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    nav = build(officer, reverse("linkage:review"))
    assert [str(title) for title, _h, _c in nav.trail] == [
        "Trang chủ",
        "Đối chiếu dân cư",
        "Cặp chờ xem xét",
    ]
    assert nav.trail[-1][2] is True  # the page itself is not a link
    # a page below a listed one (a dossier) is placed under that section
    nav = build(officer, "/mot-cua/ho-so/7/")
    assert [str(t) for t, _h, c in nav.trail] == ["Trang chủ", "Một cửa"]
    assert not any(c for _t, _h, c in nav.trail)
    desk = next(g for g in nav.sections if g.current).entries[0]
    assert desk.current and not desk.exact  # the sidebar says "in this section", not "this page"
    # the incoming register is told apart from the outgoing one by its query
    nav = build(officer, reverse("documents:register"), "so=den")
    assert str(nav.trail[-1][0]) == "Văn bản đến"


@pytest.mark.django_db
def test_staff_pages_carry_sidebar_and_breadcrumbs(units, make_user) -> None:
    signer = make_user(Role.SIGNER, units["a"])
    html = verified_client(signer).get(reverse("reporting:calendar")).content.decode()
    sidebar = re.search(r'<nav class="sidebar".*?</nav>', html, re.S)
    assert sidebar is not None
    assert reverse("portal:catalogue") not in sidebar.group(0)
    assert 'href="/bao-cao/lich/" aria-current="page"' in sidebar.group(0)
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
    assert crumbs is not None and '<span aria-current="page">Lịch báo cáo</span>' in crumbs.group(0)


@pytest.mark.django_db
def test_visitors_and_citizens_get_no_staff_navigation(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'class="sidebar"' not in html and 'class="breadcrumbs"' not in html
