"""A small bounded load on the real service (uvicorn on a free port, SQLite, the real S3 server, real
OCR): concurrent uploaders, each with its own case and upload token, and no file in the wrong case.

The timings are not asserted (the machine is shared); what must hold under concurrency is asserted:
no 5xx, no transport error, every answer for its own bytes, every case holding exactly its uploader's
files in the database, in GET /api/cases/{id} and in the object store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bench.load_service import misplaced, run_load
from db.models import FileRow
from db.session import make_engine, session_factory
from intake.settings import Settings
from storage import layout
from storage.store import ObjectStore
from tests.service_server import Running, running_service

CHANNEL_KEY = "load-channel-key"
UPLOADERS = 4
FILES_PER_CASE = 3


@pytest.fixture(scope="module")
def service(object_store_for_cli: ObjectStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The app under uvicorn (tests/service_server.py) on SQLite."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'intake.db'}"
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), api_keys=[CHANNEL_KEY])
    with running_service(settings, object_store_for_cli, url) as running:
        yield running


def test_concurrent_uploaders_each_find_exactly_their_files(service: Running) -> None:
    """GIVEN 4 uploaders at once, each opening its own case and uploading 3 distinct ID card crops with
    its own token WHEN all are done THEN no request failed on the server side and every case holds
    exactly the files its uploader sent: in the answers, in GET /api/cases/{id}, in the database, and
    each original is stored once, byte-identical, under its hash."""
    run = run_load(
        service.base,
        CHANNEL_KEY,
        uploaders=UPLOADERS,
        seconds=600,  # an upper bound only: each uploader stops after its one case
        files_per_case=FILES_PER_CASE,
        max_cases=1,
    )
    assert run.server_errors == 0 and run.transport_errors == 0, run.statuses
    assert run.statuses == {201: UPLOADERS, 200: UPLOADERS * FILES_PER_CASE}, run.statuses
    assert len(run.cases) == UPLOADERS and len({c.case_id for c in run.cases}) == UPLOADERS
    assert all(len(c.files) == FILES_PER_CASE for c in run.cases)
    sent = {digest for case in run.cases for digest in case.files.values()}
    assert len(sent) == UPLOADERS * FILES_PER_CASE  # every upload its own bytes: a misplacement would show

    assert misplaced(service.base, CHANNEL_KEY, run, service.database_url) == []

    engine = make_engine(service.database_url)
    with session_factory(engine)() as session:
        rows = session.execute(select(FileRow.case_id, FileRow.sha256, FileRow.object_key)).all()
    engine.dispose()
    by_case = {c.case_id: set(c.files.values()) for c in run.cases}
    assert sorted((case_id, digest) for case_id, digest, _ in rows) == sorted(
        (case_id, digest) for case_id, digests in by_case.items() for digest in digests
    )
    originals = set(service.store.list_keys("originals/"))
    for _, digest, key in rows:
        assert key == layout.original_key(digest) and key in originals
        assert hashlib.sha256(service.store.get_bytes(key)).hexdigest() == digest


def test_misplaced_names_a_file_recorded_under_the_wrong_case(service: Running) -> None:
    """GIVEN two filled cases WHEN the record of one says it was sent to the other THEN the check names
    both cases: it can fail."""
    run = run_load(service.base, CHANNEL_KEY, uploaders=2, seconds=600, files_per_case=1, max_cases=1)
    assert misplaced(service.base, CHANNEL_KEY, run, service.database_url) == []
    first, second = run.cases
    first.files, second.files = second.files, first.files
    problems = misplaced(service.base, CHANNEL_KEY, run, service.database_url)
    assert {p.split(":")[0] for p in problems} == {first.case_id, second.case_id}
