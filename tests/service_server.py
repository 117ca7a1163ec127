"""The HTTP service as the service tests run it: the real app under uvicorn on a free loopback port, in a
thread of the test process, over a migrated database and the test's S3 server (tests/test_service.py,
tests/test_service_load.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from db.migrate import upgrade
from db.session import make_engine
from intake.settings import Settings
from interfaces.http.analysis import analyse_upload
from interfaces.http.app import create_app
from interfaces.http.deps import Service
from storage.store import ObjectStore
from tests.pg import free_port

# The first run may still be quantising the int8 models.
START_TIMEOUT = 600.0


@dataclass
class Running:
    base: str
    store: ObjectStore
    engine: Engine
    database_url: str
    app: FastAPI

    @property
    def service(self) -> Service:
        service = self.app.state.service
        assert isinstance(service, Service)
        return service


@contextmanager
def running_service(settings: Settings, store: ObjectStore, database_url: str) -> Iterator[Running]:
    """The service up and answering (models warm) until the block ends; then stopped and its engine
    disposed."""
    upgrade(database_url)
    engine = make_engine(database_url)
    app = create_app(settings, store, engine, analyse_upload)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "service did not start"
            time.sleep(0.1)
        yield Running(f"http://127.0.0.1:{port}", store, engine, database_url, app)
    finally:
        server.should_exit = True
        thread.join(90)
        engine.dispose()
