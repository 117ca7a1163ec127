"""`intake serve`: the embedded or configured object store, a migrated database, the app under uvicorn."""

from __future__ import annotations

import uvicorn

from db.migrate import upgrade
from db.session import database_url, make_engine
from intake.settings import Settings
from interfaces.http.analysis import analyse_upload
from interfaces.http.app import create_app
from storage.server import object_store_from_settings


def run(settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted; the embedded S3 server (no INTAKE_S3_ENDPOINT) starts and stops with it."""
    with object_store_from_settings(settings) as store:
        # Submitted cases run as Prefect flows given the endpoint that is actually serving.
        settings = settings.model_copy(update={"s3_endpoint": store.endpoint})
        url = database_url(settings)
        upgrade(url)
        engine = make_engine(url)
        try:
            app = create_app(settings, store, engine, analyse_upload)
            uvicorn.run(app, host=host, port=port, log_level="info")
        finally:
            engine.dispose()
