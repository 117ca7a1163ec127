"""Request and response bodies of the service. The case itself is the CLI's JSON contract
(interfaces/report.py `case_json`), not a second schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from intake.models import MissingMaterial
from intake.requests import ItemRef, StorageRef


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


class CaseFile(BaseModel):
    """One file of the case as uploaded, withdrawn ones included (their originals stay archived)."""

    file_id: str
    name: str = Field(description="上传时的文件名")
    sha256: str = Field(description="原件内容的 SHA-256（十六进制）")
    content_type: str = Field(description="按文件内容判定的类型（image/jpeg、application/pdf …）")
    size: int = Field(description="字节数")
    accepted: bool | None = Field(description="即时答复：可用（true）、需重拍或更换（false）；批量收件为 null")
    issues: list[Issue] = Field(description="即时答复的问题（代码与中文说明）")
    withdrawn: bool
    uploaded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None


class CaseView(BaseModel):
    """The case in the CLI's JSON contract (`intake process --json`: interfaces/report.py `case_json`),
    with its state, version and files."""

    case_id: str
    item: ItemRef
    verdict: str
    missing: list[MissingMaterial]
    reasons: list[dict[str, Any]] = Field(description="核验理由：code、message 及相关字段")
    notice: str = Field(description="一次性告知")
    documents: list[dict[str, Any]] = Field(description="识别出的材料及其字段（与命令行 --json 相同）")
    storage: StorageRef
    state: str = Field(description="open、processing、decided …")
    version: int
    files: list[CaseFile]


class Health(BaseModel):
    status: str
    database: bool
    storage: bool
    readings_pending: int = Field(default=0, description="等待后台完整识别的上传文件数")
    warming: bool = Field(default=False, description="后台仍在启动 Prefect 并加载完整识别模型（此时答复可能较慢）")
