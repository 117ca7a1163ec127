from __future__ import annotations

from bench.metrics import cer, edit_distance, key_field_recall, percentile


def test_edit_distance_and_cer() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert cer("票据号码：0012345678", "票据号码 0012345678") == 0.0
    assert cer("合计", "台计") == 0.5


def test_key_field_recall_counts_verbatim_values() -> None:
    assert key_field_recall(["0012345678", "王小明", ""], "票据号码0012345678 交款人王小朋") == (1, 2)


def test_percentile() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
