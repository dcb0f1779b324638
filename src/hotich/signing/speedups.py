"""Three replacements in pyHanko's and asn1crypto's pure-Python paths, installed at start-up
by the signing app (ADR 7). Each gives exactly what the original gives (tests compare them).

- PDF hex strings and names: pyHanko reads both one byte at a time. A signature's ``/Contents``
  is a hex string of 16,384 digits, most of them the zero padding of the reserved container:
  reading the two signatures of an extract was 40 % of its verification, and decoding names (a
  few hundred per document) another tenth. These readers take the common case in one step (a
  slice decoded by ``binascii``; a name without escapes taken as it is) and hand anything else
  (a comment, an escape, a stray character, a file cut short) to pyHanko's own reader, which
  reads or refuses it exactly as before.
- X.509 names: path building and validation key certificates by ``Name.hashable``, the name
  prepared by LDAP string preparation attribute by attribute (RFC 4518), which asn1crypto
  computes again for every certificate object, and every verification parses the certificates
  afresh: a tenth of a verification. The value depends only on the name's encoding, so it is
  kept per encoding (a bounded cache).
"""

from __future__ import annotations

import binascii
import functools
import os
from typing import IO, Any, cast

from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

HEX_DIGITS = b"0123456789abcdefABCDEF"
# Bytes a name may hold without an escape: printable ASCII but "#" and the delimiters.
PLAIN_NAME_BYTES = bytes(b for b in range(0x21, 0x7F) if b not in b"#()<>[]{}/%")
CHUNK = 65536

_pyhanko_reader = generic.read_hex_string_from_stream
_pyhanko_decode_name = generic._decode_name
_asn1crypto_name_hashable = x509.Name.hashable


def read_hex_string(stream: IO[bytes]) -> Any:
    """Read ``<…>`` at the stream's position into a PDF string, as pyHanko's reader does."""
    start = stream.tell()
    stream.read(1)  # the opening "<"
    chunks = []
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:  # no closing ">": pyHanko's reader reports it
            stream.seek(start)
            return _pyhanko_reader(stream)
        end = chunk.find(b">")
        if end >= 0:
            chunks.append(chunk[:end])
            stream.seek(end + 1 - len(chunk), os.SEEK_CUR)
            break
        chunks.append(chunk)
    digits = b"".join(chunks).translate(None, PDF_WHITESPACE)
    if digits.translate(None, HEX_DIGITS):  # a comment or a stray character
        stream.seek(start)
        return _pyhanko_reader(stream)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def decode_name(name_bytes: bytes) -> Any:
    """The name object of ``name_bytes`` (what follows the "/"), as pyHanko decodes it."""
    if name_bytes.translate(None, PLAIN_NAME_BYTES):  # an escape or a byte to refuse
        return _pyhanko_decode_name(name_bytes)
    return generic.NameObject("/" + name_bytes.decode("ascii"))


@functools.lru_cache(maxsize=4096)
def _hashable(name_der: bytes) -> str:
    return cast(str, _asn1crypto_name_hashable.fget(x509.Name.load(name_der)))


def name_hashable(name: x509.Name) -> str:
    """``name.hashable``, computed once per encoding."""
    return _hashable(name.dump())


def install() -> None:
    """Put these in place of the originals (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string
    generic._decode_name = decode_name
    x509.Name.hashable = property(name_hashable)
