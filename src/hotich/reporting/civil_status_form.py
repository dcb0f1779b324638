"""The civil-status report (form HT-01/BTP) as a definition of the indicator engine: its
disaggregations, its computed indicators and its form, with the codes the national payload names
its cells by (ADR 0030). Figures come from the register through the indicators' sources.

Defined as data by :func:`civil_status_form_define`, run after every ``migrate`` and ``flush``
(``post_migrate``, as Django creates its content types), so a new database, a test database and
the demo all have the form; what a deployment changed in the catalogue is kept.
"""

from __future__ import annotations

from typing import Any

#: the engine's code of form HT-01/BTP (a form code is part of the pages' addresses: no slash)
FORM_CODE = "HT-01-BTP"
LEGAL_BASIS = "Luật Hộ tịch năm 2014; Nghị định 09/2019/NĐ-CP"

#: the 54 ethnic groups in the order and with the codes of the General Statistics Office
#: (Quyết định 121-TCTK/PPCĐ), and an option for a record without one
ETHNIC_GROUPS = [
    ("Kinh", "Kinh"),
    ("Tày", "Tay"),
    ("Thái", "Thai"),
    ("Hoa", "Hoa"),
    ("Khơ-me", "Khmer"),
    ("Mường", "Muong"),
    ("Nùng", "Nung"),
    ("Mông", "Hmong"),
    ("Dao", "Dao"),
    ("Gia Rai", "Gia Rai"),
    ("Ngái", "Ngai"),
    ("Ê Đê", "E De"),
    ("Ba Na", "Ba Na"),
    ("Xơ Đăng", "Xo Dang"),
    ("Sán Chay", "San Chay"),
    ("Cơ Ho", "Co Ho"),
    ("Chăm", "Cham"),
    ("Sán Dìu", "San Diu"),
    ("Hrê", "Hre"),
    ("Mnông", "Mnong"),
    ("Ra Glai", "Ra Glai"),
    ("Xtiêng", "Xtieng"),
    ("Bru Vân Kiều", "Bru Van Kieu"),
    ("Thổ", "Tho"),
    ("Giáy", "Giay"),
    ("Cơ Tu", "Co Tu"),
    ("Giẻ Triêng", "Gie Trieng"),
    ("Mạ", "Ma"),
    ("Khơ Mú", "Kho Mu"),
    ("Co", "Co"),
    ("Tà Ôi", "Ta Oi"),
    ("Chơ Ro", "Cho Ro"),
    ("Kháng", "Khang"),
    ("Xinh Mun", "Xinh Mun"),
    ("Hà Nhì", "Ha Nhi"),
    ("Chu Ru", "Chu Ru"),
    ("Lào", "Lao"),
    ("La Chí", "La Chi"),
    ("La Ha", "La Ha"),
    ("Phù Lá", "Phu La"),
    ("La Hủ", "La Hu"),
    ("Lự", "Lu"),
    ("Lô Lô", "Lo Lo"),
    ("Chứt", "Chut"),
    ("Mảng", "Mang"),
    ("Pà Thẻn", "Pa Then"),
    ("Cơ Lao", "Co Lao"),
    ("Cống", "Cong"),
    ("Bố Y", "Bo Y"),
    ("Si La", "Si La"),
    ("Pu Péo", "Pu Peo"),
    ("Brâu", "Brau"),
    ("Ơ Đu", "O Du"),
    ("Rơ Măm", "Ro Mam"),
]

CATEGORIES = [
    ("sex", "Giới tính", "Sex", [("M", "Nam", "Male"), ("F", "Nữ", "Female")]),
    (
        "nhom_dan_toc",
        "Nhóm dân tộc",
        "Ethnic group (Kinh or other)",
        [
            ("KINH", "Dân tộc Kinh", "Kinh"),
            ("DTTS", "Dân tộc khác", "Other ethnic groups"),
        ],
    ),
    (
        "dan_toc",
        "Dân tộc",
        "Ethnicity",
        [
            *((f"{n:02d}", vi, en) for n, (vi, en) in enumerate(ETHNIC_GROUPS, start=1)),
            ("KXD", "Không rõ", "Unknown"),
        ],
    ),
    (
        "loai_khai_sinh",
        "Loại đăng ký khai sinh",
        "Kind of birth registration",
        [
            ("DUNG_HAN", "Đúng hạn", "On time"),
            ("QUA_HAN", "Quá hạn", "Late"),
            ("DANG_KY_LAI", "Đăng ký lại", "Re-registration"),
        ],
    ),
    # option codes: the lower bound of each age group in years (the report's age groups)
    (
        "tuoi_khi_mat",
        "Nhóm tuổi khi mất",
        "Age at death",
        [
            ("0", "Dưới 1 tuổi", "Under 1"),
            ("1", "Từ 1 đến 4 tuổi", "1 to 4"),
            ("5", "Từ 5 đến 14 tuổi", "5 to 14"),
            ("15", "Từ 15 đến 59 tuổi", "15 to 59"),
            ("60", "Từ 60 tuổi trở lên", "60 and over"),
            ("KXD", "Không rõ tuổi", "Age unknown"),
        ],
    ),
]

CASES, PERSONS = "trường hợp", "người"
#: code, name, name_en, unit of measure, value type, aggregation, categories, source
INDICATORS = [
    (
        "HT_KS",
        "Số trẻ em được đăng ký khai sinh",
        "Births registered",
        CASES,
        "integer",
        "sum",
        [],
        "births",
    ),
    (
        "HT_KS_GT",
        "Khai sinh theo giới tính",
        "Births registered by sex",
        CASES,
        "integer",
        "sum",
        ["sex"],
        "births",
    ),
    (
        "HT_KS_NHOM_DT",
        "Khai sinh theo nhóm dân tộc",
        "Births registered, Kinh or other",
        CASES,
        "integer",
        "sum",
        ["nhom_dan_toc"],
        "births",
    ),
    (
        "HT_KS_LOAI",
        "Khai sinh theo loại đăng ký",
        "Births by kind of registration",
        CASES,
        "integer",
        "sum",
        ["loai_khai_sinh"],
        "births",
    ),
    (
        "HT_KS_DAN_TOC",
        "Khai sinh theo dân tộc",
        "Births registered by ethnicity",
        CASES,
        "integer",
        "sum",
        ["dan_toc"],
        "births",
    ),
    (
        "HT_KT",
        "Số trường hợp được đăng ký khai tử",
        "Deaths registered",
        CASES,
        "integer",
        "sum",
        [],
        "deaths",
    ),
    (
        "HT_KT_GT",
        "Khai tử theo giới tính",
        "Deaths registered by sex",
        CASES,
        "integer",
        "sum",
        ["sex"],
        "deaths",
    ),
    (
        "HT_KT_TUOI",
        "Khai tử theo nhóm tuổi khi mất",
        "Deaths registered by age at death",
        CASES,
        "integer",
        "sum",
        ["tuoi_khi_mat"],
        "deaths",
    ),
    (
        "HT_KH",
        "Số trường hợp được đăng ký kết hôn",
        "Marriages registered",
        CASES,
        "integer",
        "sum",
        [],
        "marriages",
    ),
    (
        "HT_KH_LAN_DAU",
        "Số người kết hôn lần đầu",
        "Persons marrying for the first time",
        PERSONS,
        "integer",
        "sum",
        ["sex"],
        "first_marriages",
    ),
    (
        "HT_KH_LAN_DAU_CO_TUOI",
        "Số người kết hôn lần đầu có tuổi xác định",
        "Persons marrying for the first time, age known",
        PERSONS,
        "integer",
        "sum",
        ["sex"],
        "first_marriage_ages",
    ),
    (
        "HT_KH_TUOI_TB",
        "Tuổi kết hôn lần đầu trung bình",
        "Mean age at first marriage",
        "tuổi",
        "number",
        "weighted",
        ["sex"],
        "first_marriage_age",
    ),
]
WEIGHTS = {"HT_KH_TUOI_TB": "HT_KH_LAN_DAU_CO_TUOI"}

BIRTHS, DEATHS, MARRIAGES = ("Khai sinh", "Births"), ("Khai tử", "Deaths"), ("Kết hôn", "Marriages")
TOTAL = ("Tổng số", "Total")


def _column(
    code: str,
    indicator: str,
    combo: str,
    group: tuple[str, str],
    name: tuple[str, str] | None = None,
) -> dict[str, str]:
    column = {
        "code": code,
        "indicator": indicator,
        "combo": combo,
        "group": group[0],
        "group_en": group[1],
    }
    if name is not None:
        column.update(name=name[0], name_en=name[1])
    return column


COLUMNS = [
    _column("KS_TONG", "HT_KS", "", BIRTHS, TOTAL),
    _column("KS_NAM", "HT_KS_GT", "M", BIRTHS),
    _column("KS_NU", "HT_KS_GT", "F", BIRTHS),
    _column("KS_KINH", "HT_KS_NHOM_DT", "KINH", BIRTHS),
    _column("KS_DTTS", "HT_KS_NHOM_DT", "DTTS", BIRTHS),
    _column("KS_DUNG_HAN", "HT_KS_LOAI", "DUNG_HAN", BIRTHS),
    _column("KS_QUA_HAN", "HT_KS_LOAI", "QUA_HAN", BIRTHS),
    _column("KS_DANG_KY_LAI", "HT_KS_LOAI", "DANG_KY_LAI", BIRTHS),
    _column("KT_TONG", "HT_KT", "", DEATHS, TOTAL),
    _column("KT_NAM", "HT_KT_GT", "M", DEATHS),
    _column("KT_NU", "HT_KT_GT", "F", DEATHS),
    *(
        _column(f"KT_TUOI_{i}", "HT_KT_TUOI", bound, DEATHS)
        for i, bound in enumerate(("0", "1", "5", "15", "60"))
    ),
    _column("KT_TUOI_KXD", "HT_KT_TUOI", "KXD", DEATHS),
    _column("KH_TONG", "HT_KH", "", MARRIAGES, TOTAL),
    _column(
        "KH_LAN_DAU_NAM",
        "HT_KH_LAN_DAU",
        "M",
        MARRIAGES,
        ("Nam kết hôn lần đầu", "Men marrying for the first time"),
    ),
    _column(
        "KH_LAN_DAU_NU",
        "HT_KH_LAN_DAU",
        "F",
        MARRIAGES,
        ("Nữ kết hôn lần đầu", "Women marrying for the first time"),
    ),
    _column(
        "KH_TUOI_TB_NAM",
        "HT_KH_TUOI_TB",
        "M",
        MARRIAGES,
        ("Tuổi kết hôn lần đầu trung bình, nam", "Mean age at first marriage, men"),
    ),
    _column(
        "KH_TUOI_TB_NU",
        "HT_KH_TUOI_TB",
        "F",
        MARRIAGES,
        ("Tuổi kết hôn lần đầu trung bình, nữ", "Mean age at first marriage, women"),
    ),
    {
        "code": "KS_DAN_TOC",
        "indicator": "HT_KS_DAN_TOC",
        "dimension": "ethnicity",
        "name": "Khai sinh theo dân tộc",
        "name_en": "Births by ethnicity",
        "group": BIRTHS[0],
        "group_en": BIRTHS[1],
    },
]

RULES = [
    {
        "code": "HT_KS_GT",
        "expression": "HT_KS_GT <= HT_KS",
        "message": "Số khai sinh nam và nữ không được lớn hơn tổng số khai sinh.",
    },
    {
        "code": "HT_KS_LOAI",
        "expression": "HT_KS_LOAI <= HT_KS",
        "message": "Số khai sinh theo loại đăng ký không được lớn hơn tổng số khai sinh.",
    },
    {
        "code": "HT_KT_TUOI",
        "expression": "HT_KT_TUOI == HT_KT",
        "message": "Số khai tử theo nhóm tuổi phải bằng tổng số khai tử.",
    },
    {
        "code": "HT_KH_LAN_DAU",
        "expression": "HT_KH_LAN_DAU <= 2 * HT_KH",
        "message": "Số người kết hôn lần đầu không được lớn hơn hai lần số cặp kết hôn.",
    },
]


def civil_status_form_define(apps: Any) -> None:
    """Create the civil-status report's categories, indicators and form where they are missing
    (a deployment's own changes are kept); ``apps``: the app registry (the migration state's
    when called after ``migrate``)."""
    Category = apps.get_model("reporting", "Category")
    CategoryOption = apps.get_model("reporting", "CategoryOption")
    Indicator = apps.get_model("reporting", "Indicator")
    DataForm = apps.get_model("reporting", "DataForm")
    FormRow = apps.get_model("reporting", "FormRow")
    categories = {}
    for code, name, name_en, options in CATEGORIES:
        category, _created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
        categories[code] = category
        if category.options.exists():
            continue  # a deployment's own list is kept
        for order, (option, vi, en) in enumerate(options):
            CategoryOption.objects.create(
                category=category, code=option, name=vi, name_en=en, order=order
            )
    indicators = {}
    for code, name, name_en, uom, vtype, how, cats, source in INDICATORS:
        indicator, created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit_of_measure": uom,
                "value_type": vtype,
                "aggregation_units": how,
                "aggregation_time": how,
                "legal_basis": LEGAL_BASIS,
                "source": source,
            },
        )
        if created:
            indicator.categories.set([categories[c] for c in cats])
        indicators[code] = indicator
    for code, weight in WEIGHTS.items():
        if Indicator.objects.filter(pk=indicators[code].pk, weight=None).update(
            weight=indicators[weight]
        ):  # values stored already weigh from now on in the analytics' summary (ADR 0034)
            from hotich.reporting.summaries import summary_refresh

            summary_refresh(indicator_ids=[indicators[code].pk])
    if DataForm.objects.filter(code=FORM_CODE).exists():
        return
    form, _created = DataForm.objects.update_or_create(
        code=FORM_CODE,
        defaults={
            "name": "Số liệu đăng ký khai sinh, khai tử, kết hôn theo đơn vị cấp xã",
            "name_en": "Births, deaths and marriages registered, by commune",
            "regime": "yearly",
            "cutoff_day": 15,
            "deadline_days": 10,
            "rules": RULES,
            "report_columns": COLUMNS,
        },
    )
    form.rows.all().delete()
    for order, (code, *_rest) in enumerate(INDICATORS):
        FormRow.objects.create(form=form, indicator=indicators[code], order=order)


def civil_status_form_ensure(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: the form, once the reporting tables exist."""
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    try:
        apps.get_model("reporting", "DataForm")
    except LookupError:  # reporting not migrated (yet)
        return
    civil_status_form_define(apps)
