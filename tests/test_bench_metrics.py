from __future__ import annotations

from pathlib import Path

import pytest

from bench.eval_docs import PageNote, PageReading, Reading, ReadingCache, Sample, print_misses
from bench.eval_real import outcome
from bench.metrics import cer, key_field_recall, percentile
from extractors.normalize import edit_distance
from intake.idnumber import mask_id
from intake.models import DocType, Document, OcrLine, Page, Side
from tests.factories import fields, id_number


def test_edit_distance_and_cer() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert cer("票据号码：0012345678", "票据号码 0012345678") == 0.0
    assert cer("合计", "台计") == 0.5


def test_key_field_recall_counts_verbatim_values() -> None:
    assert key_field_recall(["0012345678", "王小明", ""], "票据号码0012345678 交款人王小朋") == (1, 2)


def test_percentile() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


def test_eval_misses_list_each_field_not_right_with_ids_masked(capsys: pytest.CaptureFixture[str]) -> None:
    """GIVEN a generated card read with one ID digit wrong (not flagged) and its name right WHEN the misses
    are printed THEN the ID line is listed, masked, and the right name is not."""
    truth_number, read_number = id_number(seq="123"), id_number(seq="124")
    truth = {
        "file": "id_front_scan_1.jpg",
        "variant": "scan",
        "documents": [
            {"doc_type": "id_card", "side": "front", "fields": {"name": "王小明", "id_number": truth_number}}
        ],
    }
    doc = Document(
        source="id_front_scan_1.jpg",
        pages=[1],
        doc_type=DocType.id_card,
        side=Side.front,
        fields=fields(name="王小明", id_number=read_number),
    )
    reading = Reading(file="id_front_scan_1.jpg", sha256="0", pages=[PageNote(page=1)], documents=[doc], seconds=0)
    print_misses([Sample(truth, reading)], 0.8, "test set")
    out = capsys.readouterr().out
    assert "id_number" in out and "wrong" in out and mask_id(read_number) in out
    assert read_number not in out and "王小明" not in out


@pytest.mark.parametrize(
    ("truth", "got", "status"),
    [
        ("", None, "right"),  # a label printed blank, nothing read: right
        ("", "开票", "wrong"),  # the next label's words taken for the blank value
        ("王小明", None, "missing"),
        ("王小明", "王小朋", "wrong"),
        ("2025-03-04", "2025-03-04", "right"),
    ],
)
def test_outcome_scores_a_blank_label_as_right_only_when_nothing_is_read(
    truth: str, got: str | None, status: str
) -> None:
    assert outcome(truth, got) == status


class CountingReader:
    """Stands in for the OCR reader: one invoice page with its payer, and how often it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def read(self, path: Path, name: str, data: bytes, sha256: str) -> PageReading:
        self.calls += 1
        polygon = [(100.0, 100.0), (400.0, 100.0), (400.0, 130.0), (100.0, 130.0)]
        page = Page(
            source=name,
            page=1,
            width=1000,
            height=700,
            lines=[OcrLine(text="交款人：王小明", confidence=0.99, polygon=polygon)],
        )
        doc = Document(source=name, sha256=sha256, pages=[1], doc_type=DocType.invoice)
        return PageReading(file=name, sha256=sha256, pages=[page], documents=[doc], seconds=0.1)


def test_reading_cache_extracts_again_from_kept_pages_without_reading_again(tmp_path: Path) -> None:
    """GIVEN a file read once WHEN the extraction cache is gone (an extractor change names a new file) THEN
    the fields are extracted again from the kept pages, and the file is not read again; a changed file is."""
    source = tmp_path / "invoice.jpg"
    source.write_bytes(b"page one")
    reader = CountingReader()
    first = ReadingCache(tmp_path / "cache", reader).read_all([(source, "invoice.jpg")], "test")  # type: ignore[arg-type]
    assert first[0].documents[0].fields["payer_name"].value == "王小明"
    next(p for p in (tmp_path / "cache").iterdir() if p.name.startswith("readings-")).unlink()
    again = ReadingCache(tmp_path / "cache", reader).read_all([(source, "invoice.jpg")], "test")  # type: ignore[arg-type]
    assert reader.calls == 1
    assert again[0].documents[0].fields["payer_name"].value == "王小明"
    source.write_bytes(b"page one, scanned again")
    ReadingCache(tmp_path / "cache", reader).read_all([(source, "invoice.jpg")], "test")  # type: ignore[arg-type]
    assert reader.calls == 2
