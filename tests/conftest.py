"""Session fixtures: a real SeaweedFS S3 server on free loopback ports, Prefect in a temp home."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before anything imports prefect or onnxruntime: offline, quiet, isolated.
_PREFECT_HOME = tempfile.mkdtemp(prefix="intake-prefect-")
# Removed when the session's process ends (after Prefect's own shutdown hooks, registered later, have run).
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ.update(
    {
        "ORT_DISABLE_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": _PREFECT_HOME,
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
)
for _name in ("INTAKE_S3_ENDPOINT", "PREFECT_API_URL"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from storage.server import EmbeddedS3  # noqa: E402
from storage.store import ObjectStore  # noqa: E402
from tests.conftest_db import database_url, postgres_cluster  # noqa: E402, F401

# Property tests assert behaviour, never a time: no per-example deadline, which a loaded CI host trips.
settings.register_profile("intake", deadline=None)
settings.load_profile("intake")

ACCESS_KEY = "intake-test"
SECRET_KEY = "intake-test-secret-" + uuid.uuid4().hex[:8]
ROOT = Path(__file__).resolve().parent.parent
REAL_SAMPLES = ROOT.parent / "shared" / "real-samples"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedS3]:
    with EmbeddedS3(tmp_path_factory.mktemp("s3"), ACCESS_KEY, SECRET_KEY) as server:
        yield server


def new_bucket_name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def object_store(s3_server: EmbeddedS3) -> ObjectStore:
    store = ObjectStore(s3_server.endpoint, ACCESS_KEY, SECRET_KEY, new_bucket_name())
    store.ensure_bucket()
    return store


@pytest.fixture(scope="module")
def object_store_for_cli(s3_server: EmbeddedS3) -> ObjectStore:
    store = ObjectStore(s3_server.endpoint, ACCESS_KEY, SECRET_KEY, new_bucket_name())
    store.ensure_bucket()
    return store


@pytest.fixture(scope="module")
def cli_env(object_store_for_cli: ObjectStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `intake` subprocesses: the test server and bucket, a private data dir."""
    return {
        **os.environ,
        "INTAKE_S3_ENDPOINT": object_store_for_cli.endpoint,
        "INTAKE_S3_BUCKET": object_store_for_cli.bucket,
        "INTAKE_S3_ACCESS_KEY": ACCESS_KEY,
        "INTAKE_S3_SECRET_KEY": SECRET_KEY,
        "INTAKE_DATA_DIR": str(tmp_path_factory.mktemp("intake-data")),
    }


@pytest.fixture
def settings_env(object_store: ObjectStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ObjectStore:
    """In-process flows read Settings from the environment, as workers do; a private data dir (the batch
    flow's SQLite database)."""
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path / "intake-data"))
    monkeypatch.setenv("INTAKE_S3_ENDPOINT", object_store.endpoint)
    monkeypatch.setenv("INTAKE_S3_BUCKET", object_store.bucket)
    monkeypatch.setenv("INTAKE_S3_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("INTAKE_S3_SECRET_KEY", SECRET_KEY)
    return object_store
