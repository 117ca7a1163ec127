"""The flows as real Prefect runs against the real S3 server: settings passed as a parameter (no credentials
in it), cached readings under each run's own file names, batch case ids that never collide across batches,
and no task result persisted by Prefect."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from flows.batch_flow import batch_id_for, batch_intake, case_id_in_batch
from flows.case_flow import process_case
from intake.models import DocType
from intake.requests import BatchCase, CaseRequest, InputRef, RunSettings
from intake.settings import Settings
from storage import layout
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
ID_FRONT = ROOT / "samples" / "documents" / "id_front_card_photo.jpg"


@pytest.fixture
def credentials_only(settings_env: ObjectStore, monkeypatch: pytest.MonkeyPatch) -> RunSettings:
    """A worker that knows only the keys (from its environment); where to store comes as the run's
    parameter, as the CLI passes it."""
    monkeypatch.delenv("INTAKE_S3_ENDPOINT")
    monkeypatch.delenv("INTAKE_S3_BUCKET")
    return RunSettings(s3_endpoint=settings_env.endpoint, s3_bucket=settings_env.bucket)


def test_run_settings_carry_no_credentials() -> None:
    settings = Settings(s3_access_key="someone", s3_secret_key="s3cr3t-value")
    run = RunSettings.from_settings(settings)
    dumped = run.model_dump_json()
    assert "s3cr3t-value" not in dumped and "someone" not in dumped
    worker = Settings(s3_access_key="worker", s3_secret_key="worker-secret", s3_bucket="elsewhere")
    merged = run.over(worker)
    assert merged.s3_access_key == "worker" and merged.s3_secret_key.get_secret_value() == "worker-secret"
    assert merged.s3_bucket == settings.s3_bucket and merged.ocr == settings.ocr


def test_same_bytes_under_two_names_keep_their_own_names(
    credentials_only: RunSettings, object_store: ObjectStore, tmp_path: Path
) -> None:
    """GIVEN one ID card photo sent under two names in one case, and then under a third name in another
    WHEN the case flow runs THEN each document reports the name it was given, though the file was read
    once (one reading in the store)."""
    first, second, third = (tmp_path / n for n in ("正面.jpg", "copy.jpg", "third.jpg"))
    for path in (first, second, third):
        shutil.copyfile(ID_FRONT, path)
    storage = Path(os.environ["PREFECT_HOME"]) / "storage"
    before = set(storage.iterdir()) if storage.exists() else set()
    request = CaseRequest(
        item="住院费用报销",
        case_date=dt.date(2025, 6, 20),
        files=[InputRef(source=p.name, path=str(p)) for p in (first, second)],
    )
    result = process_case(request, credentials_only)
    assert sorted(d.source for d in result.case.documents) == sorted(["正面.jpg", "copy.jpg"])
    assert {d.doc_type for d in result.case.documents} == {DocType.id_card}
    assert len(object_store.list_keys("readings/")) == 1
    other = process_case(
        request.model_copy(update={"files": [InputRef(source=third.name, path=str(third))]}), credentials_only
    )
    assert [d.source for d in other.case.documents] == ["third.jpg"]
    assert len(object_store.list_keys("readings/")) == 1
    # Prefect keeps no result of its own (readings carry ID numbers): these runs add nothing under
    # PREFECT_HOME/storage (earlier tests' failed runs may have left their exceptions there).
    assert (set(storage.iterdir()) if storage.exists() else set()) == before


def _batch(root: Path, note: str) -> list[BatchCase]:
    (root / "c01").mkdir(parents=True)
    (root / "c01" / "notes.txt").write_text(note, encoding="utf-8")
    return [BatchCase(case_id="c01", item="住院费用报销", files=["c01/notes.txt"])]


def test_two_batches_with_a_case_of_the_same_name_do_not_collide(
    credentials_only: RunSettings, object_store: ObjectStore, tmp_path: Path
) -> None:
    """GIVEN two batches, each with a case folder `c01` holding a different file WHEN both run, and the
    first again THEN the two cases have their own ids and case folders (each case.json and error file its
    own), and the re-run maps to the same case id and stores nothing new."""
    one, two = tmp_path / "one", tmp_path / "two"
    cases_one, cases_two = _batch(one, "第一批"), _batch(two, "第二批")
    first = batch_intake(str(one), cases_one, credentials_only)
    second = batch_intake(str(two), cases_two, credentials_only)
    (case_one,), (case_two,) = first.cases, second.cases
    assert case_one.case.case_id != case_two.case.case_id
    assert case_one.case.case_id.startswith("c01-") and case_two.case.case_id.startswith("c01-")
    for result in (case_one, case_two):
        (doc,) = result.case.documents
        assert [e.code for e in doc.errors] == ["file_unsupported"]
        case_id = result.case.case_id
        assert object_store.get_json(layout.case_key(case_id))["case_id"] == case_id
        errors = object_store.list_keys(layout.case_prefix(case_id) + "errors/")
        assert errors == [layout.error_key(case_id, doc.sha256 or "")]
    keys = object_store.list_keys("")
    again = batch_intake(str(one), cases_one, credentials_only)
    assert [r.case.case_id for r in again.cases] == [case_one.case.case_id]
    assert again.batch_id == first.batch_id
    assert object_store.list_keys("") == keys


def test_batch_identity_follows_rows_and_contents(tmp_path: Path) -> None:
    cases = _batch(tmp_path, "内容")
    batch_id = batch_id_for(str(tmp_path), cases)
    assert batch_id_for(str(tmp_path), cases) == batch_id
    (tmp_path / "c01" / "notes.txt").write_text("另一内容", encoding="utf-8")
    changed = batch_id_for(str(tmp_path), cases)
    assert changed != batch_id
    assert case_id_in_batch(changed, "c01") != case_id_in_batch(batch_id, "c01")
    renamed = [cases[0].model_copy(update={"agent": True})]
    assert batch_id_for(str(tmp_path), renamed) != changed


def test_workers_share_the_cores_unless_threads_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert RunSettings.from_settings(Settings(workers=2)).ocr.threads == 2
    assert RunSettings.from_settings(Settings(workers=4)).ocr.threads == 1
    assert RunSettings.from_settings(Settings(workers=1)).ocr.threads == Settings().ocr.threads
    monkeypatch.setenv("INTAKE_OCR__THREADS", "3")
    assert RunSettings.from_settings(Settings(workers=4)).ocr.threads == 3
