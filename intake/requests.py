"""What the flows take and return: JSON-serialisable, secret-free, stable across workers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from intake.models import Case, StoredOriginal, Verdict


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
