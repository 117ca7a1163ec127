"""Uploads: read the request body under a byte cap, check types by magic bytes, then per file
store the original, analyse it and give the instant answer. The reader and the validator decide;
this module only sequences them and words the answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.types import Message

from db import cases as repo
from db.models import CaseRow, FileRow
from intake.catalog import ServiceItem
from intake.models import DocType, Document, Verdict
from intake.reasons import Code, reason
from interfaces.http.deps import Caller, Service
from interfaces.http.errors import ApiCode, ApiError
from interfaces.http.schemas import CaseSoFar, DocumentBrief, FileAnswer, Issue
from ocr.loader import content_type, sniff
from validators.verdict import judge

# Multipart boundaries and part headers on top of the files' own bytes.
MULTIPART_OVERHEAD = 64 * 1024
MAX_FILES_PER_REQUEST = 20

DOC_TYPE_ZH: dict[DocType, str] = {
    DocType.invoice: "医疗费用发票",
    DocType.discharge_record: "出院记录",
    DocType.expense_list: "费用清单",
    DocType.id_card: "身份证",
    DocType.filing_form: "备案表",
    DocType.social_security_card: "社会保障卡",
    DocType.medical_insurance_code: "医保电子凭证",
    DocType.medical_record: "门诊病历",
    DocType.residence_proof: "居住证明",
    DocType.household_register: "户口簿",
    DocType.birth_certificate: "出生医学证明",
    DocType.death_certificate: "死亡证明",
    DocType.marriage_certificate: "结婚证",
    DocType.bank_card: "银行卡",
    DocType.passport: "护照",
    DocType.hospital_certificate: "医院证明",
    DocType.other: "无法识别的材料",
}


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


async def read_uploads(request: Request, max_bytes: int) -> tuple[list[Upload], str | None]:
    """The request's `file` parts (and an optional `material` id), refused before any decoding when
    too large (413, counted while the body streams in), not multipart (400), empty (400) or not a
    supported type by its bytes (415)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(ApiCode.bad_upload)
    cap = max_bytes + MULTIPART_OVERHEAD
    too_large = ApiError(Code.file_too_large, f"每次上传不超过 {max_bytes // (1024 * 1024)} MB")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise too_large
    received = 0

    async def capped_receive() -> Message:
        # A chunked or lying client is stopped as soon as the bytes pass the cap, not after.
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                raise too_large
        return message

    try:
        form = await Request(request.scope, capped_receive).form(max_files=MAX_FILES_PER_REQUEST, max_fields=10)
    except MultiPartException as exc:
        raise ApiError(ApiCode.bad_upload) from exc
    try:
        parts = [p for p in form.getlist("file") if isinstance(p, UploadFile)]
        uploads = [Upload(name=(p.filename or "upload").rsplit("/", 1)[-1], data=await p.read()) for p in parts]
        material = form.get("material")
    finally:
        await form.close()
    if not uploads:
        raise ApiError(ApiCode.invalid_request, "缺少上传字段 file")
    if sum(len(u.data) for u in uploads) > max_bytes:
        raise too_large
    for upload in uploads:
        if not upload.data:
            raise ApiError(Code.file_empty, upload.name)
        if sniff(upload.data) is None:
            raise ApiError(Code.file_unsupported, upload.name)
    return uploads, material if isinstance(material, str) and material else None


def brief(doc: Document) -> DocumentBrief:
    side = doc.side.value if doc.side else None
    return DocumentBrief(doc_type=doc.doc_type.value, side=side, confidence=doc.confidence, pages=doc.pages)


def file_issues(
    documents: list[Document], item: ServiceItem, options: dict[str, str], material: str | None
) -> list[Issue]:
    """What the applicant must do about this one file: re-shoot or replace an unreadable page (the
    reader's own error), or bring the right document when none of the file's documents is one the
    item (or the chosen material) accepts."""
    issues = [Issue(code=e.code, message=e.message) for doc in documents for e in doc.errors]
    if issues:
        return issues
    wanted = [m for m in item.materials if m.id == material] or [m for m in item.materials if m.applies(options)]
    accepted = {t for m in wanted for t in m.accepts} if material else {t for m in item.materials for t in m.accepts}
    if documents and not any(doc.doc_type in accepted for doc in documents):
        seen = "、".join(dict.fromkeys(DOC_TYPE_ZH[d.doc_type] for d in documents))
        names = "、".join(m.name for m in wanted)
        where = "应上传" if material else f"「{item.name}」需要"
        r = reason(Code.unexpected_document, f"本文件识别为{seen}；{where}：{names}")
        issues.append(Issue(code=r.code, message=r.message))
    return issues


def duplicate_answer(existing: FileRow, name: str) -> FileAnswer:
    r = reason(Code.duplicate_document, f"与已上传的文件「{existing.original_name}」相同，未重复识别")
    return FileAnswer(
        file_id=existing.public_id,
        name=name,
        sha256=existing.sha256,
        accepted=False,
        issues=[Issue(code=r.code, message=r.message)],
        documents=[brief(repo.document_from(d)) for d in existing.documents],
    )


def answer_file(
    service: Service, session: Session, case: CaseRow, upload: Upload, material: str | None, caller: Caller
) -> FileAnswer:
    """Store the original first (nothing is lost whatever follows), then analyse it for the instant answer,
    queue its full reading and record it."""
    digest = hashlib.sha256(upload.data).hexdigest()
    existing = repo.active_file_with_hash(case, digest)
    if existing is not None:
        return duplicate_answer(existing, upload.name)
    stored, _ = service.store.put_original(upload.data, upload.name, content_type(upload.data))
    with service.analysis_slots, service.answering():
        documents = service.analyser(upload.data, upload.name, service.settings, case.case_date)
    if service.readings is not None:
        service.readings.offer(stored)  # read in full while the applicant goes on; submission finds it
    item = service.catalog.find(case.item_id)
    issues = file_issues(documents, item, dict(case.options) | {"agent": str(case.agent).lower()}, material)
    file = repo.add_file(
        session,
        case,
        stored,
        accepted=not issues,
        issues=[i.model_dump() for i in issues],
        documents=documents,
        actor=caller.actor,
    )
    return FileAnswer(
        file_id=file.public_id,
        name=upload.name,
        sha256=digest,
        accepted=not issues,
        issues=issues,
        documents=[brief(d) for d in documents],
    )


def judge_so_far(service: Service, case: CaseRow) -> Verdict:
    """The case as it stands (withdrawn files left out), judged by the validator."""
    return judge(repo.case_model(case), service.catalog.find(case.item_id), service.thresholds)


def case_so_far(verdict: Verdict) -> CaseSoFar:
    return CaseSoFar(
        verdict=verdict.status.value,
        missing=verdict.missing,
        reasons=[Issue(code=r.code, message=r.message) for r in verdict.reasons],
        notice=verdict.notice,
    )
