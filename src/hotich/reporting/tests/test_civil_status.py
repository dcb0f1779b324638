from __future__ import annotations

import datetime as dt

import pytest

from hotich.accounts.vocabulary import Role
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.reporting.civil_status import civil_status_report
from hotich.reporting.periods import Period
from hotich.reporting.tests import fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(units):
    return fixture.build(units)


def test_province_report_matches_hand_counts(units, data) -> None:
    report = civil_status_report(
        actor=None, unit=units["province"], period=Period("yearly", 2025), today=fixture.TODAY
    )
    rows = {r.unit.code: r for r in report.rows}
    assert list(rows) == ["16681", "16738"]
    assert rows["16681"].values == fixture.EXPECTED_A
    assert rows["16738"].values == fixture.EXPECTED_B
    assert report.total.values == fixture.EXPECTED_TOTAL
    assert report.total.births_by_ethnicity == {"Kinh": 2, "Thái": 2, "Mông": 1}
    assert report.ethnicities == ["Kinh", "Mông", "Thái"]
    assert report.deadline == dt.date(2025, 12, 24)


def test_cut_offs_move_records_between_periods(units, data) -> None:
    y2026 = civil_status_report(
        actor=None, unit=units["a"], period=Period("yearly", 2026), today=dt.date(2026, 12, 15)
    )
    assert y2026.total.values["KS_TONG"] == 1  # 15/12/2025
    assert y2026.total.values["KH_TONG"] == 1  # 20/12/2025
    y2024 = civil_status_report(
        actor=None, unit=units["a"], period=Period("yearly", 2024), today=fixture.TODAY
    )
    assert (y2024.total.values["KS_TONG"], y2024.total.values["KT_TONG"]) == (1, 1)
    # Quarter 1 of 2025: 15/12/2024 .. 14/03/2025 → birth 1 in A, birth 7 in B, M1, one death.
    q1 = civil_status_report(
        actor=None, unit=units["province"], period=Period("quarterly", 2025, 1),
        today=fixture.TODAY,
    )  # fmt: skip
    assert q1.total.values["KS_TONG"] == 2
    assert q1.total.values["KH_TONG"] == 1
    assert q1.total.values["KT_TONG"] == 1
    # Half-year 2: 15/06/2025 .. 14/12/2025 → births 3 (A) and 8 (B); M2; three deaths in A.
    h2 = civil_status_report(
        actor=None, unit=units["province"], period=Period("half_yearly", 2025, 2),
        today=fixture.TODAY,
    )  # fmt: skip
    assert h2.total.values["KS_TONG"] == 2
    assert h2.total.values["KS_QUA_HAN"] == 2
    assert h2.total.values["KH_TONG"] == 1
    assert h2.total.values["KH_LAN_DAU_NAM"] == 0  # the husband's second marriage
    assert h2.total.values["KH_TUOI_TB_NU"] == 24.0
    assert h2.total.values["KT_TONG"] == 2
    # Month 12 of 2025: 15/11/2025 .. 14/12/2025 → births 3, 8; one death (age 59).
    m12 = civil_status_report(
        actor=None, unit=units["province"], period=Period("monthly", 2025, 12),
        today=fixture.TODAY,
    )  # fmt: skip
    assert (m12.total.values["KS_TONG"], m12.total.values["KT_TUOI_3"]) == (2, 1)


def test_a_period_that_has_not_ended_is_refused(units, data) -> None:
    with pytest.raises(ValidationFailed) as exc:
        civil_status_report(
            actor=None, unit=units["a"], period=Period("yearly", 2025), today=dt.date(2025, 12, 14)
        )
    assert exc.value.code == "period_not_ended"
    assert "chưa kết thúc" in exc.value.in_language("vi")
    assert "14/12/2025" in exc.value.in_language("vi")


def test_scope(units, data, make_user) -> None:
    officer_a = make_user(Role.OFFICER, units["a"])
    own = civil_status_report(
        actor=officer_a, unit=units["a"], period=Period("yearly", 2025), today=fixture.TODAY
    )
    assert own.total.values == fixture.EXPECTED_A
    for unit in (units["b"], units["province"]):
        with pytest.raises(PermissionDenied) as exc:
            civil_status_report(
                actor=officer_a, unit=unit, period=Period("yearly", 2025), today=fixture.TODAY
            )
        assert "ngoài phạm vi" in exc.value.in_language("vi")
    clerk = make_user(Role.CLERK, units["a"])
    with pytest.raises(PermissionDenied):
        civil_status_report(
            actor=clerk, unit=units["a"], period=Period("yearly", 2025), today=fixture.TODAY
        )
    province = make_user(Role.PROVINCE, units["province"])
    report = civil_status_report(
        actor=province, unit=units["province"], period=Period("yearly", 2025), today=fixture.TODAY
    )
    assert report.total.values == fixture.EXPECTED_TOTAL


def test_events_registered_by_the_province_itself_get_their_own_row(units, data) -> None:
    from hotich.registry.tests.factories import BirthFactory, person_input

    BirthFactory(
        unit=units["province"],
        registration_date=dt.date(2025, 4, 4),
        parties={"child": person_input(sex="M", birth_date=dt.date(2025, 3, 1))},
        data={"kind": "late"},
        today=fixture.TODAY,
    )
    report = civil_status_report(
        actor=None, unit=units["province"], period=Period("yearly", 2025), today=fixture.TODAY
    )
    assert [r.unit.code for r in report.rows] == ["40", "16681", "16738"]
    assert report.rows[0].values["KS_TONG"] == 1 and report.rows[0].values["KS_QUA_HAN"] == 1
    assert report.total.values["KS_TONG"] == fixture.EXPECTED_TOTAL["KS_TONG"] + 1


def test_the_dashboard_query_count_does_not_grow_with_records(
    units, data, make_user, staff_client, django_assert_max_num_queries
) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    # a constant 19: the page's own queries (three of them read the form HT-01/BTP from the
    # indicator catalogue), the session and the sidebar's one look per
    # condition at the user's positions (work files: in an agency; party records: a keeper)
    with django_assert_max_num_queries(19):
        assert client.get("/bao-cao/?year=2025&period=Y").status_code == 200


def test_the_form_is_data_made_again_after_a_flush_and_a_deployments_changes_are_kept() -> None:
    from django.apps import apps

    from hotich.reporting.models import DataForm, FormRow, Indicator
    from hotich.reporting.report_forms import report_forms_ensure

    form = DataForm.objects.get(code="HT-01-BTP")
    assert FormRow.objects.filter(form=form).count() == 12
    assert {c["code"] for c in form.report_columns} >= set(fixture.EXPECTED_A) | {"KS_DAN_TOC"}
    Indicator.objects.filter(code="HT_KS").update(name="Trẻ em được khai sinh")
    FormRow.objects.filter(form=form).delete()
    form.delete()  # as a flush leaves it: the post_migrate receiver makes it again
    report_forms_ensure(sender=None, apps=apps)
    again = DataForm.objects.get(code="HT-01-BTP")
    assert again.rows.count() == 12 and again.report_columns == form.report_columns
    assert Indicator.objects.get(code="HT_KS").name == "Trẻ em được khai sinh"
    report_forms_ensure(sender=None, apps=apps)  # idempotent
    assert DataForm.objects.filter(code="HT-01-BTP").count() == 1


def test_the_forms_pages_list_the_civil_status_form(units, data, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    listing = client.get("/bao-cao/bieu/")
    assert listing.status_code == 200 and "/bao-cao/bieu/HT-01-BTP/" in listing.content.decode()
    year = client.get("/bao-cao/bieu/HT-01-BTP/?ky=2025-Y&nam=2025")
    assert year.status_code == 200 and "Năm 2025" in year.content.decode()
