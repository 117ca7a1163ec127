"""Property tests (hypothesis), bounded for CI: the loader, the manifest reader and the value parsers
never raise anything but their documented errors, whatever bytes or text they are given."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from extractors.normalize import (
    parse_amount,
    parse_date,
    parse_date_range,
    parse_upper_amount,
    parse_year_month,
    to_upper_amount,
)
from intake.reasons import MESSAGES, Code
from intake.settings import InputLimits
from interfaces.manifest import ManifestError, decode_manifest, parse_manifest
from ocr.loader import InputError, load_pages, sniff

# Small limits keep a random header that claims a huge page from costing anything but the check.
LIMITS = InputLimits(max_page_pixels=4_000_000, max_file_pixels=8_000_000, max_pages=20, render_dpi=72)
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAGICS = [b"%PDF-1.4\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM"]


def _image(fmt: str, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (64, 48), "white" if mode != "1" else 1).save(buf, fmt)
    return buf.getvalue()


def _pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
        b"<< /Length 24 >>\nstream\n10 10 100 50 re f\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return body + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


VALID = [_image("PNG"), _image("JPEG"), _image("TIFF"), _image("BMP"), _image("PNG", "1"), _pdf()]


def _loads_or_refuses(data: bytes) -> None:
    try:
        pages = load_pages(data, LIMITS)
    except InputError as exc:
        assert exc.code in MESSAGES
        return
    assert pages and all(p.image.ndim == 3 and p.image.shape[2] == 3 for p in pages)


@BOUNDED
@given(magic=st.sampled_from(MAGICS), body=st.binary(max_size=4096))
def test_magic_numbers_over_random_bodies(magic: bytes, body: bytes) -> None:
    assert sniff(magic + body) is not None
    _loads_or_refuses(magic + body)


@BOUNDED
@given(valid=st.sampled_from(VALID), data=st.data())
def test_truncated_and_damaged_files(valid: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(valid)))
    damaged = bytearray(valid[:cut])
    for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
        if damaged:
            index = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
            damaged[index] = data.draw(st.integers(min_value=0, max_value=255))
    _loads_or_refuses(bytes(damaged))


@BOUNDED
@given(st.binary(max_size=2048))
def test_any_bytes_load_or_get_a_code(data: bytes) -> None:
    _loads_or_refuses(data)


@BOUNDED
@given(st.binary(max_size=2048))
def test_manifest_bytes(data: bytes) -> None:
    try:
        parse_manifest(decode_manifest(data))
    except ManifestError as exc:
        assert "\n" not in str(exc)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.dates())
_CASE = st.fixed_dictionaries(
    {},
    optional={
        "case_id": _SCALARS,
        "item": _SCALARS,
        "region": _SCALARS,
        "agent": _SCALARS,
        "options": st.one_of(_SCALARS, st.dictionaries(st.text(max_size=5), _SCALARS, max_size=3)),
        "case_date": _SCALARS,
        "files": st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3)),
        "surprise": _SCALARS,
    },
)


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(
        _SCALARS,
        st.lists(_CASE, max_size=3),
        st.dictionaries(st.sampled_from(["cases", "x"]), st.lists(_CASE, max_size=3)),
    )
)
def test_manifest_structures(content: object) -> None:
    import yaml

    try:
        cases = parse_manifest(yaml.safe_dump(content if not isinstance(content, list) else {"cases": content}))
    except ManifestError:
        return
    assert all(isinstance(c.case_id, str) and isinstance(c.files, list) for c in cases)


@BOUNDED
@given(st.text(max_size=40))
def test_date_parsers(text: str) -> None:
    assert parse_date(text) is None or isinstance(parse_date(text), dt.date)
    parse_year_month(text)
    parse_date_range(text)


@BOUNDED
@given(st.text(alphabet=st.sampled_from("0123456789０１２年月日-/. 长期"), max_size=30))
def test_date_parsers_on_date_like_text(text: str) -> None:
    parse_date(text)
    parse_year_month(text)
    parse_date_range(text)


@BOUNDED
@given(st.one_of(st.text(max_size=40), st.text(alphabet=st.sampled_from("0123456789,.-¥￥元 １２"), max_size=40)))
def test_amount_parser(text: str) -> None:
    value = parse_amount(text)
    assert value is None or value == value.quantize(Decimal("0.01"))


@BOUNDED
@given(st.text(alphabet=st.sampled_from("零壹贰叁肆伍陆柒捌玖两拾佰仟万亿元圆角分整正人民币⊗"), max_size=30))
def test_upper_amount_parser(text: str) -> None:
    value = parse_upper_amount(text)
    assert value is None or value >= 0


@BOUNDED
@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_upper_amount_round_trip(amount: Decimal) -> None:
    assert parse_upper_amount(to_upper_amount(amount)) == amount


def test_every_loader_code_has_a_message() -> None:
    assert all(code in MESSAGES for code in Code)
