"""The platform's own reports as forms of the indicator engine (ADR 0035), beside the
civil-status form (ADR 0030): the public-service indicators of Decision 766 (``DVC-766``), signature
use (``KSO-Q``), the digitization of the historic books (``SHS-Q``) and the handling of
documents (``VB-Q``). Every indicator is computed (``sources``); the codes under which the
report pages name their columns are the forms' ``report_columns``.

Made by :func:`report_forms_ensure` after every ``migrate`` and ``flush`` (``post_migrate``),
where they are missing; a deployment's own changes are kept.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from hotich.core.words import vocabulary
from hotich.reporting.civil_status_form import CIVIL_STATUS
from hotich.reporting.form_specs import CategorySpec, FormSpec, Option, column, form_define
from hotich.reporting.sources import ENTRY_STEP, HANDLING, OTHER, SIGNED_KIND

SERVICE_FORM, SIGNATURE_FORM, DIGITIZATION_FORM, DOCUMENTS_FORM = (
    "DVC-766",
    "KSO-Q",
    "SHS-Q",
    "VB-Q",
)
DOSSIERS, RATE = "hồ sơ", "%"

#: the Decision 766 figures: the rates as the portal computes them, each weighted over units
#: and periods by the number it is a share of, and those numbers
SERVICE = FormSpec(
    code=SERVICE_FORM,
    name="Chỉ số phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công",
    name_en="Public-service indicators for citizens and businesses",
    regime="quarterly",
    deadline_days=10,
    legal_basis="Quyết định 766/QĐ-TTg ngày 23/6/2022",
    categories=[],
    indicators=[
        (
            "DVC_HS_TIEP_NHAN",
            "Số hồ sơ đã tiếp nhận",
            "Dossiers received",
            DOSSIERS,
            "integer",
            "sum",
            [],
            "dossiers_received",
        ),
        (
            "DVC_HS_GIAI_QUYET",
            "Số hồ sơ đã giải quyết",
            "Dossiers resolved",
            DOSSIERS,
            "integer",
            "sum",
            [],
            "dossiers_resolved",
        ),
        (
            "DVC_HS_CO_PHI",
            "Số hồ sơ có thu phí, lệ phí",
            "Dossiers with a fee",
            DOSSIERS,
            "integer",
            "sum",
            [],
            "dossiers_with_fee",
        ),
        (
            "DVC_HS_CO_KET_QUA",
            "Số hồ sơ đã trả kết quả",
            "Dossiers with a result",
            DOSSIERS,
            "integer",
            "sum",
            [],
            "dossiers_with_result",
        ),
        (
            "DVC_LUOT_DANH_GIA",
            "Số lượt đánh giá",
            "Ratings",
            "lượt",
            "integer",
            "sum",
            [],
            "dossiers_rated",
        ),
        (
            "DVC_TL_DUNG_HAN",
            "Tỷ lệ giải quyết đúng hạn",
            "Resolved on time",
            RATE,
            "percent",
            "weighted",
            [],
            "dossiers_on_time_rate",
        ),
        (
            "DVC_TG_GIAI_QUYET",
            "Thời gian giải quyết trung bình",
            "Average processing time",
            "ngày làm việc",
            "number",
            "weighted",
            [],
            "dossiers_processing_days",
        ),
        (
            "DVC_TL_TRUC_TUYEN",
            "Tỷ lệ hồ sơ trực tuyến",
            "Dossiers filed online",
            RATE,
            "percent",
            "weighted",
            [],
            "dossiers_online_rate",
        ),
        (
            "DVC_TL_TT_TRUC_TUYEN",
            "Tỷ lệ thanh toán trực tuyến",
            "Fees paid online",
            RATE,
            "percent",
            "weighted",
            [],
            "dossiers_paid_online_rate",
        ),
        (
            "DVC_TL_SO_HOA_HS",
            "Tỷ lệ số hóa hồ sơ",
            "Dossiers digitized",
            RATE,
            "percent",
            "weighted",
            [],
            "dossiers_digitized_rate",
        ),
        (
            "DVC_TL_SO_HOA_KQ",
            "Tỷ lệ số hóa kết quả",
            "Results digitized",
            RATE,
            "percent",
            "weighted",
            [],
            "results_digitized_rate",
        ),
        (
            "DVC_TL_HAI_LONG",
            "Mức độ hài lòng",
            "Satisfaction",
            RATE,
            "percent",
            "weighted",
            [],
            "dossiers_satisfaction_rate",
        ),
    ],
    weights={
        "DVC_TL_DUNG_HAN": "DVC_HS_GIAI_QUYET",
        "DVC_TG_GIAI_QUYET": "DVC_HS_GIAI_QUYET",
        "DVC_TL_TRUC_TUYEN": "DVC_HS_TIEP_NHAN",
        "DVC_TL_TT_TRUC_TUYEN": "DVC_HS_CO_PHI",
        "DVC_TL_SO_HOA_HS": "DVC_HS_TIEP_NHAN",
        "DVC_TL_SO_HOA_KQ": "DVC_HS_CO_KET_QUA",
        "DVC_TL_HAI_LONG": "DVC_LUOT_DANH_GIA",
    },
    rules=[
        {
            "code": "DVC_HS_CO_PHI",
            "expression": "DVC_HS_CO_PHI <= DVC_HS_TIEP_NHAN",
            "message": "Số hồ sơ có thu phí không được lớn hơn số hồ sơ đã tiếp nhận.",
        },
        {
            "code": "DVC_HS_CO_KET_QUA",
            "expression": "DVC_HS_CO_KET_QUA <= DVC_HS_GIAI_QUYET",
            "message": "Số hồ sơ đã trả kết quả không được lớn hơn số hồ sơ đã giải quyết.",
        },
    ],
    # the report's columns: the portal's keys of the indicators (hotich.portal.metrics)
    columns=[
        column(key, code, "", ("Dịch vụ công", "Public services"))
        for key, code in (
            ("on_time_rate", "DVC_TL_DUNG_HAN"),
            ("avg_processing_days", "DVC_TG_GIAI_QUYET"),
            ("online_rate", "DVC_TL_TRUC_TUYEN"),
            ("online_payment_rate", "DVC_TL_TT_TRUC_TUYEN"),
            ("dossier_digitization_rate", "DVC_TL_SO_HOA_HS"),
            ("result_digitization_rate", "DVC_TL_SO_HOA_KQ"),
            ("satisfaction_rate", "DVC_TL_HAI_LONG"),
        )
    ],
)


def signed_kinds() -> list[Option]:
    """The kinds of document the contexts sign (their ``signed_kind`` words), then "other"."""
    out: list[Option] = []
    for code, label in sorted(vocabulary("signed_kind").items()):
        with translation.override("vi"):
            vi = str(label)
        with translation.override("en"):
            en = str(label)
        out.append((code, vi, en))
    return [*out, (OTHER, "Loại khác", "Other kinds")]


SIGNED = ("Ký số", "Digital signatures")
SIGNATURES = FormSpec(
    code=SIGNATURE_FORM,
    name="Sử dụng chữ ký số theo đơn vị",
    name_en="Digital signature use by unit",
    regime="quarterly",
    deadline_days=10,
    legal_basis="Nghị định 30/2020/NĐ-CP; Nghị định 68/2024/NĐ-CP",
    categories=[
        CategorySpec(
            SIGNED_KIND, "Loại văn bản, giấy tờ ký số", "Kind of document signed", signed_kinds
        ),
    ],
    indicators=[
        (
            "KSO_VB",
            "Số văn bản, giấy tờ đã ký số",
            "Documents signed digitally",
            "văn bản",
            "integer",
            "sum",
            [],
            "documents_signed",
        ),
        (
            "KSO_VB_LOAI",
            "Văn bản, giấy tờ đã ký số theo loại",
            "Documents signed, by kind",
            "văn bản",
            "integer",
            "sum",
            [SIGNED_KIND],
            "documents_signed",
        ),
        # officials are counted once per unit and period: over periods, a mean
        (
            "KSO_NGUOI_KY",
            "Số người đã ký số",
            "Officials who signed",
            "người",
            "integer",
            "sum/average",
            [],
            "document_signers",
        ),
    ],
    rules=[
        {
            "code": "KSO_VB_LOAI",
            "expression": "KSO_VB_LOAI == KSO_VB",
            "message": "Số văn bản ký số theo loại phải bằng tổng số văn bản ký số.",
        },
    ],
    columns=[
        column("KSO_TONG", "KSO_VB", "", SIGNED, ("Tổng số đã ký số", "Total signed")),
        {
            "code": "KSO_LOAI",
            "indicator": "KSO_VB_LOAI",
            "dimension": "kind",
            "name": "Theo loại",
            "name_en": "By kind",
            "group": SIGNED[0],
            "group_en": SIGNED[1],
        },
        column("KSO_NGUOI_KY", "KSO_NGUOI_KY", "", SIGNED, ("Số người ký", "Officials who signed")),
    ],
)

BOOKS = ("Sổ hộ tịch cũ", "Historic books")
STEPS: list[Option] = [
    ("new", "Chưa nhập", "Not keyed"),
    ("keyed_once", "Đã nhập lần 1", "Keyed once"),
    ("arbitration", "Chờ phân xử", "Awaiting arbitration"),
    ("verified", "Đã thống nhất", "Verified"),
    ("published", "Đã đưa vào sổ", "Published"),
]
#: a state, not a period's flow: over periods, the last one's figures
DIGITIZATION = FormSpec(
    code=DIGITIZATION_FORM,
    name="Tiến độ số hóa sổ hộ tịch",
    name_en="Digitization of the historic civil-status books",
    regime="quarterly",
    deadline_days=10,
    legal_basis="Luật Hộ tịch năm 2014; Quyết định 1463/QĐ-BTP",
    categories=[CategorySpec(ENTRY_STEP, "Bước số hóa", "Digitization step", STEPS)],
    indicators=[
        (
            "SHS_SO",
            "Số sổ hộ tịch cũ đang số hóa",
            "Historic books being digitized",
            "sổ",
            "integer",
            "sum/last",
            [],
            "historic_books",
        ),
        (
            "SHS_TRANG",
            "Số trang đã quét",
            "Pages scanned",
            "trang",
            "integer",
            "sum/last",
            [],
            "historic_pages",
        ),
        (
            "SHS_MUC_THEO_SO",
            "Số mục theo sổ (số tổng khóa sổ)",
            "Entries by the books' closing totals",
            "mục",
            "integer",
            "sum/last",
            [],
            "historic_entries_expected",
        ),
        (
            "SHS_MUC",
            "Số mục đã đánh dấu trên trang",
            "Entries marked on the pages",
            "mục",
            "integer",
            "sum/last",
            [],
            "historic_entries",
        ),
        (
            "SHS_MUC_BUOC",
            "Mục đăng ký theo bước số hóa",
            "Entries by digitization step",
            "mục",
            "integer",
            "sum/last",
            [ENTRY_STEP],
            "historic_entries",
        ),
    ],
    rules=[
        {
            "code": "SHS_MUC_BUOC",
            "expression": "SHS_MUC_BUOC == SHS_MUC",
            "message": "Số mục theo bước số hóa phải bằng số mục đã đánh dấu.",
        },
    ],
    columns=[
        column("SO_SO", "SHS_SO", "", BOOKS, ("Số sổ", "Books")),
        column("SO_TRANG", "SHS_TRANG", "", BOOKS, ("Số trang", "Pages")),
        column(
            "MUC_THEO_SO", "SHS_MUC_THEO_SO", "", BOOKS, ("Số mục theo sổ", "Entries by the books")
        ),
        column("MUC_DANH_DAU", "SHS_MUC", "", BOOKS, ("Mục đã đánh dấu", "Entries marked")),
        *(column(code.upper(), "SHS_MUC_BUOC", code, BOOKS) for code, _vi, _en in STEPS),
    ],
)

OFFICE = ("Văn bản", "Documents")
DOCUMENTS = FormSpec(
    code=DOCUMENTS_FORM,
    name="Tình hình tiếp nhận, ban hành và xử lý văn bản",
    name_en="Documents received, issued and handled",
    regime="quarterly",
    deadline_days=10,
    legal_basis="Nghị định 30/2020/NĐ-CP về công tác văn thư",
    categories=[
        CategorySpec(
            HANDLING,
            "Kết quả xử lý văn bản đến",
            "How incoming documents were handled",
            [
                ("on_time", "Xử lý đúng hạn", "Handled on time"),
                ("late", "Xử lý quá hạn", "Handled late"),
                ("overdue", "Quá hạn, chưa xử lý", "Overdue, not handled"),
                ("open", "Trong hạn, đang xử lý", "Within the deadline, being handled"),
            ],
        ),
    ],
    indicators=[
        (
            "VB_DEN",
            "Số văn bản đến đã tiếp nhận",
            "Incoming documents received",
            "văn bản",
            "integer",
            "sum",
            [],
            "documents_incoming",
        ),
        (
            "VB_DI",
            "Số văn bản đi đã ban hành",
            "Outgoing documents issued",
            "văn bản",
            "integer",
            "sum",
            [],
            "documents_outgoing",
        ),
        (
            "VB_DEN_CO_HAN",
            "Số văn bản đến có hạn xử lý",
            "Incoming documents with a deadline",
            "văn bản",
            "integer",
            "sum",
            [],
            "documents_handling",
        ),
        (
            "VB_DEN_XU_LY",
            "Văn bản đến có hạn xử lý theo kết quả xử lý",
            "Incoming documents with a deadline, by how they were handled",
            "văn bản",
            "integer",
            "sum",
            [HANDLING],
            "documents_handling",
        ),
    ],
    rules=[
        {
            "code": "VB_DEN_CO_HAN",
            "expression": "VB_DEN_CO_HAN <= VB_DEN",
            "message": "Số văn bản đến có hạn xử lý không được lớn hơn số văn bản đến.",
        },
        {
            "code": "VB_DEN_XU_LY",
            "expression": "VB_DEN_XU_LY == VB_DEN_CO_HAN",
            "message": "Số văn bản theo kết quả xử lý phải bằng số văn bản đến có hạn xử lý.",
        },
    ],
    columns=[
        column("VB_DEN", "VB_DEN", "", OFFICE),
        column("VB_DI", "VB_DI", "", OFFICE),
        column("VB_DEN_CO_HAN", "VB_DEN_CO_HAN", "", OFFICE),
        *(
            column(f"VB_{code.upper()}", "VB_DEN_XU_LY", code, OFFICE)
            for code in ("on_time", "late", "overdue", "open")
        ),
    ],
)

REPORT_FORMS = [CIVIL_STATUS, SERVICE, SIGNATURES, DIGITIZATION, DOCUMENTS]


def report_forms_ensure(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: the platform's report forms, once the reporting tables
    exist."""
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    try:
        apps.get_model("reporting", "DataForm")
    except LookupError:  # reporting not migrated (yet)
        return
    with transaction.atomic():
        for spec in REPORT_FORMS:
            form_define(apps, spec)
