"""Monitoring in Prefect, as real flow runs (Prefect's ephemeral server) on a real SQLite database and
the real S3 server: runs waiting for a clerk carry the `awaiting-clerk` tag until a clerk confirms or
rejects the case, decision runs carry `clerk-decision`, and the daily summary is an artifact that holds
counts and masked ids only."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from sqlalchemy import update

from db.cases import get_case, record_case
from db.migrate import upgrade
from db.models import ReviewTaskRow
from db.session import make_engine, session_factory
from flows.case_flow import process_case
from flows.monitoring import SUMMARY_KEY, recorded_run_ids, review_daily_summary
from flows.review_flow import review_decision, route_to_review
from flows.run_tags import AWAITING_CLERK, CLERK_DECISION, shown_case_id, waiting_runs_of_case
from intake.catalog import default_catalog
from intake.models import VerdictStatus
from intake.requests import CaseRequest, CaseResult, InputRef, ItemRef, StorageRef
from intake.settings import Settings
from storage import layout
from storage.store import ObjectStore
from tests.factories import case, id_number
from tests.workbench import misread_name_documents
from validators.verdict import Thresholds, judge

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"


@dataclass
class CaseRun:
    result: CaseResult
    run_id: UUID


def run_sample(folder: str, item: str, case_id: str | None = None) -> CaseRun:
    files = sorted((CASES / folder).iterdir())
    request = CaseRequest(
        case_id=case_id,
        item=item,
        case_date=dt.date(2025, 6, 20),
        files=[InputRef(source=f"{folder}/{p.name}", path=str(p)) for p in files],
    )
    state = process_case(request, return_state=True)
    assert state.is_completed()
    assert state.state_details.flow_run_id is not None
    return CaseRun(state.result(), state.state_details.flow_run_id)


@pytest.fixture(scope="module")
def sample_runs(object_store_for_cli: ObjectStore, cli_env: dict[str, str]) -> Iterator[dict[str, CaseRun]]:
    """The two sample cases, read (real OCR) once for the whole module. The blurred one is named like a
    batch case, by its folder (the decision must find its run by the request's case id too), and runs
    twice, as a case submitted again does."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in cli_env.items():
            if name.startswith("INTAKE_"):
                env.setenv(name, value)
        blurred = ("c08_inpatient_blurred_invoice", "住院费用报销", "c08_张三_住院-0a1b2c3d4e5f")
        yield {
            "superseded": run_sample(*blurred),  # the same case read again: readings come from the store
            "review": run_sample(*blurred),
            "complete": run_sample("c05_zj_long_term_residence", "异地长期居住人员备案"),
        }


def tags_of(run_id: UUID) -> list[str]:
    with get_client(sync_client=True) as client:
        return list(client.read_flow_run(run_id).tags)


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A migrated SQLite database; the decision and summary flows read its URL from the environment,
    as a worker does."""
    url = f"sqlite:///{tmp_path / f'intake-{uuid.uuid4().hex[:8]}.db'}"
    upgrade(url)
    monkeypatch.setenv("INTAKE_DATABASE_URL", url)
    return url


def test_a_run_needing_review_is_tagged_and_a_complete_one_is_not(sample_runs: dict[str, CaseRun]) -> None:
    """GIVEN the blurred-invoice case (run twice) and a complete filing case WHEN each runs as
    `process-case` THEN only the latest run that needs a clerk carries `awaiting-clerk`, and no tag
    names the case."""
    review, complete = sample_runs["review"], sample_runs["complete"]
    assert sample_runs["superseded"].result.verdict.status is VerdictStatus.needs_review
    assert AWAITING_CLERK not in tags_of(sample_runs["superseded"].run_id)
    assert review.result.verdict.status is VerdictStatus.needs_review
    assert complete.result.verdict.status is VerdictStatus.complete
    assert AWAITING_CLERK in tags_of(review.run_id)
    assert AWAITING_CLERK not in tags_of(complete.run_id)
    assert not any("张三" in t or "c08" in t for t in tags_of(review.run_id))


def test_a_decision_ends_the_wait_and_is_tagged(sample_runs: dict[str, CaseRun], database: str) -> None:
    """GIVEN the waiting case recorded with its run WHEN a clerk postpones it THEN its run still waits
    and the decision run is tagged `clerk-decision`; WHEN the clerk then rejects it THEN the case's run
    loses `awaiting-clerk`, so the UI's filter no longer lists it."""
    review = sample_runs["review"]
    case_id = review.result.case.case_id
    engine = make_engine(database)
    try:
        with session_factory(engine)() as session:
            row = record_case(session, review.result, actor="service", cause="submit", flow_run_id=str(review.run_id))
            route_to_review(session, row, default_catalog(), Settings(database_url=database))
            session.commit()
            version = row.version
            assert recorded_run_ids(session, case_id) == {review.run_id}
        with get_client(sync_client=True) as client:
            assert [r.id for r in waiting_runs_of_case(client, case_id)] == [review.run_id]
            assert waiting_runs_of_case(client, "another-case") == []

        postponed = review_decision(case_id, "postpone", "user:clerk1", version, postpone_hours=1.0)
        assert CLERK_DECISION in tags_of(UUID(str(postponed["flow_run_id"])))
        assert AWAITING_CLERK in tags_of(review.run_id)

        rejected = review_decision(case_id, "reject", "user:clerk1", int(str(postponed["version"])))
        assert rejected["verdict"] == "rejected"
        assert CLERK_DECISION in tags_of(UUID(str(rejected["flow_run_id"])))
        assert AWAITING_CLERK not in tags_of(review.run_id)
        with get_client(sync_client=True) as client:
            assert waiting_runs_of_case(client, case_id) == []
    finally:
        engine.dispose()


def test_daily_summary_is_a_versioned_artifact_without_personal_data(database: str, tmp_path: Path) -> None:
    """GIVEN two cases waiting for a clerk, one named after a batch folder that holds the applicant's
    name and one overdue, and a clerk's decision WHEN the summary flow runs twice THEN the artifact
    under its key has two versions with the backlog, the overdue case as a digest, the clerk's count,
    and neither the name, the ID number nor the folder name."""
    number = id_number(seq="457")
    catalog = default_catalog()
    item = catalog.find("住院费用报销")
    engine = make_engine(database)
    named = "赵六_住院-0a1b2c3d4e5f"
    generated = f"case-{uuid.uuid4().hex[:16]}"
    try:
        with session_factory(engine)() as session:
            for case_id in (named, generated):
                documents = misread_name_documents(case_id, uuid.uuid4().hex[:8], name="赵小六")
                fields = dict(documents[0].fields)
                fields["id_number"] = fields["id_number"].model_copy(update={"value": number})
                documents[0] = documents[0].model_copy(update={"fields": fields})
                model = case(item.id, documents).model_copy(update={"case_id": case_id})
                result = CaseResult(
                    case=model,
                    item=ItemRef(id=item.id, name=item.name, region=item.region),
                    verdict=judge(model, item, Thresholds()),
                    storage=StorageRef(bucket="unused", prefix=layout.case_prefix(case_id)),
                )
                route_to_review(session, record_case(session, result), catalog, Settings(database_url=database))
            session.execute(
                update(ReviewTaskRow)
                .where(ReviewTaskRow.case_id == named)
                .values(deadline=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
            )
            session.commit()
            decided = get_case(session, generated)
            assert decided is not None and decided.verdict == "needs_review"
            version = decided.version
        review_decision(generated, "postpone", "user:clerk1", version)

        first = review_daily_summary()
        second = review_daily_summary()
        assert first != second
        with get_client(sync_client=True) as client:
            artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[SUMMARY_KEY])))
        ids = {str(a.id) for a in artifacts}
        assert {first, second} <= ids
        markdown = next(str(a.data) for a in artifacts if str(a.id) == second)
    finally:
        engine.dispose()
    assert "待复核：共 2 件" in markdown
    assert "超期未复核：1 件" in markdown
    assert shown_case_id(named) in markdown and shown_case_id(named) != named
    assert "| user:clerk1 | 1 |" in markdown
    assert "住院费用报销 | needs_review | 2 |" in markdown
    for secret in (number, "赵小六", "赵六", named):
        assert secret not in markdown


def test_cli_runs_the_summary(cli_env: dict[str, str], tmp_path: Path) -> None:
    """GIVEN an empty database WHEN `intake review-summary` runs THEN it exits 0 and names the artifact;
    a bad `--days` is refused as a usage error (exit 2), without a traceback."""
    env = {**cli_env, "INTAKE_DATABASE_URL": f"sqlite:///{tmp_path / 'intake.db'}"}
    command = [sys.executable, "-m", "interfaces.cli", "review-summary"]
    done = subprocess.run([*command, "--days", "7"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    assert SUMMARY_KEY in done.stdout
    refused = subprocess.run([*command, "--days", "0"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
