"""FastAPI dependencies: the service's shared state, a database session per request, the caller."""

from __future__ import annotations

import datetime as dt
import hmac
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from db import cases as repo
from intake.catalog import Catalog
from intake.settings import Settings
from interfaces.http.analysis import Analyser
from interfaces.http.background import FullReadings
from interfaces.http.errors import ApiCode, ApiError
from ocr.provision import CALIBRATION_DIR
from storage.store import ObjectStore
from validators.verdict import Thresholds

# A page shipped with the package, read once at start so that no applicant pays for the first reading.
WARM_UP_PAGE = "discharge_record_photo.jpg"


@dataclass
class Service:
    """What every request shares: settings read once at start, the store, the database, the reader, and
    the background full reading of uploads (None: submission reads every file itself)."""

    settings: Settings
    store: ObjectStore
    sessions: sessionmaker[Session]
    analyser: Analyser
    catalog: Catalog
    # OCR is CPU-bound: at most one analysis per core, the rest wait, the event loop stays free.
    analysis_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(os.cpu_count() or 1)
    )
    readings: FullReadings | None = None

    @property
    def thresholds(self) -> Thresholds:
        return self.settings.thresholds

    def answering(self) -> AbstractContextManager[None]:
        """While an instant answer is worked out, the background starts no full reading."""
        return self.readings.answering() if self.readings is not None else nullcontext()

    def warm_up(self) -> None:
        """Load the OCR models and rules now, not on the first applicant's upload: a packaged page with
        text (a phone photo of a discharge record) goes through the same analysis an upload does, so
        every stage has run once (the engines' first inference, the classifier and extraction rules);
        a blank page would stop at the blank test and leave the first applicant to pay for it (about
        1 s on this kind of machine, measured by `make bench-service`)."""
        page = (CALIBRATION_DIR / WARM_UP_PAGE).read_bytes()
        with self.analysis_slots:
            self.analyser(page, WARM_UP_PAGE, self.settings, dt.date.today())


@dataclass(frozen=True)
class Caller:
    """Who is calling. `actor` goes to audit events and never holds a secret."""

    kind: Literal["channel", "staff", "upload"]
    actor: str
    case_id: str | None = None  # an upload token's one case

    def require_case(self, case_id: str) -> None:
        if self.kind == "upload" and self.case_id != case_id:
            raise ApiError(ApiCode.forbidden)

    def require_opener(self) -> None:
        if self.kind == "upload":
            raise ApiError(ApiCode.forbidden, "上传凭证不能创建案件")


def service_of(request: Request) -> Service:
    service = request.app.state.service
    assert isinstance(service, Service)
    return service


def db_session(request: Request) -> Iterator[Session]:
    with service_of(request).sessions() as session:
        yield session


bearer = HTTPBearer(auto_error=False, description="渠道密钥、工作人员令牌或案件上传凭证")


def current_caller(
    request: Request,
    session: Annotated[Session, Depends(db_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise ApiError(ApiCode.unauthorized)
    token = credentials.credentials
    for number, key in enumerate(service_of(request).settings.api_keys, 1):
        if hmac.compare_digest(token.encode(), key.encode()):
            return Caller(kind="channel", actor=f"channel-{number}")
    row = repo.token_row(session, token)
    if row is not None and row.case_id is not None and row.kind == "upload":
        return Caller(kind="upload", actor=f"upload:{row.case_id}", case_id=row.case_id)
    user = repo.staff_user(row) if row is not None else None
    if user is not None:
        return Caller(kind="staff", actor=f"user:{user.username}")
    raise ApiError(ApiCode.unauthorized)
