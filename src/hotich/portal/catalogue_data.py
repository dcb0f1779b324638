"""The civil-status procedures shipped with the project, complete with their online forms.

Codes follow the national procedure database; fees, processing times and legal bases are those
commonly published for a commune (Law on Civil Status 2014, Decree 123/2015, Circular 281/2016
on fees) and are data: a province changes them by importing its own catalogue
(``hotich portal catalogue import FILE.xlsx``). Loaded by the data migration and by
``hotich portal catalogue load``.
"""

from __future__ import annotations

from typing import Any

ETHNICITY_HELP = "Ví dụ: Kinh, Thái, Khơ Mú, H'Mông"
SEX = [["M", "Nam"], ["F", "Nữ"]]
LAW = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP"
COPY_FEE = 8000  # đồng per copy of an extract (Circular 281/2016/TT-BTC)

#: one field, and one section of fields, of a procedure's form (``portal.forms_schema``)
Field = dict[str, Any]
Section = dict[str, Any]


def _f(name: str, label: str, kind: str = "text", required: bool = False, **extra: Any) -> Field:
    return {"name": name, "label": label, "type": kind, "required": required, **extra}


def person(
    role: str, *, full_date: bool = True, required: bool = True, sex: bool = True
) -> list[Field]:
    fields = [_f(f"{role}.full_name", "Họ, chữ đệm và tên", "name", required)]
    if sex:
        fields.append(_f(f"{role}.sex", "Giới tính", "choice", required, choices=SEX))
    fields += [
        _f(f"{role}.birth_date", "Ngày sinh", "date", required and full_date),
        _f(f"{role}.ethnicity", "Dân tộc", required=required, max_length=40, help=ETHNICITY_HELP),
        _f(f"{role}.nationality", "Quốc tịch", required=required, max_length=80),
        _f(f"{role}.personal_id", "Số định danh cá nhân", "personal_id"),
        _f(f"{role}.residence", "Nơi cư trú", required=required, max_length=255),
    ]
    return fields


def parent(role: str) -> list[Field]:
    return [
        _f(f"{role}.full_name", "Họ, chữ đệm và tên", "name"),
        _f(f"{role}.birth_date", "Ngày sinh", "date"),
        _f(f"{role}.ethnicity", "Dân tộc", max_length=40),
        _f(f"{role}.nationality", "Quốc tịch", max_length=80),
        _f(f"{role}.personal_id", "Số định danh cá nhân", "personal_id"),
        _f(f"{role}.residence", "Nơi cư trú", max_length=255),
    ]


def applicant(relation: bool = True) -> Section:
    fields = [
        _f("applicant.full_name", "Họ, chữ đệm và tên người nộp", "name", True),
        _f("applicant.personal_id", "Số định danh cá nhân", "personal_id", True),
        _f("applicant.phone", "Số điện thoại", "phone", True),
        _f("applicant.email", "Thư điện tử", "email"),
    ]
    if relation:
        fields.append(
            _f("applicant.relation", "Quan hệ với người được đăng ký", required=True, max_length=60)
        )
    return {"title": "Người nộp hồ sơ", "fields": fields}


def copies() -> Section:
    return {
        "title": "Bản sao trích lục",
        "fields": [
            _f(
                "copies",
                "Số bản sao trích lục đề nghị cấp",
                "number",
                max_length=2,
                help=f"Lệ phí {COPY_FEE:,} đồng/bản".replace(",", "."),
            )
        ],
    }


def birth_sections() -> list[Section]:
    child = [
        _f("child.full_name", "Họ, chữ đệm và tên", "name", True),
        _f("child.sex", "Giới tính", "choice", True, choices=SEX),
        _f("child.birth_date", "Ngày sinh", "date", True),
        _f("child.birth_place", "Nơi sinh", required=True, max_length=255),
        _f("child.home_town", "Quê quán", max_length=255),
        _f("child.ethnicity", "Dân tộc", required=True, max_length=40, help=ETHNICITY_HELP),
        _f("child.nationality", "Quốc tịch", required=True, max_length=80),
    ]
    return [
        applicant(),
        {"title": "Người được khai sinh", "fields": child},
        {"title": "Thông tin người mẹ", "fields": parent("mother")},
        {"title": "Thông tin người cha", "fields": parent("father")},
        copies(),
    ]


def docs(*items: tuple[str, str, bool]) -> list[dict[str, Any]]:
    return [{"key": k, "name": n, "required": r} for k, n, r in items]


ID_DOC = ("giay_to_tuy_than", "Giấy tờ tùy thân của người nộp (hộ chiếu, căn cước)", False)


def procedures() -> list[dict[str, Any]]:
    birth_docs = docs(
        ("to_khai", "Tờ khai đăng ký khai sinh", False),
        ("chung_sinh", "Giấy chứng sinh hoặc văn bản làm chứng việc sinh", True),
        ID_DOC,
    )
    common = {"authority_level": "commune", "domain": "Hộ tịch", "legal_basis": LAW}
    return [
        {
            **common,
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "required_documents": birth_docs,
            "fee": 0,
            "fee_note": "Miễn lệ phí khi đăng ký đúng hạn",
            "copy_fee": COPY_FEE,
            "processing_days": 1,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "birth",
            "registry_data": {"kind": "on_time"},
            "form_schema": {"applicant": "applicant.full_name", "sections": birth_sections()},
        },
        {
            **common,
            "code": "1.004772",
            "name": "Đăng ký khai sinh quá hạn",
            "required_documents": birth_docs
            + docs(("chung_cu", "Giấy tờ chứng minh nội dung khai sinh", False)),
            "fee": 0,
            "fee_note": "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            "copy_fee": COPY_FEE,
            "processing_days": 3,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "birth",
            "registry_data": {"kind": "late"},
            "form_schema": {"applicant": "applicant.full_name", "sections": birth_sections()},
        },
        {
            **common,
            "code": "1.004884",
            "name": "Đăng ký lại khai sinh",
            "required_documents": docs(
                ("to_khai", "Tờ khai đăng ký lại khai sinh", False),
                ("ban_sao_gks", "Bản sao giấy khai sinh hoặc giấy tờ có nội dung khai sinh", True),
                ID_DOC,
            ),
            "fee": 0,
            "fee_note": "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            "copy_fee": COPY_FEE,
            "processing_days": 5,
            "service_class": "partial",
            "old_level": 3,
            "registry_event": "birth",
            "registry_data": {"kind": "re_registration"},
            "form_schema": {"applicant": "applicant.full_name", "sections": birth_sections()},
        },
        {
            **common,
            "code": "1.000894",
            "name": "Đăng ký kết hôn",
            "required_documents": docs(
                ("to_khai", "Tờ khai đăng ký kết hôn", False),
                (
                    "xac_nhan_hon_nhan",
                    "Giấy xác nhận tình trạng hôn nhân (nếu cư trú nơi khác)",
                    False,
                ),
                ID_DOC,
            ),
            "fee": 0,
            "fee_note": "Miễn lệ phí đăng ký kết hôn trong nước",
            "copy_fee": COPY_FEE,
            "processing_days": 1,
            "service_class": "partial",
            "old_level": 3,
            "registry_event": "marriage",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(),
                    {"title": "Bên nam", "fields": person("husband", sex=False)},
                    {"title": "Bên nữ", "fields": person("wife", sex=False)},
                    copies(),
                ],
            },
        },
        {
            **common,
            "code": "1.000656",
            "name": "Đăng ký khai tử",
            "required_documents": docs(
                ("to_khai", "Tờ khai đăng ký khai tử", False),
                ("bao_tu", "Giấy báo tử hoặc giấy tờ thay giấy báo tử", True),
                ID_DOC,
            ),
            "fee": 0,
            "fee_note": "Miễn lệ phí khi đăng ký đúng hạn",
            "copy_fee": COPY_FEE,
            "processing_days": 1,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "death",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(),
                    {"title": "Người đã chết", "fields": person("deceased")},
                    {
                        "title": "Thông tin về việc chết",
                        "fields": [
                            _f("data.death_date", "Ngày chết", "date", True),
                            _f("data.death_place", "Nơi chết", required=True, max_length=255),
                            _f("data.death_cause", "Nguyên nhân chết", max_length=200),
                        ],
                    },
                    copies(),
                ],
            },
        },
        {
            **common,
            "code": "1.001022",
            "name": "Đăng ký nhận cha, mẹ, con",
            "required_documents": docs(
                ("to_khai", "Tờ khai đăng ký nhận cha, mẹ, con", False),
                ("chung_cu", "Văn bản, chứng cứ chứng minh quan hệ cha, mẹ, con", True),
                ID_DOC,
            ),
            "fee": 0,
            "fee_note": "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            "copy_fee": COPY_FEE,
            "processing_days": 3,
            "service_class": "partial",
            "old_level": 3,
            "registry_event": "recognition",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(),
                    {
                        "title": "Việc nhận",
                        "fields": [
                            _f(
                                "data.kind",
                                "Loại việc",
                                "choice",
                                True,
                                choices=[
                                    ["father", "Nhận cha"],
                                    ["mother", "Nhận mẹ"],
                                    ["child", "Nhận con"],
                                ],
                            )
                        ],
                    },
                    {"title": "Cha hoặc mẹ", "fields": person("parent")},
                    {"title": "Con", "fields": person("child")},
                    copies(),
                ],
            },
        },
        {
            **common,
            "code": "1.004859",
            "name": "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
            "required_documents": docs(
                ("to_khai", "Tờ khai đăng ký thay đổi, cải chính, bổ sung hộ tịch", False),
                ("giay_to_cu", "Giấy tờ liên quan làm căn cứ thay đổi, cải chính", True),
                ID_DOC,
            ),
            "fee": 15000,
            "fee_note": "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            "copy_fee": COPY_FEE,
            "processing_days": 3,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "correction",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(),
                    {"title": "Người có thông tin cần thay đổi", "fields": person("subject")},
                    {
                        "title": "Nội dung đề nghị",
                        "fields": [
                            _f(
                                "data.kind",
                                "Loại việc",
                                "choice",
                                True,
                                choices=[
                                    ["change", "Thay đổi hộ tịch"],
                                    ["correct", "Cải chính hộ tịch"],
                                    ["ethnicity", "Xác định lại dân tộc"],
                                    ["supplement", "Bổ sung thông tin hộ tịch"],
                                ],
                            ),
                            _f(
                                "change.field",
                                "Thông tin cần thay đổi",
                                "choice",
                                True,
                                choices=[
                                    ["subject.full_name", "Họ, chữ đệm và tên"],
                                    ["subject.birth_date", "Ngày sinh"],
                                    ["subject.birth_place", "Nơi sinh"],
                                    ["subject.ethnicity", "Dân tộc"],
                                    ["subject.home_town", "Quê quán"],
                                ],
                            ),
                            _f("change.new_value", "Nội dung mới", required=True, max_length=255),
                            _f("data.reason", "Lý do", "textarea", True, max_length=500),
                        ],
                    },
                    copies(),
                ],
            },
        },
        {
            **common,
            "code": "1.004873",
            "name": "Cấp giấy xác nhận tình trạng hôn nhân",
            "required_documents": docs(
                ("to_khai", "Tờ khai cấp giấy xác nhận tình trạng hôn nhân", False),
                ("ly_hon", "Giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu có)", False),
                ID_DOC,
            ),
            "fee": 5000,
            "fee_note": "Theo nghị quyết của Hội đồng nhân dân tỉnh",
            "copy_fee": 0,
            "processing_days": 3,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(relation=False),
                    {"title": "Người được xác nhận", "fields": person("subject")},
                    {
                        "title": "Tình trạng hôn nhân",
                        "fields": [
                            _f(
                                "status",
                                "Tình trạng hôn nhân hiện nay",
                                "choice",
                                True,
                                choices=[
                                    ["single", "Chưa đăng ký kết hôn với ai"],
                                    ["divorced", "Đã ly hôn, chưa kết hôn lại"],
                                    ["widowed", "Vợ/chồng đã chết, chưa kết hôn lại"],
                                ],
                            ),
                            _f("purpose", "Mục đích sử dụng", required=True, max_length=200),
                        ],
                    },
                ],
            },
        },
        {
            **common,
            "code": "2.000635",
            "name": "Cấp bản sao trích lục hộ tịch",
            "required_documents": docs(
                ("to_khai", "Tờ khai cấp bản sao trích lục hộ tịch", False), ID_DOC
            ),
            "fee": COPY_FEE,
            "fee_note": "8.000 đồng/bản sao",
            "copy_fee": 0,
            "processing_days": 1,
            "service_class": "full",
            "old_level": 4,
            "registry_event": "",
            "registry_data": {},
            "form_schema": {
                "applicant": "applicant.full_name",
                "sections": [
                    applicant(),
                    {
                        "title": "Trích lục đề nghị cấp bản sao",
                        "fields": [
                            _f(
                                "copy.event_type",
                                "Loại việc hộ tịch",
                                "choice",
                                True,
                                choices=[
                                    ["birth", "Khai sinh"],
                                    ["marriage", "Kết hôn"],
                                    ["death", "Khai tử"],
                                ],
                            ),
                            _f(
                                "copy.full_name",
                                "Họ, chữ đệm và tên người được đăng ký",
                                "name",
                                True,
                            ),
                            _f("copy.birth_date", "Ngày sinh", "date"),
                            _f("copy.personal_id", "Số định danh cá nhân", "personal_id"),
                        ],
                    },
                ],
            },
        },
    ]
