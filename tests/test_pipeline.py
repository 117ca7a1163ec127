"""The one pipeline (`pipeline/`): named passes, bytes and path entry points, and the object-store reading
cache, on real documents with real PP-OCR and the real S3 server (no Prefect here)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from intake.models import DocType
from intake.settings import Settings
from ocr.loader import content_type
from pipeline.analyse import analyse_bytes, analyse_file, read_bytes_pages, read_file_pages, run_file
from pipeline.passes import ALL_PASSES, READ_AND_CLASSIFY, READ_ONLY, PassSwitches, build_pipe
from pipeline.readings import read_original, reading_key
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
EINVOICE = ROOT / "samples" / "documents" / "einvoice_born_digital.pdf"
ID_FRONT = ROOT / "samples" / "documents" / "id_front_card_photo.jpg"
CASE_DATE = dt.date(2025, 6, 20)
SETTINGS = Settings()


@pytest.mark.parametrize(
    ("switches", "names"),
    [
        (ALL_PASSES, ["load", "read", "classify", "extract"]),
        (READ_AND_CLASSIFY, ["load", "read", "classify"]),
        (READ_ONLY, ["load", "read"]),
        (PassSwitches(read=False), ["load"]),
    ],
)
def test_passes_are_named_and_switched_off(switches: PassSwitches, names: list[str]) -> None:
    assert [p.name for p in build_pipe(SETTINGS, switches, CASE_DATE)] == names


def test_extraction_needs_the_case_date() -> None:
    with pytest.raises(ValueError, match="case date"):
        build_pipe(SETTINGS, ALL_PASSES)


def test_each_pass_is_timed_and_reading_per_page() -> None:
    """GIVEN a born-digital invoice WHEN every pass runs THEN each pass has its time, reading one per page,
    and the document comes out typed with its fields."""
    run = run_file(EINVOICE.read_bytes(), EINVOICE.name, SETTINGS, ALL_PASSES, CASE_DATE)
    assert run.error is None
    assert set(run.timings) == {"load", "read", "classify", "extract"}
    assert len(run.timings["read"]) == len(run.pages) >= 1
    assert all(len(run.timings[name]) == 1 for name in ("load", "classify", "extract"))
    assert all(seconds >= 0 for times in run.timings.values() for seconds in times)
    (doc, _) = run.documents[0]
    assert doc.doc_type is DocType.invoice and doc.fields


def test_bytes_and_path_entries_agree() -> None:
    """The path entry is the bytes entry with the path as the source: same documents, same pages."""
    data = EINVOICE.read_bytes()
    by_bytes = analyse_bytes(data, str(EINVOICE), SETTINGS, CASE_DATE)
    assert analyse_file(str(EINVOICE), SETTINGS, CASE_DATE) == by_bytes
    assert read_file_pages(str(EINVOICE), SETTINGS) == read_bytes_pages(data, str(EINVOICE), SETTINGS)
    assert by_bytes[0].sha256 == hashlib.sha256(data).hexdigest()


def test_bad_input_is_an_error_document_or_page(tmp_path: Path) -> None:
    (doc,) = analyse_bytes(b"", "empty.pdf", SETTINGS, CASE_DATE)
    assert [e.code for e in doc.errors] == ["file_empty"] and doc.source == "empty.pdf"
    (doc,) = analyse_bytes("备注".encode(), "notes.txt", SETTINGS, CASE_DATE)
    assert [e.code for e in doc.errors] == ["file_unsupported"]
    (doc,) = analyse_file(str(tmp_path / "gone.jpg"), SETTINGS, CASE_DATE)
    assert [e.code for e in doc.errors] == ["file_unreadable"]
    (page,) = read_file_pages(str(tmp_path / "gone.jpg"), SETTINGS)
    assert page.quality is not None and page.quality.issues == ["file_unreadable"]


def test_a_cached_reading_reports_the_name_given_this_time(object_store: ObjectStore) -> None:
    """GIVEN one ID card photo stored once WHEN it is read under one name and then under another
    THEN the second reading comes from the cache (nothing new is stored), every document and page reports
    the name it came under this time, and the cached JSON holds no file name."""
    data = ID_FRONT.read_bytes()
    stored, _ = object_store.put_original(data, "张三身份证.jpg", content_type(data))
    first = read_original(object_store, stored, SETTINGS)
    keys = object_store.list_keys("")
    key = reading_key(stored.sha256, SETTINGS)
    assert key in keys and key.startswith("readings/")
    again = read_original(object_store, stored.model_copy(update={"source": "renamed.jpg"}), SETTINGS)
    assert object_store.list_keys("") == keys
    assert {d.source for d, _ in first} == {p.source for _, pages in first for p in pages} == {"张三身份证.jpg"}
    assert {d.source for d, _ in again} == {p.source for _, pages in again for p in pages} == {"renamed.jpg"}
    assert [d.doc_type for d, _ in again] == [d.doc_type for d, _ in first] == [DocType.id_card]
    assert [p.lines for _, pages in again for p in pages] == [p.lines for _, pages in first for p in pages]
    assert "张三身份证" not in object_store.get_bytes(key).decode("utf-8")


def test_the_reading_key_changes_with_the_reading_settings() -> None:
    other = SETTINGS.model_copy(update={"ocr": SETTINGS.ocr.model_copy(update={"max_side_len": 1600})})
    assert reading_key("ab" * 32, other) != reading_key("ab" * 32, SETTINGS)
    thresholds = SETTINGS.model_copy(update={"thresholds": SETTINGS.thresholds.model_copy()})
    assert reading_key("ab" * 32, thresholds) == reading_key("ab" * 32, SETTINGS)


def test_a_cached_reading_that_no_longer_fits_is_read_again(object_store: ObjectStore) -> None:
    data = EINVOICE.read_bytes()
    stored, _ = object_store.put_original(data, EINVOICE.name, content_type(data))
    key = reading_key(stored.sha256, SETTINGS)
    object_store.put_bytes(key, b'{"documents": [{"document": {}}]}', "application/json")
    ((doc, pages),) = read_original(object_store, stored, SETTINGS)
    assert doc.doc_type is DocType.invoice and pages
    assert object_store.get_json(key)["documents"][0]["document"]["doc_type"] == "invoice"
