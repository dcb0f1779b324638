"""Vietnamese legacy encodings: TCVN3 (ABC), VNI (VNI-Windows) and VIQR to NFC Unicode.

Old local software stored Vietnamese in 8-bit fonts. A file written with them holds either the
legacy *bytes* (``.txt``, ``.csv``, ``.xls``: one byte per glyph, read as cp1252/latin-1) or,
once opened by a Unicode program (an ``.xlsx`` whose cells were set in ``.VnTime`` or
``VNI-Times``), Unicode *text made of the glyph characters*: ``"ViÖt Nam"`` (TCVN3),
``"Vieät Nam"`` (VNI). Both decode the same way here: bytes are first read as cp1252 (latin-1
where cp1252 has a hole), which gives exactly the glyph text.

- **TCVN3** (TCVN 5712:1993, VN3, the ``.Vn*`` fonts of ABC): one byte per lower-case letter;
  upper case exists only for the seven letters Ă Â Ê Ô Ơ Ư Đ. Capitals with a tone were shown
  with the all-capitals fonts (``.VnTimeH``) over the lower-case codes, so the text itself is
  lower case there: a word or a line whose plain letters are all capitals is decoded in capitals.
- **VNI** (VNI-Windows): a base letter followed by one mark byte (``a`` + ``ù`` = ``á``;
  ``aâ`` = ``â``, ``aá`` = ``ấ``), with single bytes for ơ ư đ and some i/y forms.
- **VIQR** (RFC 1456): ASCII marks after the vowel: ``( ^ +`` for ă â/ê/ô ơ/ư, ``' ` ? ~ .``
  for the tones, ``dd`` for đ, ``\\`` to escape a mark.

``detect`` scores every reading (Unicode as it is, TCVN3, VNI, VIQR) by how many words become
valid Vietnamese syllables and how many stray legacy glyphs remain, and picks the best.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from hotich.core import names

TCVN3 = "tcvn3"
VNI = "vni"
VIQR = "viqr"
UNICODE = "unicode"
ENCODINGS = (TCVN3, VNI, VIQR)
#: Order of preference when two readings score the same.
CANDIDATES = (UNICODE, TCVN3, VNI, VIQR)

_BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
#: Tones in the order the tables below use: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_SET = frozenset(_TONE_MARKS[1:])


def _letter(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


#: The 134 precomposed Vietnamese letters that are not plain ASCII (67 lower, 67 upper).
LETTERS: tuple[str, ...] = tuple(
    sorted(
        {
            ch
            for base in _BASES
            for tone in range(6)
            for ch in (_letter(base, tone), _letter(base, tone).upper())
            if not ch.isascii()
        }
        | {"đ", "Đ"}
    )
)

# --- TCVN3 ----------------------------------------------------------------------------------
# One row per base vowel: the codes of [no tone, huyền, hỏi, ngã, sắc, nặng].
_TCVN3_ROWS = {
    "a": "aµ¶·¸¹",
    "ă": "¨»¼½¾Æ",
    "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ",
    "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä",
    "ô": "«åæçèé",
    "ơ": "¬êëìíî",
    "u": "uïñòóô",
    "ư": "\u00adõö÷øù",
    "y": "yúûüýþ",
}
_TCVN3_UPPER = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}


def _tcvn3_decode_table() -> dict[str, str]:
    table = {
        code: _letter(base, tone)
        for base, row in _TCVN3_ROWS.items()
        for tone, code in enumerate(row)
        if not code.isascii()
    }
    table["®"] = "đ"
    table.update({code: letter for letter, code in _TCVN3_UPPER.items()})
    return table


TCVN3_TO_UNICODE: dict[str, str] = _tcvn3_decode_table()
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}
_TCVN3_TRANS = str.maketrans(TCVN3_TO_UNICODE)

# --- VNI ------------------------------------------------------------------------------------
_VNI_TONES = ("", "ø", "û", "õ", "ù", "ï")  # after a e o u y ơ ư
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")  # â ê ô: base a/e/o + one of these
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")  # ă: base a + one of these
_VNI_I = ("i", "ì", "æ", "ó", "í", "ò")  # i has single codes
_VNI_Y_DOT = "î"  # ỵ is a single code; the other y tones follow the common marks


def _vni_code(base: str, tone: int) -> str:
    """The VNI lower-case code of one base vowel with one tone."""
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == 5:
        return _VNI_Y_DOT
    if base in ("â", "ê", "ô"):
        return {"â": "a", "ê": "e", "ô": "o"}[base] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    plain = {"ơ": "ô", "ư": "ö"}.get(base, base)
    return plain + _VNI_TONES[tone]


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for base in _BASES:
        for tone in range(6):
            letter = _letter(base, tone)
            if letter.isascii():
                continue
            code = _vni_code(base, tone)
            encode[letter] = code
            encode[letter.upper()] = code.upper()
    encode["đ"], encode["Đ"] = "ñ", "Ñ"
    decode: dict[str, str] = {}
    for letter, code in encode.items():
        decode[code] = letter
        if len(code) == 2:
            # The mark in the other case (text re-cased after typing: "VIEäT", "Nguyeãn").
            decode.setdefault(code[0] + code[1].swapcase(), letter)
    # A variant some fonts and converters use for ỵ.
    decode.setdefault("yï", "ỵ")
    decode.setdefault("YÏ", "Ỵ")
    decode.setdefault("Yï", "Ỵ")
    decode.setdefault("yÏ", "ỵ")
    return decode, encode


VNI_TO_UNICODE, UNICODE_TO_VNI = _vni_tables()
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=lambda k: (-len(k), k)))
)

# --- VIQR -----------------------------------------------------------------------------------
_VIQR_MODIFIERS = {
    ("a", "("): "ă",
    ("a", "^"): "â",
    ("e", "^"): "ê",
    ("o", "^"): "ô",
    ("o", "+"): "ơ",
    ("u", "+"): "ư",
}
_VIQR_TONES = {"`": 1, "?": 2, "~": 3, "'": 4, ".": 5}
_VIQR_TONE_CHARS = {v: k for k, v in _VIQR_TONES.items()}
_VIQR_MOD_CHARS = {v: k[1] for k, v in _VIQR_MODIFIERS.items()}
_VIQR_MARKS = frozenset("(^+`?~'.")
_VOWELS = frozenset("aeiouy")


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def decode_viqr(text: str) -> str:
    """VIQR (RFC 1456) to NFC Unicode. A ``?`` or ``.`` after the last vowel of a word is a tone
    unless escaped (``\\?``) or the word already carries a tone: then it is punctuation."""
    out: list[str] = []
    i, n = 0, len(text)
    word_has_tone = False
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and (text[i + 1] in _VIQR_MARKS or text[i + 1] in "dD\\"):
            out.append(text[i + 1])
            i += 2
            word_has_tone = False
            continue
        at_word_start = i == 0 or not _is_letter(text[i - 1])
        if ch in "dD" and at_word_start and i + 1 < n and text[i + 1] in "dD":
            out.append("đ" if ch == "d" else "Đ")
            i += 2
            word_has_tone = False
            continue
        if ch.lower() in _VOWELS:
            base = ch.lower()
            j = i + 1
            if j < n and (base, text[j]) in _VIQR_MODIFIERS:
                base = _VIQR_MODIFIERS[(base, text[j])]
                j += 1
            tone = 0
            ends_word = j + 1 >= n or not _is_letter(text[j + 1])
            if (
                j < n
                and text[j] in _VIQR_TONES
                and not (word_has_tone and text[j] in "?." and ends_word)
            ):
                tone = _VIQR_TONES[text[j]]
                j += 1
                word_has_tone = True
            letter = _letter(base, tone)
            out.append(letter.upper() if ch.isupper() else letter)
            i = j
            continue
        if not _is_letter(ch):
            word_has_tone = False
        out.append(ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def encode_viqr(text: str) -> str:
    """NFC Unicode to VIQR (the inverse of :func:`decode_viqr` for Vietnamese words)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            continue
        base, tone = _split_letter(ch)
        if base is None:
            out.append("\\" + ch if ch in _VIQR_MARKS or ch == "\\" else ch)
            continue
        lower = base.lower()
        plain = unicodedata.normalize("NFD", lower)[0]
        mark = _VIQR_MOD_CHARS.get(lower, "")
        piece = plain + mark + (_VIQR_TONE_CHARS.get(tone, "") if tone else "")
        out.append(piece.upper() if base.isupper() else piece)
    return "".join(out)


@lru_cache(maxsize=512)
def _split_letter(ch: str) -> tuple[str | None, int]:
    """``"ấ"`` → ``("â", 4)``; ``(None, 0)`` for a character that is not a Vietnamese vowel."""
    decomposed = unicodedata.normalize("NFD", ch)
    if not decomposed or decomposed[0].lower() not in _VOWELS:
        return None, 0
    tone = 0
    rest = ""
    for mark in decomposed[1:]:
        if mark in _TONE_SET:
            tone = _TONE_MARKS.index(mark)
        else:
            rest += mark
    base = unicodedata.normalize("NFC", decomposed[0] + rest)
    if base.lower() not in _BASES:
        return None, 0
    return base, tone


# --- decoding -------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+")
_TCVN3_LOWER_CODES = (
    "".join(sorted(code for code, letter in TCVN3_TO_UNICODE.items() if letter.islower()))
    .replace("\\", "\\\\")
    .replace("]", "\\]")
    .replace("^", "\\^")
    .replace("-", "\\-")
)
#: Where the case pass can change something: a word starting with a lower-case TCVN3 code, or
#: such a code next to a capital.
_CASE_MAY_CHANGE = re.compile(
    rf"(?<![\w\xa0-\xff])[{_TCVN3_LOWER_CODES}]|[A-Z][{_TCVN3_LOWER_CODES}]|"
    rf"[{_TCVN3_LOWER_CODES}][A-Z]"
)
#: A word of glyph text: letters and the legacy glyphs (TCVN3 codes are not all letters).
_GLYPH_WORD = re.compile(r"(?:[^\W\d_]|[\xa0-\xff])+")
_ASCII_UPPER = re.compile(r"[A-Z]")
_ASCII_LOWER = re.compile(r"[a-z]")


def _upper_where_capitals(glyphs: str, decoded: str) -> str:
    """TCVN3 has no capitals with tones. Where the plain letters show the text was in capitals
    (a ``.VnTimeH`` heading), write the decoded letters in capitals too; in a line of names or
    places (every other word capitalized) a word starting with a toned vowel gets its capital.
    ``decoded`` is ``glyphs`` translated character for character, so positions agree."""
    out = list(decoded)
    start = 0
    for line in glyphs.split("\n"):
        end = start + len(line)
        if not _CASE_MAY_CHANGE.search(line):
            start = end + 1
            continue
        uppers, lowers = len(_ASCII_UPPER.findall(line)), len(_ASCII_LOWER.findall(line))
        capital_words = sum(
            1 for w in _GLYPH_WORD.findall(line) if len(_ASCII_UPPER.findall(w)) >= 2
        )
        if uppers >= 3 and lowers == 0 and capital_words:
            out[start:end] = decoded[start:end].upper()
        else:
            words = [(start + m.start(), start + m.end()) for m in _GLYPH_WORD.finditer(line)]
            texts = [glyphs[a:b] for a, b in words]
            title = (
                len(words) > 1
                and all(w[0].isupper() or not w[0].isascii() for w in texts)
                and any(w[0].isascii() for w in texts)
            )
            for (a, b), word in zip(words, texts, strict=True):
                if len(_ASCII_UPPER.findall(word)) >= 2 and not _ASCII_LOWER.search(word):
                    out[a:b] = decoded[a:b].upper()
                elif title and not word[0].isascii() and decoded[a].islower():
                    out[a] = decoded[a].upper()
        start = end + 1
    return "".join(out)


def decode_tcvn3(text: str) -> str:
    decoded = text.translate(_TCVN3_TRANS)
    if not decoded.isascii():
        decoded = _upper_where_capitals(text, decoded)
    return unicodedata.normalize("NFC", decoded)


def decode_vni(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text))


def decode(text: str, encoding: str) -> str:
    """Legacy glyph text in ``encoding`` (or ``"unicode"``) to NFC Unicode."""
    if encoding == TCVN3:
        return decode_tcvn3(text)
    if encoding == VNI:
        return decode_vni(text)
    if encoding == VIQR:
        return decode_viqr(text)
    if encoding == UNICODE:
        return unicodedata.normalize("NFC", text)
    raise ValueError(encoding)


def encode(text: str, encoding: str) -> str:
    """NFC Unicode to the legacy glyph text (for tests, fixtures and benchmarks). TCVN3 has no
    capitals with tones: those are written with the lower-case codes, as the ``H`` fonts did."""
    text = unicodedata.normalize("NFC", text)
    if encoding == VIQR:
        return encode_viqr(text)
    if encoding == UNICODE:
        return text
    if encoding == VNI:
        return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text)
    if encoding == TCVN3:
        out = []
        for ch in text:
            code = UNICODE_TO_TCVN3.get(ch)
            if code is None and ch.isupper():
                code = UNICODE_TO_TCVN3.get(ch.lower())
            out.append(code if code is not None else ch)
        return "".join(out)
    raise ValueError(encoding)


def encode_bytes(text: str, encoding: str) -> bytes:
    """The legacy bytes an 8-bit program would have written (cp1252 single bytes)."""
    return encode(text, encoding).encode("cp1252")


def bytes_to_text(data: bytes) -> str:
    """Bytes of a file as text: UTF-16 when it starts with its BOM, UTF-8 (BOM dropped) when the
    bytes are valid UTF-8, else the legacy single bytes as their cp1252 glyphs (latin-1 for the
    five bytes cp1252 leaves undefined)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode" text saved by Windows
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").translate(_CP1252_C1)


#: Signatures of the files most often given by mistake, with the name the refusal shows.
_BINARY_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (.xls, .doc)"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
)
#: The C0 controls text files hold: tabs, line and page breaks, carriage return, and Ctrl-Z
#: (the end-of-file mark of DOS editors).
_TEXT_CONTROLS = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A)
_NOT_CONTROL = bytes(b for b in range(256) if b >= 0x20 or b in _TEXT_CONTROLS)


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text is (``"PDF"``, ``"PNG"``… or ``"binary"``); None for text.

    Legacy TCVN3/VNI bytes use the high half of the byte table but never NUL; neither does UTF-8
    text. UTF-16 text (which is full of NULs) is recognized by its byte-order mark. Text with
    more than 1 % of other control bytes is not text either.
    """
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in data:
        return "binary"
    controls = len(data.translate(None, _NOT_CONTROL))
    return "binary" if controls * 100 > len(data) else None


#: latin-1 C1 controls → the cp1252 characters of those bytes (the five holes stay as they are).
_CP1252_C1 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


# --- detection ------------------------------------------------------------------------------
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx]"
_NUCLEI = (
    "uyêu|uyê|uya|uyu|uôi|ươi|ươu|iêu|yêu|oai|oay|oao|oeo|uây|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|ưa|ưi|ưu|ươ|"
    "uy|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(rf"^(?:{_INITIALS})?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$")
#: Latin-1 letters that Vietnamese Unicode text uses; any other non-ASCII character from
#: U+0080-U+00FF is a legacy glyph left over.
_VIET_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
#: Letters only Unicode Vietnamese text holds (never produced by an 8-bit font).
_UNICODE_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")


def _common_words() -> frozenset[str]:
    """Syllables that old civil-status files are full of: the words of the commonest names
    and of addresses and register headings. A reading that yields them wins a tie."""
    words: set[str] = set()
    for table in (names.SURNAMES, names.MIDDLE_MALE, names.MIDDLE_FEMALE):
        words.update(w.lower() for entry, _weight in table for w in entry.split())
    for table in (names.GIVEN_MALE, names.GIVEN_FEMALE):
        words.update(w.lower() for entry, _weight in table for w in entry.split())
    words.update(
        [
            "xã",
            "phường",
            "thị",
            "trấn",
            "huyện",
            "quận",
            "tỉnh",
            "thành",
            "phố",
            "thôn",
            "xóm",
            "bản",
            "ấp",
            "tổ",
            "khối",
            "đường",
            "số",
            "nhà",
            "nghệ",
            "an",
            "vinh",
            "việt",
            "nam",
            "kinh",
            "nam",
            "nữ",
            "sinh",
            "ngày",
            "tháng",
            "năm",
            "chết",
            "khai",
            "tử",
            "hôn",
            "kết",
            "vợ",
            "chồng",
            "cha",
            "mẹ",
            "con",
            "họ",
            "tên",
            "chữ",
            "đệm",
            "dân",
            "tộc",
            "quốc",
            "tịch",
            "nơi",
            "cư",
            "trú",
            "quê",
            "quán",
            "giới",
            "tính",
            "người",
            "đăng",
            "ký",
            "sổ",
            "hộ",
            "tịch",
            "cộng",
            "hòa",
            "hoà",
            "hội",
            "chủ",
            "nghĩa",
            "độc",
            "lập",
            "tự",
            "do",
            "hạnh",
            "phúc",
            "ủy",
            "ban",
            "nhân",
            "diễn",
            "châu",
            "quỳnh",
            "lưu",
            "đô",
            "lương",
            "thanh",
            "chương",
            "nghi",
            "lộc",
            "hưng",
            "nguyên",
            "yên",
            "thành",
            "anh",
            "sơn",
            "tân",
            "kỳ",
            "quế",
            "phong",
            "con",
            "cuông",
            "tương",
            "dương",
            "hoàng",
            "mai",
            "thái",
            "hòa",
            "nghĩa",
            "đàn",
            "quỳ",
            "hợp",
        ]
    )
    return frozenset(words)


_COMMON = _common_words()


#: VIQR marks left inside a word ("Vie^.t", "Hoa`ng", "Nguye^~n").
_VIQR_LEFT = re.compile(r"(?<=[A-Za-z])[`^(+~]|(?<=[aeiouyAEIOUY])['?.](?=[A-Za-z])")


@lru_cache(maxsize=4096)
def _word_score(word: str) -> int:
    lower = word.lower()
    if lower in _COMMON:
        return 3
    if lower.isascii():
        return 1 if _SYLLABLE.match(lower) else 0
    decomposed = unicodedata.normalize("NFD", lower)
    tones = sum(1 for c in decomposed if c in _TONE_SET)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_SET))
    if tones <= 1 and _SYLLABLE.match(base):
        return 2  # a word with Vietnamese letters that is a real syllable
    return -2


def score(text: str) -> int:
    """How Vietnamese a reading looks: syllables count for it, stray glyphs and impossible
    words against it."""
    total = sum(_word_score(w) for w in _WORD.findall(text))
    stray = sum(1 for c in text if "\x80" <= c <= "\xff" and c not in _VIET_LATIN1)
    stray += len(_VIQR_LEFT.findall(text))
    return total - 3 * stray


#: Detection reads at most this many characters (whole lines) of a long text.
DETECT_SAMPLE = 65_536


def detect(text: str) -> str:
    """The encoding ``text`` (glyph text) is most likely in: one of :data:`CANDIDATES`."""
    if len(text) > DETECT_SAMPLE:
        cut = text.rfind("\n", 0, DETECT_SAMPLE)
        text = text[: cut if cut > 0 else DETECT_SAMPLE]
    if _UNICODE_ONLY.search(text):
        return UNICODE
    best, best_score = UNICODE, score(text)
    for encoding in ENCODINGS:
        if encoding == VIQR and not any(c in _VIQR_MARKS for c in text):
            continue
        if encoding != VIQR and text.isascii():
            continue
        candidate = score(decode(text, encoding))
        if candidate > best_score:
            best, best_score = encoding, candidate
    return best


def detect_many(texts: Iterable[str]) -> str:
    """One encoding for several texts (a spreadsheet column): detected on them together."""
    return detect("\n".join(t for t in texts if t))


def decode_auto(text: str) -> tuple[str, str]:
    """Detect and decode: ``(unicode_text, encoding)``."""
    encoding = detect(text)
    return decode(text, encoding), encoding


def decode_bytes(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Bytes of a file (legacy single bytes or UTF-8 glyph text) to ``(NFC text, encoding)``."""
    text = bytes_to_text(data)
    if encoding == "auto":
        return decode_auto(text)
    return decode(text, encoding), encoding


#: Characters no Vietnamese text in any of the four encodings leaves after decoding.
_UNREADABLE = re.compile(
    "[€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]"
)


def unreadable(text: str) -> bool:
    """Whether decoded text still looks like a wrong reading: more than a tenth of its
    non-space characters are control characters, replacement marks, letters of other scripts
    or legacy glyphs no table explains, or most of its words with marks are no Vietnamese
    syllable (a file in another code page read as cp1252)."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    bad = len(_UNREADABLE.findall(text)) + sum(
        1 for c in visible if "\xa0" <= c <= "\xff" and c not in _VIET_LATIN1
    )
    if bad >= 3 and bad * 10 > len(visible):
        return True
    marked = [w for w in _GLYPH_WORD.findall(text) if not w.isascii()]
    wrong = sum(1 for w in marked if _word_score(w) < 0 or not _WORD.fullmatch(w))
    return wrong >= 3 and wrong * 2 > len(marked)
