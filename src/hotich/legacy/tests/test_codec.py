"""TCVN3, VNI and VIQR decoding: the tables letter by letter, round trips and detection."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotich.legacy import codec

MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc"
# The motto as the old files hold it, typed by hand from the fonts' tables (not by encode()).
MOTTO_TCVN3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc"
MOTTO_TCVN3_BYTES = (
    b"C\xe9ng h\xdfa x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\n"
    b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c"
)
MOTTO_VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc"
MOTTO_VIQR = "Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam\nDDo^.c la^.p - Tu+. do - Ha.nh phu'c"

LOWER = [ch for ch in codec.LETTERS if ch.islower()]
UPPER = [ch for ch in codec.LETTERS if ch.isupper()]


def test_there_are_134_letters_67_in_each_case() -> None:
    assert len(codec.LETTERS) == 134
    assert len(LOWER) == len(UPPER) == 67
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in codec.LETTERS)


@pytest.mark.parametrize("encoding", codec.ENCODINGS)
@pytest.mark.parametrize("letter", codec.LETTERS)
def test_every_letter_round_trips(encoding: str, letter: str) -> None:
    glyphs = codec.encode(letter, encoding)
    # Only VNI's ì í Ì Í and TCVN3's ý keep their Unicode code point.
    same = {codec.VNI: "ìíÌÍ", codec.TCVN3: "ý"}.get(encoding, "")
    assert (glyphs == letter) == (letter in same)
    decoded = codec.decode(glyphs, encoding)
    if encoding == codec.TCVN3 and letter.isupper() and letter not in "ĂÂÊÔƠƯĐ":
        # TCVN3 has no capitals with tones; a lone one comes back in lower case...
        assert decoded == letter.lower()
        # ...and in capitals inside a word written in capitals.
        assert codec.decode(codec.encode(f"NG{letter}N", encoding), encoding) == f"NG{letter}N"
    else:
        assert decoded == letter


def test_tables_are_one_to_one() -> None:
    assert len(set(codec.UNICODE_TO_TCVN3.values())) == len(codec.UNICODE_TO_TCVN3) == 74
    assert all(
        len(code) == 1 and "\xa0" < code <= "\xff" for code in codec.UNICODE_TO_TCVN3.values()
    )
    assert len(set(codec.UNICODE_TO_VNI.values())) == len(codec.UNICODE_TO_VNI) == 134


@pytest.mark.parametrize(
    ("letter", "tcvn3", "vni", "viqr"),
    [
        ("ắ", "¾", "aé", "a('"),
        ("ậ", "Ë", "aä", "a^."),
        ("ề", "Ò", "eà", "e^`"),
        ("ĩ", "Ü", "ó", "i~"),
        ("ỏ", "á", "oû", "o?"),
        ("ỡ", "ì", "ôõ", "o+~"),
        ("ự", "ù", "öï", "u+."),
        ("ỵ", "þ", "î", "y."),
        ("đ", "®", "ñ", "dd"),
        ("Ư", "¦", "Ö", "U+"),
        ("Ấ", "Ê", "AÁ", "A^'"),
    ],
)
def test_known_codes(letter: str, tcvn3: str, vni: str, viqr: str) -> None:
    assert codec.encode(letter, codec.TCVN3) == tcvn3
    assert codec.encode(letter, codec.VNI) == vni
    assert codec.encode(letter, codec.VIQR) == viqr


@pytest.mark.parametrize(
    ("glyphs", "encoding"),
    [(MOTTO_TCVN3, codec.TCVN3), (MOTTO_VNI, codec.VNI), (MOTTO_VIQR, codec.VIQR)],
)
def test_the_national_motto_decodes_from_glyph_text_and_bytes(glyphs: str, encoding: str) -> None:
    assert codec.decode(glyphs, encoding) == MOTTO
    assert codec.decode_auto(glyphs) == (MOTTO, encoding)
    raw = glyphs.encode("cp1252")
    assert codec.decode_bytes(raw) == (MOTTO, encoding)
    assert codec.decode_bytes(glyphs.encode("utf-8")) == (MOTTO, encoding)


def test_tcvn3_raw_bytes_typed_by_hand() -> None:
    assert codec.decode_bytes(MOTTO_TCVN3_BYTES) == (MOTTO, codec.TCVN3)


def test_tcvn3_capitals_heading() -> None:
    heading = "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"
    assert codec.decode_auto(heading) == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", codec.TCVN3)
    assert codec.decode(heading, codec.TCVN3) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert codec.decode("Hµ Néi", codec.TCVN3) == "Hà Nội"


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Thị Hằng", "Hà Tây", "Lê Văn An", "Nghệ An", "Hồ Chí Minh", "Xã Quế Phong", ""],
)
def test_unicode_stays_unicode(text: str) -> None:
    assert codec.decode_auto(text) == (text, codec.UNICODE)


def test_decomposed_unicode_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert codec.decode_auto(nfd) == ("Nguyễn Văn Đức", codec.UNICODE)


@pytest.mark.parametrize("encoding", codec.ENCODINGS)
@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Văn Đức",
        "Trần Thị Thu Hương",
        "Phạm Ngọc Ánh",
        "Xã Nghi Phú, Nghệ An",
        "Đặng Hữu Lộc",
    ],
)
def test_short_cells_are_detected(encoding: str, name: str) -> None:
    glyphs = codec.encode(name, encoding)
    assert codec.decode_auto(glyphs) == (name, encoding)


def test_viqr_escapes_and_punctuation() -> None:
    assert codec.decode_viqr("Ddi dda^u\\?") == "Đi đâu?"
    assert codec.decode_viqr("Vie^.t Nam.") == "Việt Nam."
    assert codec.decode_viqr("Ha` No^.i.") == "Hà Nội."  # the syllable has its tone already
    assert codec.decode_viqr("address") == "address"  # dd only starts a word
    assert codec.decode_viqr("DDa`o") == "Đào"


def test_vni_marks_in_the_other_case() -> None:
    assert codec.decode("NGUYEãN", codec.VNI) == "NGUYỄN"
    assert codec.decode("Nguyeãn", codec.VNI) == "Nguyễn"
    assert codec.decode("VIEäT", codec.VNI) == "VIỆT"


def test_non_utf8_bytes_read_as_cp1252() -> None:
    assert codec.bytes_to_text(b"\x80 \x81") == "€ \x81"
    assert codec.bytes_to_text("\ufeffabc".encode()) == "abc"


VIET_WORDS = st.sampled_from(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Văn",
        "Thị",
        "Hữu",
        "Ngọc",
        "Thu",
        "Hằng",
        "Hương",
        "Đức",
        "Tuấn",
        "Khánh",
        "Quỳnh",
        "Nghĩa",
        "Xuân",
        "Yến",
        "Thủy",
        "Tiến",
        "Luật",
        "người",
        "khuyết",
        "xã",
        "huyện",
        "tỉnh",
        "Nghệ",
        "An",
        "Vinh",
        "sinh",
        "ngày",
        "tháng",
        "năm",
        "Quế",
        "Phong",
        "Diễn",
        "Châu",
        "Thanh",
        "Chương",
        "Quỳnh",
        "Lưu",
        "Đô",
        "Lương",
    ]
)
SENTENCES = st.lists(VIET_WORDS, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=SENTENCES, encoding=st.sampled_from(codec.ENCODINGS))
def test_round_trip_and_detection_of_sentences(text: str, encoding: str) -> None:
    glyphs = codec.encode(text, encoding)
    assert codec.decode(glyphs, encoding) == text
    assert codec.decode_bytes(codec.encode_bytes(text, encoding), encoding)[0] == text
    decoded, detected = codec.decode_auto(glyphs)
    evidence = any(not c.isascii() and c not in "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ" for c in glyphs)
    if (encoding == codec.VIQR and glyphs != text) or evidence:
        # Glyphs no Unicode Vietnamese text holds (or VIQR marks): the reading must be found.
        assert (decoded, detected) == (text, encoding)
    else:
        # Glyphs that are also Vietnamese letters ("Vò" is Vũ in TCVN3 and a word in Unicode).
        assert decoded in (text, glyphs)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from([*codec.LETTERS, " ", "a", "n", "g", ","]), max_size=40)
)
def test_round_trip_of_any_vni_text(text: str) -> None:
    assert codec.decode(codec.encode(text, codec.VNI), codec.VNI) == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*LOWER, " ", "a", "n", "g", ","]), max_size=40))
def test_round_trip_of_any_lower_case_tcvn3_text(text: str) -> None:
    assert codec.decode(codec.encode(text, codec.TCVN3), codec.TCVN3) == text


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60))
def test_decoding_never_crashes(text: str) -> None:
    for encoding in codec.CANDIDATES:
        assert isinstance(codec.decode(text, encoding), str)
    assert isinstance(codec.decode_auto(text)[0], str)


def test_utf16_text_files() -> None:
    glyphs = codec.encode("Nguyễn Văn Đức", codec.VNI)
    assert codec.decode_bytes(glyphs.encode("utf-16")) == ("Nguyễn Văn Đức", codec.VNI)
