"""The case flow as a real Prefect run against the real S3 server, on real documents
(../shared/real-samples, read in place) plus broken files that must not be lost."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from flows.case_flow import process_case
from intake.models import DocType, VerdictStatus
from intake.requests import CaseRequest, InputRef
from storage import layout
from storage.store import ObjectStore
from tests.conftest import REAL_SAMPLES

pytestmark = pytest.mark.skipif(not REAL_SAMPLES.is_dir(), reason="../shared/real-samples not present")


@pytest.fixture
def broken_files(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    text = tmp_path / "notes.txt"
    text.write_text("备注", encoding="utf-8")
    return [empty, corrupt, text]


def test_case_flow_stores_everything_and_reruns_idempotently(
    settings_env: ObjectStore, broken_files: list[Path]
) -> None:
    """GIVEN an invoice, a discharge record, an ID card and three broken files
    WHEN the case flow runs twice THEN every original is stored byte-identical, each broken file has
    a stable error code, the verdict is stored with item and verdict metadata, and the second run
    writes nothing new."""
    store = settings_env
    real = [REAL_SAMPLES / n for n in ("invoice_02.jpg", "discharge_01.jpg", "id_card_01.png")]
    files = real + broken_files
    request = CaseRequest(
        item="住院费用报销",
        case_date=dt.date(2021, 4, 1),
        files=[InputRef(source=p.name, path=str(p)) for p in files],
    )
    state = process_case(request, return_state=True)
    assert state.is_completed()
    result = state.result()
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert store.get_bytes(layout.original_key(digest)) == path.read_bytes()
    errors = {d.source: [e.code for e in d.errors] for d in result.case.documents if d.errors}
    assert errors == {
        "empty.pdf": ["file_empty"],
        "corrupt.jpg": ["file_unreadable"],
        "notes.txt": ["file_unsupported"],
    }
    for doc in result.case.documents:
        if doc.errors:
            assert store.exists(layout.error_key(result.case.case_id, doc.sha256 or ""))
    types = {d.doc_type for d in result.case.documents if not d.errors}
    assert {DocType.invoice, DocType.discharge_record, DocType.id_card} <= types
    # No expense list, and three unreadable files that might have been it: a clerk decides.
    assert result.verdict.status is VerdictStatus.needs_review
    assert [m.material for m in result.verdict.missing] == ["住院费用汇总明细清单原件或复印件（加盖医院收费章）"]
    verdict_key = layout.verdict_key(result.case.case_id)
    assert store.get_json(verdict_key)["status"] == "needs_review"
    assert store.get_tags(verdict_key) == {"item": "zj_inpatient_reimbursement", "verdict": "needs_review"}
    keys = store.list_keys("")
    again = process_case(request)
    assert again.case.case_id == result.case.case_id
    assert store.list_keys("") == keys
