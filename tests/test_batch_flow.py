"""The batch flow with cases read in worker processes (INTAKE_WORKERS), as a real Prefect run against the
real S3 server on the committed demo cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CaseRow, ReviewTaskRow
from db.session import database_url, make_engine
from flows.batch_flow import batch_intake
from intake.settings import Settings
from interfaces.manifest import load_manifest
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"
TRUTH = ROOT / "samples" / "truth" / "cases"
# Two small cases of the demo batch: two ID card sides; an e-invoice PDF with a medical record.
PICKED = {"c05_zj_long_term_residence", "c07_outpatient_einvoice"}


def test_cases_are_read_in_worker_processes(settings_env: ObjectStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN two workers WHEN a batch of two cases and one for an unknown item runs THEN each case ran as
    a task of the batch flow in the process pool (one `case` task run per case), each verdict is its
    ground truth's, and the unknown item is reported as such from its worker."""
    monkeypatch.setenv("INTAKE_WORKERS", "2")
    cases = [c for c in load_manifest(CASES / "manifest.yaml") if c.case_id in PICKED]
    unknown = cases[0].model_copy(update={"case_id": "c99_unknown_item", "item": "不存在的事项"})
    state = batch_intake(str(CASES), [*cases, unknown], return_state=True)
    report = state.result()
    assert {case_id.rsplit("-", 1)[0]: code for case_id, code in report.failed.items()} == {
        "c99_unknown_item": "unknown_item"
    }
    assert len(report.cases) == 2
    for result in report.cases:
        name = result.case.case_id.rsplit("-", 1)[0]
        truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
        assert result.verdict.status.value == truth["expected_verdict"], result.case.case_id
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
        )
    # (a sub-flow run also has a task run standing for it in its parent: `process-case-…`)
    assert [run.name.split("-")[0] for run in runs].count("case") == 3
    # Every case of the batch is in the database the service and the clerks share, with its verdict;
    # a case needing review has its review task.
    engine = make_engine(database_url(Settings()))
    with Session(engine) as session:
        stored = {row.id: row.verdict for row in session.scalars(select(CaseRow))}
        tasks = {row.case_id for row in session.scalars(select(ReviewTaskRow))}
    engine.dispose()
    assert stored == {r.case.case_id: r.verdict.status.value for r in report.cases}
    assert tasks == {r.case.case_id for r in report.cases if r.verdict.status.value == "needs_review"}
