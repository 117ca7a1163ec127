"""The OCR bench's family mode: narrowing the set to a few cells, and where a stage's CPU time is counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.ocr_bench import ENGINES, GATED, VARIANTS, PageResult, _column, _stage_sums, family_jobs


def _truth(folder: Path, doc_type: str, family: str, variant: str, seed: int) -> None:
    name = f"{doc_type}_{family}_{variant}_{seed}.jpg"
    truth = {
        "file": name,
        "seed": seed,
        "variant": variant,
        "group": "scan",
        "expected_quality": None,
        "family": family,
        "documents": [{"doc_type": doc_type, "fields": {"total": "12.50"}}],
        "pages": [{"lines": [{"text": "合计 12.50", "box_mm": [10, 10, 60, 15]}]}],
    }
    (folder / "truth" / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def family_set(tmp_path: Path) -> Path:
    (tmp_path / "truth").mkdir()
    (tmp_path / "documents").mkdir()
    _truth(tmp_path, "invoice", "ebill_gd", "scan", 1)
    _truth(tmp_path, "invoice", "ebill_gd", "photo", 2)
    _truth(tmp_path, "invoice", "paper_hospital", "scan", 3)
    _truth(tmp_path, "id_card", "fax_copy", "scan", 4)
    return tmp_path


def test_families_and_variants_narrow_the_family_set(family_set: Path) -> None:
    """GIVEN a family set of four files WHEN it is narrowed by document type, by type/family and by variant
    THEN only the matching cells' files are jobs; no filter keeps every file."""

    def cells(**narrow: list[str]) -> set[tuple[str, str]]:
        return {(job.family, job.variant) for job in family_jobs(family_set, None, **narrow)}

    assert len(family_jobs(family_set)) == 4
    assert cells(families=["invoice"]) == {
        ("invoice/ebill_gd", "scan"),
        ("invoice/ebill_gd", "photo"),
        ("invoice/paper_hospital", "scan"),
    }
    assert cells(families=["invoice/ebill_gd"], variants=["scan"]) == {("invoice/ebill_gd", "scan")}
    assert cells(variants=["scan"]) == {
        ("invoice/ebill_gd", "scan"),
        ("invoice/paper_hospital", "scan"),
        ("id_card/fax_copy", "scan"),
    }
    assert cells(families=["ebill"]) == set()


def test_model_runs_outside_the_page_s_reading_are_seal_text_not_other() -> None:
    """GIVEN a page's stage times, the detector and recogniser run both in the page's reading and after it
    (seal text) WHEN they are summed into the stage table's columns THEN the runs after the reading are the
    sealtxt column, the reading's its own, and other is only what no stage counted."""
    assert _column("read.det") == "det"
    assert _column("det") == "sealtxt"
    assert _column("rec_fp32") == "sealtxt"
    assert _column("looks.rec") == "looks"
    stages = (("read.det", 0.4), ("read.rec", 0.5), ("det", 0.1), ("rec", 0.05), ("looks.det", 0.2))
    row = PageResult("a.jpg", "scan", 2.0, 0.0, 0, 0, False, (), 1.5, "invoice/x", "scan", stages)
    sums = _stage_sums([row])
    assert sums["det"] == pytest.approx(0.4)
    assert sums["sealtxt"] == pytest.approx(0.15)
    assert sums["looks"] == pytest.approx(0.2)
    assert sums["other"] == pytest.approx(1.5 - 0.4 - 0.5 - 0.15 - 0.2)


def test_every_variant_of_ours_reads_through_our_pipeline() -> None:
    """GIVEN the engines that are ours with settings forced WHEN the bench picks a reader THEN each reads
    through our pipeline (a variant left out of GATED was read by Tesseract under our name)."""
    assert set(VARIANTS) <= GATED
    assert set(VARIANTS) <= set(ENGINES)
