"""``hotich records import``: both formats, per-row errors, idempotence, provenance, audit,
the name index, and resuming after the process is killed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hotich.audit.models import Entry
from hotich.people.personal_id import generate_personal_id
from hotich.registry.bulkload import file_sha256
from hotich.registry.models import Book, ImportedRecord, ImportRun, NameToken, Party, Person, Record
from hotich.registry.services.imports import ImportRefused, records_import
from hotich.registry.tests.factories import BirthFactory, person_input

ROOT = Path(__file__).resolve().parents[4]
SAMPLES = ROOT / "docs" / "samples"

pytestmark = pytest.mark.django_db

HEADER = (
    "source_id,event_type,unit,registration_date,entry_number,child.full_name,child.sex,"
    "child.birth_date,mother.full_name,mother.birth_date"
)


def _file(tmp_path: Path, rows: list[str], name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("records", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_sample_files_import_and_are_found(units: Any) -> None:
    out, _err = _run(str(SAMPLES / "records-import.csv"))
    assert "thêm / added 5" in out and "đã có / already present 0" in out
    out, _err = _run("--format", "moj", str(SAMPLES / "records-import-moj.csv"))
    assert "thêm / added 3" in out
    assert Record.objects.filter(status="registered").count() == 8
    # The search the users run finds an imported record by name (no diacritics) and year.
    found = StringIO()
    call_command(
        "records", "find", "tran minh khoi", "--birth-year", "2024", "--json", stdout=found
    )
    hits = json.loads(found.getvalue())
    assert [h["full_name"] for h in hits] == ["Trần Minh Khôi"]
    assert hits[0]["entry_number"] == 901
    found = StringIO()
    call_command("records", "find", "Vo Gia Bao", "--json", stdout=found)
    assert [h["full_name"] for h in json.loads(found.getvalue())] == ["Võ Gia Bảo"]
    # The ministry's layout: sex words, dd/mm/yyyy dates, the book code.
    bao = Party.objects.get(role="child", person__full_name="Võ Gia Bảo")
    assert bao.person.sex == "M" and bao.person.birth_date.isoformat() == "2024-04-01"
    assert bao.record.event_type == "birth" and bao.record.registration_date.isoformat() == (
        "2024-04-05"
    )
    death = Record.objects.get(event_type="death", entry_number=311)
    assert death.data["death_date"] == "2024-09-12" and death.unit == units["b"]
    # Historic rows keep their partial dates, in a historic book.
    old = Record.objects.get(entry_number=12, book__year=1998)
    assert old.is_historic and old.book.is_historic and old.registration_precision == "y"


def test_rerun_adds_nothing_and_each_record_has_its_provenance(units: Any, tmp_path: Path):
    path = _file(
        tmp_path,
        [
            "a1,birth,16681,2024-03-20,7,Nguyễn Thị Hằng,F,2024-03-02,Đặng Thị Lan,1992",
            "a2,birth,16681,2024-03-21,8,Lê Văn Tám,M,2024-03-05,,",
        ],
    )
    first = records_import(path)
    assert (first.added, first.present) == (2, 0)
    again = records_import(path)
    assert again.already_done and again.added == 0 and again.present == 2
    out, _err = _run(str(path))
    assert "thêm / added 0" in out and "file already imported" in out
    assert Record.objects.count() == 2
    run = ImportRun.objects.get()
    assert run.file_sha256 == file_sha256(path) and run.state == "done" and run.added == 2
    sources = {s.row: s for s in ImportedRecord.objects.select_related("record")}
    assert set(sources) == {2, 3}
    assert sources[2].source_id == "a1" and sources[2].record.entry_number == 7
    # The book's numbering continues after the imported entries.
    book = Book.objects.get(unit=units["a"], event_type="birth", year=2024)
    assert book.last_entry_number == 8
    # Another file holding the same entries (natural key: book + entry number) adds nothing.
    other = _file(
        tmp_path,
        ["x,birth,16681,2024-03-20,7,Nguyen Thi Hang,F,2024-03-02,,"],
        name="other.csv",
    )
    result = records_import(other)
    assert (result.added, result.present) == (0, 1)
    assert Record.objects.count() == 2


def test_row_errors_refuse_the_whole_file(units: Any, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        [
            "a1,birth,16681,2024-03-20,1,Nguyễn Thị Hằng,F,2024-03-02,,",
            "a2,birth,16681,2024-03-20,2,Lê Văn Tám,X,2024-13-05,,",
            "a3,birth,99999,2024-03-20,3,Lê Văn Tư,M,2024-03-05,,",
            "a4,birth,16681,2024-03-20,1,Lê Văn Năm,M,2024-03-05,,",
            "a5,wedding,16681,2024-03-20,5,,,,,",
            "a6,birth,16681,2024-03-20,x,Lê Văn Sáu,M,2024-03-05,,",
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        records_import(path)
    by_row = {(e.row, e.field) for e in refused.value.errors}
    assert (3, "child.sex") in by_row and (3, "child.birth_date") in by_row
    assert (4, "unit") in by_row
    assert (5, "entry_number") in by_row  # entry 1 twice in the same book
    assert (6, "event_type") in by_row and (7, "entry_number") in by_row
    assert (2, "child.full_name") not in by_row
    assert Record.objects.count() == 0 and Book.objects.count() == 0
    assert not ImportRun.objects.exists()
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("records", "import", str(path), stdout=StringIO(), stderr=err)
    assert "\n" not in str(failed.value) and "dòng lỗi" in str(failed.value)
    assert "dòng 3, child.birth_date:" in err.getvalue()


def test_entry_already_in_the_register_with_another_person_is_an_error(
    units: Any, tmp_path: Path
) -> None:
    BirthFactory(
        unit=units["a"],
        parties={"child": person_input(sex="F", full_name="Phan Thị Cúc")},
    )
    existing = Record.objects.get()
    path = _file(
        tmp_path,
        [
            f"a1,birth,16681,{existing.registration_date.isoformat()},{existing.entry_number},"
            f"Lê Văn Tám,M,{existing.registration_date.isoformat()},,"
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        records_import(path)
    assert [(e.row, e.field) for e in refused.value.errors] == [(2, "entry_number")]
    assert Record.objects.count() == 1


def test_one_audit_entry_per_batch_with_the_file_hash(units: Any, tmp_path: Path) -> None:
    rows = [
        f"r{i},birth,16681,2024-03-20,{i},Nguyễn Văn An{'' if i % 2 else ' Bình'},M,2024-03-01,,"
        for i in range(1, 8)
    ]
    path = _file(tmp_path, rows)
    before = Entry.objects.count()
    result = records_import(path, batch_rows=3)
    assert (result.added, result.batches) == (7, 3)
    entries = list(Entry.objects.order_by("seq")[before:])
    assert len(entries) == 3 + 1  # three batches (and the one book opened)
    batches = [e for e in entries if e.action == "bulk"]
    assert [e.detail["count"] for e in batches] == [3, 3, 1]
    assert {e.detail["file_sha256"] for e in batches} == {file_sha256(path)}
    assert batches[0].detail["rows"] == [2, 4] and batches[2].detail["rows"] == [8, 8]
    # The name index holds each imported principal person (and no parent).
    child_ids = set(Party.objects.filter(role="child").values_list("person_id", flat=True))
    assert set(NameToken.objects.values_list("person_id", flat=True)) == child_ids


def test_persons_with_a_known_personal_id_are_linked(units: Any, tmp_path: Path) -> None:
    number = generate_personal_id(random.Random(5), province_code="40", sex="F", birth_year=1992)
    path = tmp_path / "ids.csv"
    path.write_text(
        "event_type,unit,registration_date,entry_number,child.full_name,child.sex,"
        "child.birth_date,mother.full_name,mother.birth_date,mother.personal_id\n"
        f"birth,16681,2024-03-20,1,Lê Văn A,M,2024-03-01,Đặng Thị Lan,1992-05-01,{number}\n"
        f"birth,16681,2024-03-21,2,Lê Thị B,F,2024-03-02,Đặng Thị Lan,1992-05-01,{number}\n",
        encoding="utf-8",
    )
    records_import(path)
    assert Person.objects.filter(personal_id=number).count() == 1
    mother = Person.objects.get(personal_id=number)
    assert Party.objects.filter(person=mother, role="mother").count() == 2


def test_a_file_that_is_not_utf8_or_lacks_columns(units: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"\n1,birth,16681,2024-03-20,1,L\xea V\xe3n,M,2024-03-01,,\n")
    with pytest.raises(CommandError, match="UTF-8"):
        _run(str(bad))
    missing = tmp_path / "missing.csv"
    missing.write_text("event_type,unit\nbirth,16681\n", encoding="utf-8")
    with pytest.raises(CommandError, match="registration_date"):
        _run(str(missing))


SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hotich.geo.models import Unit
from hotich.geo.vocabulary import Era, Level
p = Unit.objects.create(era=Era.CURRENT, level=Level.PROVINCE, code="40", name="Tỉnh Nghệ An",
    short_name="Nghệ An", unit_type="Tỉnh", path="n/40/", search_key="tinh nghe an")
Unit.objects.create(era=Era.CURRENT, level=Level.COMMUNE, code="16681", name="Phường Thành Vinh",
    short_name="Thành Vinh", unit_type="Phường", parent=p, path="n/40/16681/",
    search_key="phuong thanh vinh")
"""
COUNT = """
import django
django.setup()
from hotich.registry.models import ImportedRecord, ImportRun, Record
rows = sorted(ImportedRecord.objects.values_list("row", flat=True))
run = ImportRun.objects.get()
print(Record.objects.count(), len(rows), len(set(rows)), run.state, run.added, run.rows_done)
"""


def test_resumes_after_kill_9(tmp_path: Path) -> None:
    """A process killed mid-run leaves whole batches; the next run continues from the
    checkpoint and the register ends with each row once."""
    data = tmp_path / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        HOTICH_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="hotich.config.settings",
        DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}",
    )
    python = sys.executable
    subprocess.run([python, "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True)
    total = 3000
    rows = [
        f"r{i},birth,16681,2024-03-20,{i},Nguyễn Văn Số{'abcdefgh'[i % 8]},M,2024-03-01,"
        "Lê Thị Mẹ,1990"
        for i in range(1, total + 1)
    ]
    path = _file(tmp_path, rows)
    cmd = [python, "-m", "hotich", "records", "-v", "2", "import", str(path), "--batch", "200"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 240
    while b"batch 3:" not in seen and time.monotonic() < deadline:
        chunk = os.read(proc.stderr.fileno(), 256)
        if not chunk:
            break
        seen += chunk
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, seen[-300:]

    def count() -> list[str]:
        out = subprocess.run(
            [python, "-c", COUNT], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
        return out.stdout.split()

    records, sources, distinct, state, added, rows_done = count()
    assert state == "running" and 600 <= int(added) < total
    assert int(records) == int(sources) == int(distinct) == int(added)  # whole batches only
    assert int(added) % 200 == 0 and int(rows_done) == int(added) + 2
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-500:]
    assert f"thêm / added {total - int(added)}" in again.stdout
    assert f"resumed at row {int(added) + 2}" in again.stdout
    records, sources, distinct, state, added, _rows_done = count()
    assert (int(records), int(sources), int(distinct)) == (total, total, total)
    assert (state, int(added)) == ("done", total)
    third = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "thêm / added 0" in third.stdout
    assert int(count()[0]) == total


def test_rows_checked_in_worker_processes_give_the_same_result(
    units: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotich.registry import bulkload

    monkeypatch.setattr(bulkload, "WORKER_CHUNK", 2)  # five rows: three tasks for two workers
    rows = [
        f"w{i},birth,16681,2024-03-20,{i},Nguyễn Thị Hằng,F,2024-03-0{i},Đặng Thị Lan,1992"
        for i in range(1, 6)
    ]
    bad = _file(tmp_path, [*rows[:3], "w9,birth,16681,2024-03-20,9,Lê Văn Tám,X,,,"])
    with pytest.raises(ImportRefused) as refused:
        records_import(bad, workers=2)
    assert [(e.row, e.field) for e in refused.value.errors] == [
        (5, "child.sex"),
        (5, "child.birth_date"),
    ]
    out, _err = _run(str(_file(tmp_path, rows, name="good.csv")), "--workers", "2")
    assert "thêm / added 5" in out
    assert sorted(ImportedRecord.objects.values_list("row", "record__entry_number")) == [
        (2, 1),
        (3, 2),
        (4, 3),
        (5, 4),
        (6, 5),
    ]


@pytest.mark.django_db(databases=[])
def test_quick_checks_agree_with_the_rules_of_a_new_entry() -> None:
    """``clean_record_quick`` passes a row only when ``clean_record`` does, with the same
    result; it is unsure (None) of every row ``clean_record`` refuses."""
    import datetime as dt

    from hotich.core.errors import DomainError
    from hotich.registry.services.validation import clean_record, clean_record_quick
    from hotich.registry.vocabulary import spec_for

    today = dt.date(2026, 12, 6)
    rng = random.Random(7)
    names = ["Nguyễn Văn An", "Lê Thị Hằng", "Trần  Minh Khôi ", "An", "Ng8yễn Văn", "x" * 101]
    dates = ["2024-03-01", "01/03/2024", "1990", "03/1990", "2024-02-30", "2027-01-01", "", "abc"]
    sexes = ["", "Nam", "nu", "F", "khác"]
    pid = generate_personal_id(rng, province_code=40, sex="M", birth_year=1990)
    agreed = refused = unsure = warned = 0
    for _i in range(600):
        kind = rng.choice(["birth", "marriage", "death"])
        historic = rng.random() < 0.2
        bad = rng.random() < 0.4  # else plausible values, so that many rows pass

        def person(sex: str, born: str, bad: bool = bad) -> dict[str, str]:
            values = {
                "full_name": rng.choice(names) if bad else rng.choice(names[:3]),
                "sex": rng.choice(sexes) if bad else sex,
                "birth_date": rng.choice(dates) if bad else born,
                "personal_id": rng.choice(["", "", pid]),
                "residence": rng.choice(["", "Xã Nghi Phú", "y" * 300 if bad else ""]),
            }
            return {k: v for k, v in values.items() if v}

        roles = {"birth": ["child", "father", "mother"], "marriage": ["husband", "wife"]}
        born = {
            "child": "2024-03-01",
            "father": "1990",
            "mother": rng.choice(["1992-05-04", "1950"]),
        }
        sex = {"child": "Nam", "father": "Nam", "mother": "nữ", "husband": "M", "wife": "F"}
        parties = {
            r: person(sex.get(r, "Nam"), born.get(r, "1990-01-02"))
            for r in roles.get(kind, ["deceased"])
            if not bad or rng.random() < 0.9
        }
        data = {"death_date": rng.choice(dates) if bad else "2024-05-30"} if kind == "death" else {}
        if rng.random() < 0.05:
            parties["witness"] = person("", "")
        args: dict[str, Any] = {
            "spec": spec_for(kind),
            "registration_date": rng.choice(["2024-06-01", "2025-01-15", "1995", ""])
            if bad
            else "2024-06-01",
            "parties": parties,
            "data": data,
            "is_historic": historic,
            "today": today,
        }
        quick = clean_record_quick(**args)
        try:
            full = clean_record(**args)
        except DomainError:
            assert quick is None
            refused += 1
            continue
        if quick is None:
            unsure += 1
        else:
            assert quick == full
            agreed += 1
            warned += bool(quick.warnings)
    assert warned > 5 and agreed > 80 and refused > 100, (agreed, refused, unsure)
