"""The e-office demo at the Department of Justice: incoming documents at each step of their route
(registered, proposed, instructed, reported), a reply being drafted with a comment, tasks and the
week's published calendar. Each letter carries a body; one arrives as a scan of paper (an image
only). The demo reads the files' text at once, as the background task would, so that the search
page finds them by a word of their body (``"chu ky so"``, ``"mien nui"``)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from hotich.accounts.selectors import user_by_username
from hotich.agencies.selectors import acting_agency
from hotich.core.pdf import html_to_pdf
from hotich.core.workdays import add_working_days
from hotich.documents.models import Document
from hotich.documents.services import (
    calendar_entry_create,
    calendar_week_publish,
    document_comment,
    document_create,
    document_text_read,
    document_transition,
    file_add_document,
    file_create,
    files_close_year,
    files_hand_over,
    incoming_register,
    task_create,
    task_transition,
)
from hotich.documents.vocabulary import Direction, DocType

#: title, sender, sender's number, how far it has gone
INCOMING = [
    ("Hướng dẫn triển khai số hóa sổ hộ tịch năm 2027", "Bộ Tư pháp", "412/BTP-HTQTCT", "report"),
    ("Đề nghị cung cấp số liệu đăng ký khai sinh quý IV", "UBND phường Thành Vinh", "88/UBND-VP",
     "instruct"),
    ("Kế hoạch kiểm tra công tác hộ tịch tại các xã miền núi", "Sở Nội vụ", "205/SNV-CCHC",
     "propose"),
    ("Mời dự hội nghị tập huấn chữ ký số", "Sở Khoa học và Công nghệ", "97/SKHCN-BCVT", "receive"),
]  # fmt: skip


#: the body of each letter (by the sender's number): what the search finds in the file's text
BODIES = {
    "412/BTP-HTQTCT": "Bộ Tư pháp đề nghị các Sở Tư pháp chỉ đạo số hóa toàn bộ sổ hộ tịch "
    "lưu trữ từ năm 1945, bảo đảm dữ liệu khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "88/UBND-VP": "Để tổng hợp báo cáo năm, đề nghị Sở cung cấp số liệu đăng ký khai sinh, "
    "khai tử và kết hôn của quý IV trước ngày 25 tháng 12.",
    "205/SNV-CCHC": "Đoàn kiểm tra sẽ làm việc tại các xã miền núi Quế Phong, Tương Dương về "
    "việc niêm yết thủ tục hành chính và lưu trữ hồ sơ hộ tịch.",
}
#: the letter that arrives on paper: its scan holds these lines as an image only
PAPER_NUMBER = "97/SKHCN-BCVT"
PAPER_LINES = [
    "GIẤY MỜI",
    "Tập huấn sử dụng chữ ký số chuyên dùng",
    "cho cán bộ tư pháp hộ tịch cấp xã",
]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _scan(title: str, sender: str, number: str) -> bytes:
    if number == PAPER_NUMBER and FONT.exists():
        return _paper(PAPER_LINES)
    body = BODIES.get(number, "")
    return html_to_pdf(f"<h1>{sender}</h1><p>Số: {number}</p><p>V/v: {title}</p><p>{body}</p>")


def _paper(lines: list[str]) -> bytes:
    """A page as a scanner gives it: the lines drawn into an image, no text layer."""
    font = ImageFont.truetype(str(FONT), 44)
    image = Image.new("L", (1400, 110 * len(lines) + 120), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 110 * i), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


def demo_office() -> int:
    """Create the demo; returns how many documents it made."""
    users = {
        name: user_by_username(name)
        for name in ("stp.giamdoc", "stp.vanthu", "stp.truongphong", "stp.chuyenvien", "sotuphap")
    }
    clerk, leader = users["stp.vanthu"], users["stp.giamdoc"]
    head, specialist, other = users["stp.truongphong"], users["stp.chuyenvien"], users["sotuphap"]
    if not (clerk and leader and head and specialist and other):
        return 0
    today = timezone.localdate()
    made = []
    for title, sender, number, stage in INCOMING:
        document = incoming_register(
            actor=clerk,
            doc_type=DocType.OFFICIAL_LETTER,
            title=title,
            sender_name=sender,
            sender_number=number,
            dated=today - dt.timedelta(days=3),
            file_name="van-ban-den.pdf",
            data=_scan(title, sender, number),
        )
        made.append(document)
        if stage == "receive":
            continue
        document_transition(
            actor=clerk, document=document, action="propose",
            note="Kính chuyển Giám đốc xem xét, cho ý kiến chỉ đạo.",
        )  # fmt: skip
        if stage == "propose":
            continue
        document_transition(
            actor=leader,
            document=document,
            action="instruct",
            note="Giao Phòng Hành chính tư pháp chủ trì, tham mưu trả lời trước hạn.",
            handler_id=head.pk,
            co_ids=[other.pk],
            days=5,
        )
        if stage == "instruct":
            continue
        document_transition(
            actor=head, document=document, action="forward", handler_id=specialist.pk,
            note="Đồng chí Thư dự thảo kế hoạch triển khai.",
        )  # fmt: skip
        document_transition(
            actor=specialist, document=document, action="report",
            note="Đã dự thảo Kế hoạch triển khai, trình Giám đốc.",
        )  # fmt: skip
    reply = document_create(
        actor=specialist,
        doc_type=DocType.PLAN,
        title="Kế hoạch triển khai số hóa sổ hộ tịch năm 2027",
        body="Thực hiện Hướng dẫn của Bộ Tư pháp, Sở Tư pháp xây dựng kế hoạch như sau.",
        recipient_name="UBND các xã, phường",
    )
    document_comment(actor=head, document=reply, text="Bổ sung tiến độ theo từng quý.")
    task = task_create(
        actor=leader,
        title="Tổng hợp số liệu khai sinh quý IV gửi UBND phường Thành Vinh",
        owner_id=specialist.pk,
        co_worker_ids=[other.pk],
        deadline=add_working_days(today, 3),
        document=made[1],
    )
    task_transition(
        actor=specialist, task=task, action="progress", note="Đã tổng hợp 2/3 số liệu.", progress=60
    )
    monday = today - dt.timedelta(days=today.weekday())
    for offset, hour, title, place, public in [
        (0, 8, "Giao ban lãnh đạo Sở", "Phòng họp tầng 3", False),
        (1, 14, "Tiếp công dân định kỳ", "Trụ sở Sở Tư pháp", True),
        (3, 8, "Làm việc với UBND xã Quế Phong về công tác hộ tịch", "Xã Quế Phong", True),
    ]:
        calendar_entry_create(
            actor=clerk,
            starts_at=timezone.make_aware(
                dt.datetime.combine(monday + dt.timedelta(days=offset), dt.time(hour))
            ),
            title=title,
            location=place,
            leader_id=leader.pk,
            participants="Lãnh đạo Sở, Phòng Hành chính tư pháp",
            is_public=public,
        )
    calendar_week_publish(actor=leader, monday=monday)
    for document in made:  # what the background task does once the worker runs
        document_text_read(document.pk)
    return len(made) + 1


#: last year's files of Sở Tư pháp: code, title, retention (None: permanent), documents in it
LAST_YEAR_FILES = [
    ("01.HCTP", "Hồ sơ hướng dẫn nghiệp vụ hộ tịch của Bộ Tư pháp", None, [
        ("Hướng dẫn đăng ký hộ tịch trực tuyến toàn trình", "Bộ Tư pháp", "215/BTP-HTQTCT"),
        ("Hướng dẫn cấp bản sao trích lục hộ tịch điện tử", "Bộ Tư pháp", "388/BTP-HTQTCT"),
    ]),
    ("02.HCTP", "Hồ sơ kiểm tra công tác hộ tịch tại các xã, phường", 10, [
        ("Báo cáo kết quả tự kiểm tra công tác hộ tịch", "UBND xã Quế Phong", "41/BC-UBND"),
    ]),
    ("03.VP", "Hồ sơ hội nghị tổng kết công tác tư pháp", 20, [
        ("Giấy mời dự hội nghị tổng kết công tác tư pháp", "UBND tỉnh Nghệ An", "77/GM-UBND"),
    ]),
]  # fmt: skip
THIS_YEAR_FILES = [
    ("01.HCTP", "Hồ sơ triển khai số hóa sổ hộ tịch", None),
    ("02.HCTP", "Hồ sơ kiểm tra công tác hộ tịch tại các xã miền núi", 10),
    ("05.VP", "Hồ sơ tập huấn, bồi dưỡng nghiệp vụ", 5),
]


def demo_files() -> int:
    """Sở Tư pháp's file list: last year's files closed and handed over with their handover
    list, this year's open with the incoming documents of the office demo in them. Returns how
    many files it made."""
    clerk = user_by_username("stp.vanthu")
    keeper = user_by_username("stp.chuyenvien")
    if clerk is None or keeper is None:
        return 0
    today = timezone.localdate()
    last = today.year - 1
    made = 0
    for code, title, retention, papers in LAST_YEAR_FILES:
        work_file = file_create(
            actor=clerk, year=last, code=code, title=title, retention_years=retention,
            responsible_id=keeper.pk,
        )  # fmt: skip
        made += 1
        for n, (paper, sender, number) in enumerate(papers):
            document = incoming_register(
                actor=clerk,
                doc_type=DocType.OFFICIAL_LETTER,
                title=paper,
                sender_name=sender,
                sender_number=number,
                dated=dt.date(last, 3 + 3 * n, 10),
                file_name="van-ban-den.pdf",
                data=_scan(paper, sender, number),
            )
            _backdate(document, dt.date(last, 3 + 3 * n, 12))
            file_add_document(actor=clerk, work_file=work_file, document_id=document.pk)
    files_close_year(actor=clerk, year=last)
    files_hand_over(actor=clerk, year=last)
    mine = list(
        Document.objects.filter(
            organization=acting_agency(clerk), year=today.year, direction=Direction.INCOMING
        ).order_by("pk")
    )
    for index, (code, title, retention) in enumerate(THIS_YEAR_FILES):
        work_file = file_create(
            actor=clerk, year=today.year, code=code, title=title, retention_years=retention,
            responsible_id=keeper.pk,
        )  # fmt: skip
        made += 1
        for document in mine[index * 2 : index * 2 + 2]:
            file_add_document(actor=clerk, work_file=work_file, document_id=document.pk)
    return made


def _backdate(document: Document, day: dt.date) -> None:
    """A document of last year (the demo registers it today)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Document.objects.filter(pk=document.pk).update(
        year=day.year, created_at=at, received_at=at, updated_at=at
    )
