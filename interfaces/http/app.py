"""`create_app(settings, store, db_engine, analyser)`: the FastAPI application. Built once per
process; the OCR models stay warm in it, and Prefect is started with it. Dependencies (session, caller)
are in deps.py; the background full reading of uploads in background.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from prefect import get_client
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from db.session import session_factory
from intake.catalog import default_catalog
from intake.settings import Settings
from interfaces.http import pages, routes_auth, routes_decisions, routes_review, routes_supervisor
from interfaces.http.analysis import Analyser, load_full_reading, read_in_full
from interfaces.http.background import FullReadings
from interfaces.http.deps import Service, db_session
from interfaces.http.errors import install_handlers
from interfaces.http.routes_cases import router
from interfaces.http.schemas import Health
from storage.store import ObjectStore


def start_prefect() -> None:
    """Prefect's API answering before the first submission needs it: with no PREFECT_API_URL this starts
    the ephemeral server (~10 s the first time), which then lives as long as the service."""
    with get_client(sync_client=True) as client:
        client.api_healthcheck()


def create_app(
    settings: Settings, store: ObjectStore, db_engine: Engine, analyser: Analyser, *, warm: bool = True
) -> FastAPI:
    """The service over a migrated database. `warm`: load the instant answer's models before the first
    request, and start the background thread that starts Prefect and reads each upload in full
    (`Settings.instant`; background.py)."""
    readings = FullReadings(
        read=lambda stored: read_in_full(store, stored, settings),
        start_services=start_prefect,
        load_models=lambda: load_full_reading(settings),
        size=settings.instant.background_queue,
    )
    service = Service(
        settings=settings,
        store=store,
        sessions=session_factory(db_engine),
        analyser=analyser,
        catalog=default_catalog(),
        readings=readings if warm and settings.instant.background_queue else None,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            service.warm_up()
        if service.readings is not None:
            service.readings.start()
        try:
            yield
        finally:
            if service.readings is not None:
                service.readings.stop()

    app = FastAPI(
        title="医保申办材料收件服务",
        description="上传材料即时答复（重拍、材料不符、重复、一次性告知），提交后整案核验。",
        version="1",
        lifespan=lifespan,
    )
    app.state.service = service
    install_handlers(app)

    app.include_router(router, prefix="/api")
    # The clerks' workbench and the supervisors' page (issue 31).
    for staff_router in (routes_auth.router, routes_review.router, routes_decisions.router, routes_supervisor.router):
        app.include_router(staff_router, prefix="/api")
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")

    @app.get("/api/health", tags=["service"])
    def health(session: Annotated[Session, Depends(db_session)]) -> Health:
        """Database and object store both answer (a failing store → 503 storage_unavailable); `warming`
        while the background still starts Prefect and loads the full reading's models (answers are
        slower then: they share the cores with it)."""
        database = session.scalar(text("SELECT 1")) == 1
        store.list_buckets()
        readings = service.readings
        pending = readings.pending if readings is not None else 0
        warming = readings is not None and not readings.ready.is_set()
        return Health(status="ok", database=database, storage=True, readings_pending=pending, warming=warming)

    return app
