"""What the flows take and return: JSON-serialisable, secret-free, stable across workers."""

from __future__ import annotations

import datetime as dt
import os

from pydantic import BaseModel, Field

from intake.models import Case, StoredOriginal, Verdict
from intake.settings import InputLimits, OcrOptions, PreprocessSettings, RapidOcrOptions, Settings, Thresholds


class RunSettings(BaseModel):
    """The settings a flow run is given as a parameter: where to store and how to read and judge.
    No credentials: Prefect stores parameters, so the keys come from the worker's own `Settings`."""

    s3_endpoint: str | None = None
    s3_bucket: str = "intake"
    s3_secure: bool = False
    s3_region: str | None = None
    workers: int = 1
    ocr: OcrOptions = Field(default_factory=RapidOcrOptions)
    limits: InputLimits = Field(default_factory=InputLimits)
    preprocess: PreprocessSettings = Field(default_factory=PreprocessSettings)
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @classmethod
    def from_settings(cls, settings: Settings) -> RunSettings:
        """The run's part of `settings`. With several workers the machine's cores are shared out between
        them (two workers on two cores read one thread each) unless the OCR thread count was set."""
        run = cls.model_validate(settings.model_dump(include=set(cls.model_fields)))
        if settings.workers <= 1 or "threads" in settings.ocr.model_fields_set:
            return run
        threads = max(1, (os.cpu_count() or 1) // settings.workers)
        return run.model_copy(update={"ocr": run.ocr.model_copy(update={"threads": threads})})

    def over(self, worker: Settings) -> Settings:
        """The worker's settings (its credentials) with this run's settings in place of its own."""
        return worker.model_copy(update={name: getattr(self, name) for name in type(self).model_fields})


class InputRef(BaseModel):
    """One input file: a local path (CLI, folder intake) or an object already in the store (upload)."""

    source: str  # as the user gave it; shown in reports
    path: str | None = None
    key: str | None = None


class CaseRequest(BaseModel):
    case_id: str | None = None  # None → derived from the item and the files' content hashes
    item: str
    region: str | None = None
    agent: bool = False
    options: dict[str, str] = Field(default_factory=dict)
    case_date: dt.date = Field(default_factory=dt.date.today)
    files: list[InputRef]


class ItemRef(BaseModel):
    id: str
    name: str
    region: str


class StorageRef(BaseModel):
    bucket: str
    prefix: str


class CaseResult(BaseModel):
    case: Case
    item: ItemRef
    verdict: Verdict
    storage: StorageRef
    originals: list[StoredOriginal] = Field(default_factory=list)


class BatchCase(BaseModel):
    case_id: str
    item: str
    region: str | None = None
    agent: bool = False
    options: dict[str, str] = Field(default_factory=dict)
    case_date: dt.date | None = None
    files: list[str]


class BatchReport(BaseModel):
    batch_id: str
    cases: list[CaseResult]
    failed: dict[str, str] = Field(default_factory=dict)  # case id → reason code, when a case could not run
    totals: dict[str, int] = Field(default_factory=dict)
    storage: StorageRef
