"""Pages and API of the reporting context."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from hotich.accounts.vocabulary import Role
from hotich.reporting.exports import validate_payload
from hotich.reporting.models import Submission
from hotich.reporting.tests import fixture
from hotich.reporting.tests.scope import _submission_in_b

pytestmark = pytest.mark.django_db
Q = "year=2025&period=Y"


@pytest.fixture
def data(units):
    return fixture.build(units)


def test_province_dashboard_and_drill_down(units, data, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    page = client.get(f"/bao-cao/?{Q}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tỉnh Nghệ An · Năm 2025" in html
    chart = json.loads(re.search(r'id="report-chart-data"[^>]*>(.*?)</script>', html).group(1))
    assert chart["labels"][0] == "Thành Vinh"
    assert chart["series"][0]["label"] == "Khai sinh" and chart["series"][0]["data"][0] == 3
    assert "/static/hotich/vendor/chart.umd.min.js" in html
    # the unit is chosen from a select: the province, then its communes
    assert '<option value="40" selected>Tỉnh Nghệ An (toàn tỉnh)</option>' in html
    assert '<optgroup label="Xã, phường">' in html and '<option value="16681">' in html
    assert f'href="?{Q.replace("&", "&amp;")}&amp;unit=16681"' in html
    commune = client.get(f"/bao-cao/?{Q}&unit=16681").content.decode()
    report = commune.split('id="report-h"')[1]  # below the picker, which lists every commune
    assert "Phường Thành Vinh · Năm 2025" in report and "Xã Quế Phong" not in report
    assert "Về cấp tỉnh" in commune


def test_units_without_figures_are_folded_under_one_line(units, make_user, staff_client) -> None:
    from hotich.geo.models import Unit

    for code in ("99901", "99902"):
        Unit.objects.create(
            era=units["a"].era,
            level=units["a"].level,
            code=code,
            name=f"Xã Trống {code}",
            short_name=f"Trống {code}",
            unit_type="Xã",
            parent=units["province"],
            path=f"{units['province'].path}{code}/",
        )
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    html = client.get(f"/bao-cao/?{Q}").content.decode()
    table = html.split('data-testid="report-table"')[1].split("</table>")[0]
    assert "Xã Trống 99901" not in table
    folded = html.split('data-testid="empty-units"')[1].split("</details>")[0]
    assert "đơn vị không có số liệu" in folded
    assert "Xã Trống 99901" in folded and "Xã Trống 99902" in folded


def test_commune_officer_sees_only_their_commune(units, data, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    assert "Phường Thành Vinh · Năm 2025" in client.get(f"/bao-cao/?{Q}").content.decode()
    refused = client.get(f"/bao-cao/?{Q}&unit=40")
    assert refused.status_code == 403
    assert "Tỉnh Nghệ An nằm ngoài phạm vi của bạn" in refused.content.decode()
    assert client.get(f"/bao-cao/?{Q}&unit=16738").status_code == 403
    not_ended = client.get("/bao-cao/?year=2026&period=Y")
    assert not_ended.status_code == 400
    assert "chưa kết thúc" in not_ended.content.decode()


def test_roles_without_reports_get_404(units, make_user, staff_client) -> None:
    assert staff_client(make_user(Role.CLERK, units["a"])).get("/bao-cao/").status_code == 404


def test_downloads(units, data, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    xlsx = client.get(f"/bao-cao/xuat/?{Q}&unit=40&format=xlsx")
    assert xlsx.status_code == 200
    assert "bao-cao-ho-tich-40-2025-Y.xlsx" in xlsx["Content-Disposition"]
    ws = load_workbook(io.BytesIO(xlsx.content))["HT-01"]
    assert ws["A1"].value == "Biểu số: HT-01/BTP"
    payload = json.loads(client.get(f"/bao-cao/xuat/?{Q}&unit=16738&format=json").content)
    validate_payload(payload)
    assert payload["reporting_unit"]["code"] == "16738"
    refused = client.get("/bao-cao/xuat/?year=2026&period=Y&format=xlsx")
    assert refused.status_code == 302


def test_push_from_the_page(units, data, make_user, staff_client, receiver) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.post("/bao-cao/gui/", {"year": 2025, "period": "Y", "unit": "16681"})
    sub = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/da-gui/{sub.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Đã được tiếp nhận" in page and sub.receipt_id in page
    # the breadcrumbs place the submission under its section and name it last
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert '<a href="/bao-cao/da-gui/">Báo cáo đã gửi</a>' in crumbs
    assert '<span aria-current="page">Lần gửi báo cáo</span>' in crumbs
    again = client.post("/bao-cao/gui/", {"year": 2025, "period": "Y", "unit": "16681"})
    assert "đã được tiếp nhận" in client.get(again["Location"]).content.decode()
    assert len(receiver.reports) == 1
    assert f"#{sub.pk}" in client.get("/bao-cao/da-gui/").content.decode()


def test_rejected_push_shows_the_receivers_reason(
    units, data, make_user, staff_client, receiver
) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    receiver.reject_next("Thiếu chữ ký của thủ trưởng đơn vị.")
    response = client.post("/bao-cao/gui/", {"year": 2025, "period": "Y"}, follow=True)
    html = response.content.decode()
    assert "từ chối báo cáo: Thiếu chữ ký của thủ trưởng đơn vị." in html
    sub = Submission.objects.get()
    assert sub.status == "rejected"
    resent = client.post(f"/bao-cao/da-gui/{sub.pk}/gui-lai/", follow=True)
    assert "Đã được tiếp nhận" in resent.content.decode()
    assert Submission.objects.filter(status="accepted", revision=2).count() == 1


def test_calendar(units, make_user, staff_client) -> None:
    html = staff_client(make_user(Role.OFFICER, units["a"])).get("/bao-cao/lich/?year=2025")
    text = html.content.decode()
    assert "Lịch báo cáo năm 2025" in text and "15/12/2024" in text and "24/12/2025" in text


@pytest.mark.parametrize("year", ["1", "99999"])
def test_calendar_of_a_year_out_of_range_says_so(units, make_user, staff_client, year) -> None:
    response = staff_client(make_user(Role.OFFICER, units["a"])).get(f"/bao-cao/lich/?year={year}")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="calendar-error"' in text
    assert "Năm báo cáo phải từ 1900 đến 2999." in text


def test_api(units, data, make_user, staff_client, receiver) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    payload = client.get("/api/v1/reporting/civil-status?period=2025-Y").json()
    validate_payload(payload)
    assert payload["reporting_unit"]["code"] == "16681"
    refused = client.get("/api/v1/reporting/civil-status?period=2025-Y&unit=40")
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    early = client.get("/api/v1/reporting/civil-status?period=2026-Q4")
    assert early.status_code == 400 and early.json()["code"] == "period_not_ended"
    created = client.post(
        "/api/v1/reporting/submissions",
        {"unit": "16681", "period": "2025-Y"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "accepted"
    sub_id = created.json()["id"]
    assert client.get(f"/api/v1/reporting/submissions/{sub_id}").json()["revision"] == 1
    assert len(client.get("/api/v1/reporting/calendar?year=2025").json()) == 19
    # another commune's submission does not exist for this user
    other = _submission_in_b(units, make_user)["submission_id"]
    assert client.get(f"/api/v1/reporting/submissions/{other}").status_code == 404
    assert client.post(f"/api/v1/reporting/submissions/{other}/resubmit").status_code == 404
    assert client.post(f"/api/v1/reporting/submissions/{other}/status").status_code == 404


def test_calendar_marks_accepted_reports(units, data, make_user, staff_client, receiver) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    client.post("/bao-cao/gui/", {"year": 2025, "period": "Y"})
    text = client.get("/bao-cao/lich/?year=2025").content.decode()
    assert text.count("Đã gửi, đã được tiếp nhận") == 1


def test_english(units, data, make_user, staff_client) -> None:
    from django.utils import translation

    client = staff_client(make_user(Role.OFFICER, units["a"]))
    client.cookies["django_language"] = "en"
    html = client.get(f"/bao-cao/?{Q}").content.decode()
    translation.activate("vi")
    assert "Civil-status statistics" in html and "Phường Thành Vinh · Year 2025" in html
    refused = client.get(f"/bao-cao/?{Q}&unit=40").content.decode()
    assert "is outside your scope" in refused


@pytest.mark.parametrize("action", ["/bao-cao/gui/", "/bao-cao/ky-pdf/"])
def test_a_refused_post_returns_to_the_report_without_the_csrf_token(
    units, make_user, staff_client, action: str
) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.post(
        action,
        {"csrfmiddlewaretoken": "SECRET-TOKEN", "year": 2026, "period": "Y", "unit": "16681"},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert "csrfmiddlewaretoken" not in location and "SECRET-TOKEN" not in location
    assert location == "/bao-cao/?year=2026&period=Y&unit=16681"
