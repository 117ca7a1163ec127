from __future__ import annotations

import pytest

from bench.eval_docs import PageNote, Reading, Sample, print_misses
from bench.metrics import cer, edit_distance, key_field_recall, percentile
from extractors.idnumber import mask_id
from intake.models import DocType, Document, Side
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
