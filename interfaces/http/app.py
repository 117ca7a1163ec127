"""`create_app(settings, store, db_engine, analyser)`: the FastAPI application. Built once per
process; the OCR models stay warm in it. Dependencies (session, caller) are in deps.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from db.session import session_factory
from intake.catalog import default_catalog
from intake.settings import Settings
from interfaces.http import pages, routes_auth, routes_decisions, routes_review, routes_supervisor
from interfaces.http.analysis import Analyser
from interfaces.http.deps import Service, db_session
from interfaces.http.errors import install_handlers
from interfaces.http.routes_cases import router
from interfaces.http.schemas import Health
from storage.store import ObjectStore


def create_app(
    settings: Settings, store: ObjectStore, db_engine: Engine, analyser: Analyser, *, warm: bool = True
) -> FastAPI:
    """The service over a migrated database. `warm`: load the models before the first request."""
    service = Service(
        settings=settings,
        store=store,
        sessions=session_factory(db_engine),
        analyser=analyser,
        catalog=default_catalog(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            service.warm_up()
        yield

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
        """Database and object store both answer (a failing store → 503 storage_unavailable)."""
        database = session.scalar(text("SELECT 1")) == 1
        store.list_buckets()
        return Health(status="ok", database=database, storage=True)

    return app
