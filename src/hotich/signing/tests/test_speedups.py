"""The replacements give what the originals give: the hex-string and name readers the same
objects as pyHanko's, leaving the stream where pyHanko's leave it; X.509 name keys the same
value as asn1crypto's."""

from __future__ import annotations

import io

import pytest
from asn1crypto import x509
from hypothesis import given
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfReadError

from hotich.signing import speedups

WHITESPACE = st.sampled_from([b"", b" ", b"\n", b"\r\n", b"\t", b"\x0c", b"\x00"])


def _both(reader_ours, reader_theirs, data: bytes) -> tuple[object, object]:
    """(result or exception type, position after) for each reader."""
    out = []
    for reader in (reader_ours, reader_theirs):
        stream = io.BytesIO(data)
        try:
            result: object = reader(stream)
            out.append((type(result), result, stream.tell()))
        except PdfReadError as exc:
            out.append((type(exc), None, None))
    return out[0], out[1]


@st.composite
def hex_strings(draw: st.DrawFn) -> bytes:
    raw = draw(st.binary(max_size=300)).hex()
    if draw(st.booleans()):
        raw = raw.upper()
    if raw and draw(st.booleans()):
        raw = raw[:-1]  # an odd number of digits: the last one is padded with 0
    parts = [draw(WHITESPACE) + c.encode() for c in raw]
    return (
        b"<" + b"".join(parts) + draw(WHITESPACE) + b">" + draw(st.sampled_from([b"", b" /Next"]))
    )


@given(hex_strings())
def test_hex_strings_read_as_pyhanko_reads_them(data: bytes) -> None:
    ours, theirs = _both(speedups.read_hex_string, speedups._pyhanko_reader, data)
    assert ours == theirs


@pytest.mark.parametrize(
    "data",
    [
        b"<41 % a comment\n42>",  # comments go to pyHanko's reader
        b"<41G2>",  # a stray character: refused as pyHanko refuses it
        b"<4142",  # no closing bracket
        b"<" + b"0" * 200_000 + b">",  # longer than one slice
    ],
)
def test_unusual_hex_strings_behave_as_in_pyhanko(data: bytes) -> None:
    ours, theirs = _both(speedups.read_hex_string, speedups._pyhanko_reader, data)
    assert ours == theirs


@given(
    st.lists(
        st.one_of(
            st.sampled_from(list(b"AZaz09-+._*!~")).map(lambda b: bytes([b])),
            st.integers(0, 255).map(lambda b: f"#{b:02X}".encode()),
            st.sampled_from([b"#", b"(", b"\x7f", b"\xc3\xa1"]),
        ),
        max_size=20,
    ).map(b"".join)
)
def test_names_decode_as_in_pyhanko(name: bytes) -> None:
    results = []
    for decode in (speedups.decode_name, speedups._pyhanko_decode_name):
        try:
            value = decode(name)
            results.append((type(value), value))
        except PdfReadError as exc:
            results.append((type(exc), None))
    assert results[0] == results[1]


def test_the_readers_are_installed() -> None:
    assert generic.read_hex_string_from_stream is speedups.read_hex_string
    assert generic._decode_name is speedups.decode_name
    assert generic.read_object(io.BytesIO(b"<4869>"), None) == "Hi"
    assert generic.read_object(io.BytesIO(b"/Na#20me"), None) == "/Na me"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["common_name", "organization_name", "organizational_unit_name"]),
            st.text(min_size=1, max_size=30).filter(lambda v: v.strip()),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_name_keys_are_asn1cryptos(attributes: list[tuple[str, str]]) -> None:
    name = x509.Name.build(dict(attributes))
    outcomes = []
    for key in (speedups.name_hashable, speedups._asn1crypto_name_hashable.fget):
        try:  # names asn1crypto refuses (private use, unassigned code points) are refused alike
            outcomes.append(key(x509.Name.load(name.dump())))
        except ValueError as exc:
            outcomes.append(type(exc))
    assert outcomes[0] == outcomes[1]
    assert x509.Name.hashable.fget is speedups.name_hashable
