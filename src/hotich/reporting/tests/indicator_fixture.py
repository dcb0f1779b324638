"""A small indicator catalogue, one form assigned to two communes, and the people who enter,
submit and approve it (the agencies test tree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.tests.factories import Tree, make_tree
from hotich.agencies.vocabulary import Position
from hotich.reporting.datasets import form_assign, form_save
from hotich.reporting.indicators import OptionInput, category_save
from hotich.reporting.models import DataForm, Indicator

PERIOD = "2025-Y"


@dataclass
class World:
    tree: Tree
    form: DataForm
    officer: Any
    officer_b: Any
    approver: Any


def catalogue() -> None:
    category_save(
        actor=None,
        code="sex",
        name="Giới tính",
        name_en="Sex",
        options=[OptionInput("M", "Nam", "Male"), OptionInput("F", "Nữ", "Female")],
    )
    rows = [
        ("DS_TONG", "Dân số trung bình", "integer", "sum", "average", [], False),
        ("DS_NU", "Dân số nữ", "integer", "sum", "average", [], False),
        ("KS_GT", "Số trẻ được đăng ký khai sinh", "integer", "sum", "sum", ["sex"], False),
        ("BHYT_TL", "Tỷ lệ bao phủ bảo hiểm y tế", "percent", "average", "last", [], False),
        ("QP_MAT", "Chỉ tiêu quốc phòng", "integer", "sum", "sum", [], True),
    ]
    for code, name, vtype, units, time, categories, secret in rows:
        indicator = Indicator.objects.create(
            code=code,
            name=name,
            value_type=vtype,
            aggregation_units=units,
            aggregation_time=time,
            is_secret=secret,
        )
        indicator.categories.set([c for c in _categories() if c.code in categories])


def _categories() -> list[Any]:
    from hotich.reporting.models import Category

    return list(Category.objects.all())


def build(units: dict[str, Any], make_user: Any) -> World:
    tree = make_tree(units)
    catalogue()
    form = form_save(
        actor=None,
        code="KTXH-01",
        name="Biểu chỉ tiêu kinh tế - xã hội cấp xã",
        regime="yearly",
        indicators=["DS_TONG", "DS_NU", "KS_GT", "BHYT_TL", "QP_MAT"],
        rules=[{"code": "nu", "expression": "DS_NU <= DS_TONG", "message": "Dân số nữ ≤ tổng"}],
    )
    form_assign(actor=None, form=form, organizations=[tree.commune, tree.commune_b])
    officer = make_user(Role.OFFICER, units["a"])
    officer_b = make_user(Role.OFFICER, units["b"])
    approver = make_user(Role.PROVINCE, units["province"])
    membership_add(
        actor=None, user=officer, organization=tree.commune, position=Position.SPECIALIST
    )
    membership_add(
        actor=None, user=officer_b, organization=tree.commune_b, position=Position.SPECIALIST
    )
    membership_add(
        actor=None, user=approver, organization=tree.province, position=Position.SPECIALIST
    )
    return World(tree, form, officer, officer_b, approver)
