"""A corpus of bad inputs, made at test time: each kind gets its stable code and Chinese message, its
original is archived (links and devices excepted, they are never read), and the rest of the case or
batch is read.

Three levels: every kind through the loader and the quality gate (fast); every file kind together in
one real case flow with the real S3 server (archive, error documents, the good file read); links,
pipes, devices and manifest paths through the CLI's batch command (a subprocess, ~30 s).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from intake.models import Document
from intake.reasons import MESSAGES, Code
from intake.requests import CaseRequest, CaseResult, InputRef
from intake.settings import InputLimits, PreprocessSettings
from ocr.loader import InputError, load_pages, read_input_file
from ocr.preprocess import assess_quality
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
REAL_SAMPLES = ROOT.parent / "shared" / "real-samples"
LIMITS = InputLimits()
PREPROCESS = PreprocessSettings()
SCAN = ROOT / "samples" / "documents" / "social_security_card_scan.jpg"
GOOD = REAL_SAMPLES / "id_card_01.png"


# --- makers: each returns the file's bytes -------------------------------------------------------------


def _pdf_objects(objects: list[bytes], xref_ok: bool = True) -> bytes:
    """A minimal PDF from its objects (1: catalog, 2: page tree, …), with a correct or garbled xref."""
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{(o if xref_ok else o * 7 + 3):010d} 00000 n \n".encode() for o in offsets)
    return body + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _blank_pdf(pages: int, width: float, height: float) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    page = f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] >>".encode()
    return _pdf_objects(
        [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
        + [page] * pages
    )


def _text_pdf(extra_catalog: bytes = b"", xref_ok: bool = True) -> bytes:
    text = b"BT /F1 14 Tf 40 760 Td (Zhejiang medical invoice 0012345678 total 1234.56 yuan) Tj ET"
    return _pdf_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(text)} >>\nstream\n".encode() + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        xref_ok,
    )


def _reportlab_pdf(encrypt: str | None = None) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    c.drawString(72, 700, "Zhejiang medical invoice 0012345678 total 1234.56")
    c.rect(72, 500, 300, 100, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _save(img: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def _scan() -> Image.Image:
    return Image.open(SCAN).convert("L")


def _grey16_png() -> bytes:
    grey = np.asarray(_scan()).astype(np.uint16) * 257  # the full 16-bit range, as a 16-bit scanner writes it
    return _save(Image.fromarray(grey), "PNG")


def _palette_alpha_png() -> bytes:
    """Ink opaque, paper transparent with black underneath (how many tools export a 'transparent scan')."""
    grey = np.asarray(_scan())
    alpha = np.where(grey < 200, 255, 0).astype(np.uint8)
    ink = np.where(alpha > 0, grey, 0).astype(np.uint8)
    rgba = Image.fromarray(np.dstack([ink, ink, ink, alpha]), "RGBA")
    return _save(rgba.quantize(colors=64, method=Image.Quantize.FASTOCTREE), "PNG")


def _huge_png(side: int = 30_000) -> bytes:
    """A real, decodable 30000 × 30000 PNG bomb (1-bit white, ~110 KB): 900 MP once decoded."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return len(payload).to_bytes(4, "big") + kind + payload + zlib.crc32(kind + payload).to_bytes(4, "big")

    row = b"\x00" + b"\xff" * (side // 8)
    squeeze = zlib.compressobj(9)
    data = b"".join(squeeze.compress(row * 1000) for _ in range(side // 1000)) + squeeze.flush()
    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _multi_frame_tiff(frames: int) -> bytes:
    first, *rest = [Image.new("L", (8, 8), 255) for _ in range(frames)]
    return _save(first, "TIFF", save_all=True, append_images=rest)


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + bytes(200)


def _zip() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("invoice.jpg", b"not really")
    return buf.getvalue()


@dataclass(frozen=True)
class Kind:
    name: str
    file: str  # the name it is submitted under
    make: Callable[[], bytes]
    code: Code | None  # None: read without an error

    @property
    def data(self) -> bytes:
        return _made(self.name)


_CACHE: dict[str, bytes] = {}


def _made(name: str) -> bytes:
    if name not in _CACHE:
        _CACHE[name] = KINDS_BY_NAME[name].make()
    return _CACHE[name]


def _white(n: int) -> bytes:
    return _save(Image.new("L", (600 + n, 800), 255), "PNG")


def _good() -> bytes:
    return GOOD.read_bytes()


KINDS = [
    Kind("empty", "empty.jpg", lambda: b"", Code.file_empty),
    Kind("text-as-pdf", "notes.pdf", lambda: "这是一段文字，不是文件".encode(), Code.file_unsupported),
    Kind("zip-as-jpg", "archive.jpg", _zip, Code.file_unsupported),
    Kind(
        "html-as-png",
        "page.png",
        lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        Code.file_unsupported,
    ),
    Kind("elf-as-pdf", "program.pdf", _elf, Code.file_unsupported),
    Kind("truncated-jpeg", "cut.jpg", lambda: SCAN.read_bytes()[:3000], Code.file_unreadable),
    Kind("truncated-png", "cut.png", lambda: _save(_scan(), "PNG")[:5000], Code.file_unreadable),
    Kind("truncated-tiff", "cut.tif", lambda: _save(_scan(), "TIFF")[:5000], Code.file_unreadable),
    Kind("truncated-bmp", "cut.bmp", lambda: _save(_scan(), "BMP")[:5000], Code.file_unreadable),
    Kind("truncated-pdf", "cut.pdf", lambda: _reportlab_pdf()[:300], Code.file_unreadable),
    Kind("header-only-jpeg", "header.jpg", lambda: b"\xff\xd8\xff\xe0" + bytes(12), Code.file_unreadable),
    Kind("encrypted-pdf", "locked.pdf", lambda: _reportlab_pdf(encrypt="secret"), Code.file_encrypted),
    Kind("corrupt-xref-pdf", "xref.pdf", lambda: _text_pdf(xref_ok=False), None),  # pdfium rebuilds the xref
    Kind(
        "javascript-pdf",
        "script.pdf",
        lambda: _text_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert('x');) >>"),
        None,  # read for its text; the script is never run (no form environment)
    ),
    Kind("pdf-no-pages", "nopages.pdf", lambda: _blank_pdf(0, 595, 842), Code.file_unreadable),  # pdfium refuses it
    Kind("pdf-500-pages", "long.pdf", lambda: _blank_pdf(500, 595, 842), Code.too_many_pages),
    Kind("pdf-45-huge-pages", "bomb45.pdf", lambda: _blank_pdf(45, 14400, 14400), Code.file_too_large),
    # 339 bytes, one 200-inch page: rendered at a lower scale (40 MP), then found blank.
    Kind("pdf-one-huge-page", "bomb1.pdf", lambda: _blank_pdf(1, 14400, 14400), Code.page_blank),
    Kind("pdf-zero-size-page", "flat.pdf", lambda: _blank_pdf(1, 0, 0), Code.page_blank),  # pdfium makes it Letter
    Kind("png-30000-square", "bomb.png", _huge_png, Code.page_too_large),
    Kind("tiff-300-frames", "frames.tif", lambda: _multi_frame_tiff(300), Code.too_many_pages),
    Kind("oversized-bytes", "big.pdf", lambda: b"%PDF-1.4\n" + bytes(LIMITS.max_file_bytes), Code.file_too_large),
    Kind("image-1x1", "dot.png", lambda: _save(Image.new("RGB", (1, 1), "white"), "PNG"), Code.image_too_small),
    Kind("all-white", "white.png", lambda: _save(Image.new("L", (1654, 2339), 255), "PNG"), Code.page_blank),
    Kind("all-black", "black.jpg", lambda: _save(Image.new("RGB", (1654, 2339), "black"), "JPEG"), Code.page_blank),
    Kind("grey-16-bit-png", "scan16.png", _grey16_png, None),
    Kind("cmyk-jpeg", "cmyk.jpg", lambda: _save(Image.open(SCAN).convert("CMYK"), "JPEG", quality=90), None),
    Kind("palette-alpha-png", "transparent.png", _palette_alpha_png, None),
    # Odd names, each on a page of its own size (distinct bytes: the flow stores one original per content).
    Kind("name-with-spaces", "身份证 正面 copy.png", lambda: _white(1), Code.page_blank),
    Kind("name-with-newline", "id\ncard.png", lambda: _white(2), Code.page_blank),
    Kind("name-chinese", "参保人身份证.png", lambda: _white(3), Code.page_blank),
    Kind("name-with-dots", "..身份证..png", lambda: _white(4), Code.page_blank),
    Kind("name-240-bytes", "证" * 78 + ".png", lambda: _white(5), Code.page_blank),  # 238 bytes: ext4 takes 255
]
KINDS_BY_NAME = {k.name: k for k in KINDS}


def _outcome(data: bytes) -> tuple[Code | None, list[np.ndarray]]:
    """The loader's code, else the quality gate's first issue on any page (None: a readable page)."""
    try:
        pages = load_pages(data, LIMITS)
    except InputError as exc:
        return exc.code, []
    for page in pages:
        if page.has_text_layer:
            continue
        issues = assess_quality(page.image, PREPROCESS).issues
        if issues:
            return Code(issues[0]), [p.image for p in pages]
    return None, [p.image for p in pages]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_loader_and_quality_gate(kind: Kind, tmp_path: Path) -> None:
    """GIVEN a file of one bad kind on disk WHEN it is read from its path and loaded THEN it gets its code
    (or reads without one) and no other exception."""
    path = tmp_path / kind.file
    path.write_bytes(kind.data)
    code, images = _outcome(read_input_file(path))
    assert code == kind.code
    if code is not None:
        assert MESSAGES[code]
    if kind.name in {"grey-16-bit-png", "cmyk-jpeg", "palette-alpha-png"}:
        grey = np.asarray(_scan(), dtype=np.float32)
        loaded = images[0].mean(axis=2)
        # Like the 8-bit scan it was made from: not white (16-bit clipped), not black (alpha dropped).
        assert abs(float(loaded.mean()) - float(grey.mean())) < 12
        assert float(np.abs(loaded - grey).mean()) < 12


def test_16_bit_grey_scales_not_clips() -> None:
    ramp = (np.arange(256, dtype=np.uint16) * 257).reshape(16, 16)
    image = load_pages(_save(Image.fromarray(ramp), "PNG"), LIMITS)[0].image
    assert image[:, :, 0].ravel().tolist() == list(range(256))


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda path: path.symlink_to("/etc/passwd"), Code.file_symlink),
        (lambda path: path.symlink_to("/dev/zero"), Code.file_symlink),
        (lambda path: os.mkfifo(path), Code.file_not_regular),
    ],
    ids=["symlink-to-passwd", "symlink-to-dev-zero", "fifo"],
)
def test_links_and_pipes_are_never_opened(make: Callable[[Path], None], code: Code, tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    make(path)
    with pytest.raises(InputError) as info:
        read_input_file(path)  # a FIFO would block here forever if it were opened for reading
    assert info.value.code is code


# --- one real case flow with every file kind -------------------------------------------------------------

FLOW_KINDS = [k for k in KINDS if k.name != "oversized-bytes"]  # 50 MB through S3 adds time, not coverage


@pytest.fixture(scope="module")
def corpus_case(
    cli_env: dict[str, str], object_store_for_cli: ObjectStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[CaseResult, ObjectStore, dict[str, bytes]]]:
    from flows.case_flow import process_case

    folder = tmp_path_factory.mktemp("corpus")
    files = {"good.png": _good()} | {k.file: k.data for k in FLOW_KINDS}
    refs = []
    for n, (name, data) in enumerate(files.items()):
        path = folder / f"{n:02d}" / name
        path.parent.mkdir()
        path.write_bytes(data)
        refs.append(InputRef(source=name, path=str(path)))
    request = CaseRequest(item="住院费用报销", case_date=dt.date(2021, 4, 1), files=refs)
    with pytest.MonkeyPatch.context() as env:
        for name in ("INTAKE_S3_ENDPOINT", "INTAKE_S3_BUCKET", "INTAKE_S3_ACCESS_KEY", "INTAKE_S3_SECRET_KEY"):
            env.setenv(name, cli_env[name])
        yield process_case(request), object_store_for_cli, files


def _documents(result: CaseResult, source: str) -> list[Document]:
    return [d for d in result.case.documents if d.source == source]


@pytest.mark.parametrize("kind", FLOW_KINDS, ids=[k.name for k in FLOW_KINDS])
def test_case_flow_codes_archives_and_goes_on(
    kind: Kind, corpus_case: tuple[CaseResult, ObjectStore, dict[str, bytes]]
) -> None:
    """GIVEN one case holding a good ID card and every bad kind WHEN the case flow runs THEN this kind's
    document carries its code with the Chinese message, its original is archived byte-identical, and
    the good file is read."""
    result, store, files = corpus_case
    docs = _documents(result, kind.file)
    assert docs, kind.file
    errors = [e for d in docs for e in d.errors]
    if kind.code is None:
        assert errors == []
    else:
        assert errors[0].code == kind.code.value  # the cause; a 1 × 1 image is also too bright, say
        assert errors[0].message.startswith(MESSAGES[kind.code])
        assert Code.image_blurred.value not in [e.code for e in errors]
    digest = hashlib.sha256(files[kind.file]).hexdigest()
    stored = [o for o in result.originals if o.sha256 == digest]
    assert stored and store.get_bytes(stored[0].key) == files[kind.file]
    good = _documents(result, "good.png")
    assert good and good[0].doc_type.value == "id_card" and not good[0].errors


# --- through the CLI: links, pipes, devices, manifest paths; bad files among good ones -----------------


def _cli(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interfaces.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def test_batch_refuses_links_devices_and_escaping_paths(
    cli_env: dict[str, str], object_store_for_cli: ObjectStore, tmp_path: Path
) -> None:
    """GIVEN a batch whose GBK manifest names a link to /etc/passwd, a link to /dev/zero, a FIFO,
    /etc/hostname and ../other/…, next to a good file, in two cases WHEN `intake batch` runs THEN each is
    refused with its code and message and never archived, and both cases are read (exit 0, no traceback)."""
    root = tmp_path / "batch"
    (root / "甲").mkdir(parents=True)
    (root / "乙").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "secret.png").write_bytes(_good()[:-10])
    (root / "甲" / "身份证.png").write_bytes(_good())
    (root / "乙" / "white.png").write_bytes(_made("all-white"))
    (root / "甲" / "x.jpg").symlink_to("/etc/passwd")
    (root / "甲" / "zero.jpg").symlink_to("/dev/zero")
    os.mkfifo(root / "甲" / "pipe.png")
    manifest = (
        "cases:\n"
        "  - case_id: 案件甲\n    item: 住院费用报销\n    case_date: 2021-04-01\n    files:\n"
        "      - 甲/身份证.png\n      - 甲/x.jpg\n      - 甲/zero.jpg\n      - 甲/pipe.png\n"
        "      - /etc/hostname\n      - ../other/secret.png\n"
        "  - case_id: 案件乙\n    item: 住院费用报销\n    files: [乙/white.png]\n"
    )
    (root / "manifest.yaml").write_bytes(manifest.encode("gbk"))
    run = _cli(["batch", str(root), "--manifest", str(root / "manifest.yaml"), "--json"], cli_env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    # A batch case id is the manifest's name with the batch's digest after its last dash; a refused file
    # names its case as the report does.
    case_ids = {c["case_id"] for c in report["cases"]}
    assert {r["case_id"] for r in report["refused"]} <= case_ids
    refused = {r["source"]: (r["case_id"].rsplit("-", 1)[0], r["code"], r["message"]) for r in report["refused"]}
    expected = {
        "甲/x.jpg": Code.file_symlink,
        "甲/zero.jpg": Code.file_symlink,
        "甲/pipe.png": Code.file_not_regular,
        "/etc/hostname": Code.path_outside_batch,
        "../other/secret.png": Code.path_outside_batch,
    }
    assert refused == {name: ("案件甲", code.value, MESSAGES[code]) for name, code in expected.items()}
    cases = {c["case_id"].rsplit("-", 1)[0]: c for c in report["cases"]}
    assert [d["doc_type"] for d in cases["案件甲"]["documents"]] == ["id_card"]
    assert [e["code"] for d in cases["案件乙"]["documents"] for e in d["errors"]] == ["page_blank"]
    archived = {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "甲" / "身份证.png", root / "乙" / "white.png")
    }
    kept = {key.rsplit("/", 1)[-1].split(".")[0] for key in object_store_for_cli.list_keys("originals/")}
    assert archived <= kept
    for secret in (Path("/etc/passwd"), Path("/etc/hostname"), tmp_path / "other" / "secret.png"):
        assert hashlib.sha256(secret.read_bytes()).hexdigest() not in kept


def test_classify_reports_bad_files_and_goes_on(cli_env: dict[str, str], tmp_path: Path) -> None:
    """GIVEN a folder with a good ID card, a truncated PNG, a link and a FIFO WHEN `intake classify` runs THEN
    every file has a row (the bad ones with their codes), the good one is classified, exit 0."""
    (tmp_path / "good.png").write_bytes(_good())
    (tmp_path / "cut.png").write_bytes(_made("truncated-png"))
    (tmp_path / "x.jpg").symlink_to("/etc/passwd")
    os.mkfifo(tmp_path / "pipe.jpg")
    run = _cli(["classify", str(tmp_path), "--json"], cli_env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    rows = {Path(r["source"]).name: r for r in json.loads(run.stdout)}
    assert rows["good.png"]["doc_type"] == "id_card" and rows["good.png"]["error"] is None
    for name, code in (
        ("cut.png", Code.file_unreadable),
        ("x.jpg", Code.file_symlink),
        ("pipe.jpg", Code.file_not_regular),
    ):
        assert rows[name]["error"] == {"code": code.value, "message": MESSAGES[code]}


def test_ocr_reports_bad_files_and_goes_on(cli_env: dict[str, str], tmp_path: Path) -> None:
    """GIVEN a folder with a good ID card, an encrypted PDF and a link WHEN `intake ocr` prints text THEN
    the bad files are lines with their codes and messages and the good one is read, exit 0."""
    (tmp_path / "good.png").write_bytes(_good())
    (tmp_path / "locked.pdf").write_bytes(_made("encrypted-pdf"))
    (tmp_path / "x.jpg").symlink_to("/etc/passwd")
    run = _cli(["ocr", str(tmp_path)], cli_env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    out = run.stdout
    assert f"[file_encrypted] {MESSAGES[Code.file_encrypted]}" in out
    assert f"[file_symlink] {MESSAGES[Code.file_symlink]}" in out
    assert f"== {tmp_path / 'good.png'} 第1页" in out and "root:" not in out


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        ("cases:\n  - {case_id: a, item: 不存在的事项, files: []}\n".encode(), "a"),
        ("cases: []\n".encode("utf-16"), "UTF-8"),
        (b"cases: [", "YAML"),
    ],
    ids=["unknown-item", "utf-16", "broken-yaml"],
)
def test_bad_manifest_exits_2_with_one_line(
    manifest: bytes, words: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "m.yaml").write_bytes(manifest)
    run = _cli(["batch", str(tmp_path), "--manifest", str(tmp_path / "m.yaml")], cli_env)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and words in run.stderr and "Traceback" not in run.stderr


# --- memory: the nasty files under an address-space limit ----------------------------------------------

CEILING = 2 * 1024**3  # address space, which runs above resident memory (libraries mapped, thread arenas)

_UNDER_LIMIT = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({ceiling}, {ceiling}))
from intake.settings import InputLimits
from ocr.loader import InputError, load_pages
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        pages = load_pages(path.read_bytes(), InputLimits())
        print(path.name, "pages", len(pages), sum(p.image.nbytes for p in pages) // 2**20, "MB", flush=True)
    except InputError as exc:
        print(path.name, "code", exc.code.value, flush=True)
"""


def test_nasty_files_load_within_the_memory_ceiling(tmp_path: Path) -> None:
    """GIVEN the decompression bombs, the page-size bombs and the largest file the limits let through
    (8 A0 pages: held at 300 MP) WHEN loaded in a process limited to 2 GB of address space THEN every
    one ends with pages or an InputError code: no MemoryError, no kill."""
    for kind in ("pdf-45-huge-pages", "pdf-one-huge-page", "png-30000-square", "pdf-500-pages"):
        (tmp_path / KINDS_BY_NAME[kind].file).write_bytes(_made(kind))
    (tmp_path / "a0x8.pdf").write_bytes(_blank_pdf(8, 2384, 3370))
    run = subprocess.run(
        [sys.executable, "-c", _UNDER_LIMIT.format(ceiling=CEILING), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert lines == {
        "a0x8.pdf": lines["a0x8.pdf"],
        "bomb1.pdf": lines["bomb1.pdf"],
        "bomb45.pdf": "code file_too_large",
        "bomb.png": "code page_too_large",
        "long.pdf": "code too_many_pages",
    }
    assert lines["a0x8.pdf"].startswith("pages 8 ") and lines["bomb1.pdf"].startswith("pages 1 ")


def test_a_page_with_a_few_characters_is_not_blank() -> None:
    """The blank test must not swallow a nearly empty page: four characters on an A4 page are ink."""
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (1654, 2339), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 40)
    ImageDraw.Draw(page).text((200, 300), "住院费用", fill=0, font=font)
    image = np.asarray(page.convert("RGB"))
    assert Code.page_blank.value not in assess_quality(image, PREPROCESS).issues


def test_a_large_jpeg_is_decoded_at_a_lower_scale() -> None:
    """A 54 MP photo (above the 40 MP page limit) is decoded at half size by the JPEG decoder itself,
    never at full size."""
    data = _save(Image.new("L", (9000, 6000), 200), "JPEG")
    image = load_pages(data, LIMITS)[0].image
    assert image.shape[:2] == (3000, 4500)
