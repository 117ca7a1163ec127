"""Request and response bodies of the service. The case itself is the CLI's JSON contract
(interfaces/report.py `case_json`), not a second schema."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from intake.models import MissingMaterial
from intake.requests import ItemRef


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: str = Field(min_length=1, max_length=200, description="事项名称（如 住院费用报销）或 ASCII id")
    region: str | None = Field(default=None, max_length=100)
    agent: bool = False
    options: dict[str, str] = Field(default_factory=dict)
    case_date: dt.date | None = None


class ChecklistEntry(BaseModel):
    material_id: str
    name: str
    required: bool  # required for this case's options (必要, or conditional and its condition holds)
    necessity: str
    accepts: list[str]
    note: str = ""


class CaseCreated(BaseModel):
    case_id: str
    upload_token: str = Field(description="只能访问本案件的上传凭证（Bearer）；服务端只保存其哈希")
    item: ItemRef
    checklist: list[ChecklistEntry]


class Issue(BaseModel):
    code: str
    message: str


class DocumentBrief(BaseModel):
    doc_type: str
    side: str | None
    confidence: float
    pages: list[int]


class FileAnswer(BaseModel):
    file_id: str
    name: str
    sha256: str
    accepted: bool
    issues: list[Issue]
    documents: list[DocumentBrief]


class CaseSoFar(BaseModel):
    verdict: str
    missing: list[MissingMaterial]
    reasons: list[Issue]
    notice: str


class UploadAnswer(BaseModel):
    files: list[FileAnswer]
    case: CaseSoFar


class Withdrawn(BaseModel):
    file_id: str
    withdrawn: bool
    case: CaseSoFar


class Health(BaseModel):
    status: str
    database: bool
    storage: bool
