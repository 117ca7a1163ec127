"""The one pipeline (`pipeline/`): named passes, bytes and path entry points, and the object-store reading
cache, on real documents with real PP-OCR and the real S3 server (no Prefect here)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from intake.models import DocType, Page
from intake.settings import Settings
from ocr.loader import content_type
from ocr.reader import blocking
from pipeline.analyse import analyse_bytes, analyse_file, read_bytes_pages, read_file_pages, run_file
from pipeline.passes import ALL_PASSES, READ_AND_CLASSIFY, READ_ONLY, PassSwitches, build_pipe
from pipeline.readings import read_original, reading_key
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
EINVOICE = ROOT / "samples" / "documents" / "einvoice_born_digital.pdf"
ID_FRONT = ROOT / "samples" / "documents" / "id_front_card_photo.jpg"
INVOICE_SCAN = ROOT / "samples" / "documents" / "invoice_scan.jpg"
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


def test_seals_and_copy_are_judged_once_in_the_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a scanned invoice with one red seal WHEN it is read and classified THEN the reading pass found the
    seal, read its text once and assessed the copy on the page image, and the document takes them from the
    page (classification reads no seal again); with `seal_text` off the seal is found but not read."""
    import classifiers.documents

    calls = []
    read_seal = classifiers.documents.read_seal

    def counted(*args: object) -> object:
        calls.append(1)
        return read_seal(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(classifiers.documents, "read_seal", counted)
    data = INVOICE_SCAN.read_bytes()
    run = run_file(data, INVOICE_SCAN.name, SETTINGS, READ_AND_CLASSIFY)
    ((doc, pages),) = run.documents
    seals = [seal for page in pages for seal in page.seals]
    assert len(seals) == len(calls) == 1 and seals[0].reading is not None
    assert doc.seal_boxes == [seals[0].box] and doc.seal_texts == [seals[0].reading.checked_text]
    assert doc.has_seal and "收费专用章" in seals[0].reading.text
    assert pages[0].copy_assessment is not None and doc.is_copy is pages[0].copy_assessment.is_copy is False
    (page,) = read_bytes_pages(data, INVOICE_SCAN.name, SETTINGS)
    assert page.seals == pages[0].seals and page.copy_assessment == pages[0].copy_assessment
    calls.clear()
    unread = run_file(data, INVOICE_SCAN.name, SETTINGS, PassSwitches(extract=False, seal_text=False))
    ((plain, plain_pages),) = unread.documents
    assert not calls and [s.reading for s in plain_pages[0].seals] == [None]
    assert plain.seal_boxes == doc.seal_boxes and plain.seal_texts == [] and plain.has_seal


def test_a_refused_page_is_not_judged_for_seals() -> None:
    """A page the quality gate refused is its own error document: no seal or copy work is spent on it."""
    (page,) = read_file_pages(str(ROOT / "samples" / "documents" / "discharge_record_blurred.jpg"), SETTINGS)
    assert blocking(page.quality) and page.seals == [] and page.copy_assessment is None


def test_a_cached_reading_keeps_the_seals(object_store: ObjectStore) -> None:
    """GIVEN a sealed invoice read into the object-store cache WHEN read again THEN the seals, their text and the
    copy assessment come back from the cache as read; a page stored before pages kept them still loads."""
    data = INVOICE_SCAN.read_bytes()
    stored, _ = object_store.put_original(data, INVOICE_SCAN.name, content_type(data))
    first = read_original(object_store, stored, SETTINGS)
    cached = object_store.get_json(reading_key(stored.sha256, SETTINGS))
    assert cached["documents"][0]["pages"][0]["seals"][0]["reading"]["centre"]
    again = read_original(object_store, stored, SETTINGS)
    assert again == first and again[0][1][0].seals and again[0][0].seal_texts
    old = {k: v for k, v in cached["documents"][0]["pages"][0].items() if k not in ("seals", "copy_assessment")}
    assert Page.model_validate(old).seals == []


def test_a_reading_read_now_is_one_get_and_one_put(object_store: ObjectStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN an original just stored (its bytes at hand) WHEN it is read for the first time THEN the store is asked
    once for the cached reading (missing) and the reading is put once, beside its page image: no second look-up
    of the key that was just found missing."""
    data = ID_FRONT.read_bytes()
    stored, _ = object_store.put_original(data, ID_FRONT.name, content_type(data))
    calls: list[str] = []
    call = object_store._call

    def counted(what: str, *args: object, **kwargs: object) -> object:
        calls.append(what)
        return call(what, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(object_store, "_call", counted)
    (doc, pages), *_ = read_original(object_store, stored, SETTINGS, data=data)
    assert calls == ["get"] + ["put"] * len(pages) + ["put"]
    key = reading_key(stored.sha256, SETTINGS)
    assert object_store.get_json(key)["documents"][0]["document"]["doc_type"] == doc.doc_type.value
    assert doc.sha256 == stored.sha256
