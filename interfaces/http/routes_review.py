"""The clerks' review workbench API: the queue (claim under a lease, release), the case as a clerk
sees it (pages, boxes, fields, checks, checklist), a region read again, revealed ID numbers and the
audit trail. Corrections and decisions are in routes_decisions.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import cv2
import numpy as np
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit as audit_repo
from db import corrections, review
from db.cases import audit, case_documents, case_model, get_case, latest_verdict
from db.models import AuditSource, CaseRow, CaseVersionRow, DocumentRow, ReviewTaskRow
from intake.idnumber import mask_id
from intake.models import DocType, Verdict
from interfaces.http.deps import Service, db_session, service_of
from interfaces.http.errors import ApiCode, ApiError
from interfaces.http.routes_auth import Staff, StaffDep
from interfaces.http.routes_supervisor import prefect_ui_url
from interfaces.http.uploads import DOC_TYPE_ZH
from ocr.engine import get_engine
from ocr.loader import InputError, load_pages
from storage import layout
from validators.materials import assess_materials
from validators.verdict import case_options

router = APIRouter(tags=["review"])
SessionDep = Annotated[Session, Depends(db_session)]


def is_id_field(name: str) -> bool:
    """ID numbers are shown masked until a clerk asks for the full value (an audited view)."""
    return name.endswith("id_number")


def shown(name: str, value: Any) -> Any:
    return mask_id(str(value)) if is_id_field(name) and value else value


def find_case(session: Session, case_id: str) -> CaseRow:
    case = get_case(session, case_id)
    if case is None:
        raise ApiError(ApiCode.case_not_found)
    return case


def _lease(service: Service) -> dt.timedelta:
    return dt.timedelta(minutes=service.settings.review_lease_minutes)


# --- queue -------------------------------------------------------------------------------------


class QueueItem(BaseModel):
    case_id: str
    item: str
    region: str
    verdict: str | None
    reasons: list[str]
    state: str
    holder: str | None
    deadline: dt.datetime | None
    overdue: bool
    created_at: dt.datetime


class Claimed(BaseModel):
    case_id: str
    task_id: int
    lease_expires_at: dt.datetime
    url: str


def queue_item(entry: review.QueueEntry, now: dt.datetime) -> QueueItem:
    task, case = entry.task, entry.case
    deadline = review.aware(task.deadline) if task.deadline else None
    return QueueItem(
        case_id=case.id,
        item=case.item_name,
        region=case.region,
        verdict=case.verdict,
        reasons=list(task.reasons),
        state=task.state,
        holder=entry.holder,
        deadline=deadline,
        overdue=deadline is not None and deadline < now,
        created_at=review.aware(task.created_at),
    )


@router.get("/review/queue", response_model=list[QueueItem])
def review_queue(staff: StaffDep, session: SessionDep) -> list[QueueItem]:
    """Live review tasks in the order they are handed out: overdue first, then priority, then age."""
    now = dt.datetime.now(dt.UTC)
    return [queue_item(entry, now) for entry in review.queue(session)]


def _claimed(task: ReviewTaskRow) -> Claimed:
    assert task.lease_expires_at is not None
    return Claimed(
        case_id=task.case_id,
        task_id=task.id,
        lease_expires_at=review.aware(task.lease_expires_at),
        url=f"/review/cases/{task.case_id}",
    )


@router.get("/review/next", response_model=Claimed, responses={204: {"description": "队列为空"}})
def review_next(request: Request, staff: StaffDep, session: SessionDep) -> Claimed | Response:
    """Claim the next task (the one already held, renewed, comes first). 204 when the queue is empty."""
    task = review.claim_next(session, staff.user, _lease(service_of(request)))
    session.commit()
    return _claimed(task) if task is not None else Response(status_code=204)


@router.post("/review/cases/{case_id}/claim", response_model=Claimed)
def review_claim(case_id: str, request: Request, staff: StaffDep, session: SessionDep) -> Claimed:
    """Claim this case's task (from the queue list); 409 while another clerk holds it."""
    find_case(session, case_id)
    task = review.live_task(session, case_id)
    if task is None:
        raise ApiError(ApiCode.no_review_task)
    if task.lease_holder_id != staff.user.id and not review.claim_task(
        session, task.id, staff.user, _lease(service_of(request))
    ):
        raise ApiError(ApiCode.lease_lost, "该任务正由其他人处理")
    if task.lease_holder_id == staff.user.id:
        task.lease_expires_at = dt.datetime.now(dt.UTC) + _lease(service_of(request))
    session.commit()
    session.refresh(task)
    return _claimed(task)


class ReleaseBody(BaseModel):
    reason: str = Field(min_length=1, max_length=300)


@router.post("/review/cases/{case_id}/release", status_code=204)
def review_release(case_id: str, body: ReleaseBody, staff: StaffDep, session: SessionDep) -> Response:
    """Give the task back to the queue at once, with a reason."""
    find_case(session, case_id)
    task = held_task(session, case_id, staff)
    review.release(session, task, staff.actor, body.reason)
    session.commit()
    return Response(status_code=204)


def held_task(session: Session, case_id: str, staff: Staff) -> ReviewTaskRow:
    try:
        return review.require_lease(review.live_task(session, case_id), staff.user)
    except review.LeaseLost as exc:
        raise ApiError(ApiCode.lease_lost) from exc


# --- the case as a clerk sees it -------------------------------------------------------------


def _field_view(document: DocumentRow, weak_below: float) -> list[dict[str, Any]]:
    failed = [c for c in document.detail.get("checks", []) if not c.get("ok")]
    views = []
    for field in document.fields:
        checks = [c["message"] for c in failed if field.name in c.get("fields", [])]
        views.append(
            {
                "name": field.name,
                "value": shown(field.name, field.value),
                "masked": is_id_field(field.name) and bool(field.value),
                "confidence": field.confidence,
                "page": field.page,
                "bbox": field.bbox,
                "flagged": field.confidence < weak_below or bool(checks),
                "checks": checks,
            }
        )
    return views


def _document_view(case: CaseRow, position: int, document: DocumentRow, weak_below: float) -> dict[str, Any]:
    checks = document.detail.get("checks", [])
    return {
        "position": position,
        "doc_type": document.doc_type,
        "doc_type_name": DOC_TYPE_ZH.get(DocType(document.doc_type), document.doc_type),
        "side": document.side,
        "confidence": document.confidence,
        "is_copy": document.is_copy,
        "has_seal": document.has_seal,
        "source": document.source,
        # Only pages the app can show: the document's original is in the archive.
        "pages": [
            {"page": p, "url": f"/api/cases/{case.id}/documents/{position}/pages/{p}"}
            for p in (document.pages if any(f.sha256 == document.sha256 for f in case.files) else [])
        ],
        "fields": _field_view(document, weak_below),
        "failed_checks": [c["message"] for c in checks if not c.get("ok")],
        "errors": [e["message"] for e in document.detail.get("errors", [])],
    }


def _checklist(service: Service, case: CaseRow) -> list[dict[str, Any]]:
    model = case_model(case)
    item = service.catalog.find(case.item_id)
    options = case_options(model)
    statuses = {
        s.material.id: s
        for s in assess_materials(item, model.documents, options, service.thresholds.min_classification_confidence)
    }
    entries = []
    for material in item.materials:
        status = statuses.get(material.id)
        entries.append(
            {
                "material_id": material.id,
                "name": material.name,
                "required": material.applies(options),
                "satisfied_by": status.documents if status else [],
                "missing": bool(status and status.missing),
                "detail": status.missing_detail if status else "",
                "copy_only": bool(status and status.copy_only),
                "original_uncertain": bool(status and status.original_uncertain),
                "seal_missing": bool(status and status.seal_missing),
            }
        )
    return entries


def masked_event(event: Any) -> dict[str, Any]:
    data = audit_repo.event_json(event)
    if event.field and is_id_field(event.field):
        data["before"] = shown(event.field, data["before"])
        data["after"] = shown(event.field, data["after"])
    return data


def _verdict_view(verdict: Verdict | None) -> dict[str, Any] | None:
    return verdict.model_dump(mode="json") if verdict else None


@router.get("/review/cases/{case_id}")
def review_case(case_id: str, request: Request, staff: StaffDep, session: SessionDep) -> dict[str, Any]:
    """Everything the case page shows: documents with their pages, fields (boxes, confidence, failed
    checks; ID numbers masked), the verdict and its reasons, the checklist, versions, task, audit."""
    service = service_of(request)
    case = find_case(session, case_id)
    task = review.live_task(session, case_id)
    weak = service.thresholds.min_field_confidence
    ui = prefect_ui_url()
    versions = session.scalars(
        select(CaseVersionRow).where(CaseVersionRow.case_id == case_id).order_by(CaseVersionRow.version)
    ).all()
    return {
        "case_id": case.id,
        "item": {"id": case.item_id, "name": case.item_name, "region": case.region},
        "state": case.state,
        "version": case.version,
        "case_date": case.case_date.isoformat(),
        "verdict": _verdict_view(latest_verdict(session, case)),
        "documents": [_document_view(case, n, d, weak) for n, d in enumerate(case_documents(case))],
        "checklist": _checklist(service, case),
        "versions": [
            {
                "version": v.version,
                "verdict": v.verdict,
                "cause": v.cause,
                "actor": v.actor,
                "flow_run_id": v.flow_run_id,
                "flow_run_url": f"{ui}/runs/flow-run/{v.flow_run_id}" if ui and v.flow_run_id else None,
                "at": review.aware(v.created_at).isoformat(),
            }
            for v in versions
        ],
        "task": None
        if task is None
        else {
            "state": task.state,
            "held_by_me": task.lease_holder_id == staff.user.id,
            "deadline": review.aware(task.deadline).isoformat() if task.deadline else None,
            "reasons": task.reasons,
            "note": task.note,
        },
        "audit": [masked_event(e) for e in audit_repo.case_events(session, case_id)],
    }


@router.get("/cases/{case_id}/audit")
def case_audit(case_id: str, staff: StaffDep, session: SessionDep) -> list[dict[str, Any]]:
    """The case's append-only history: action, before, after, actor, time, source."""
    find_case(session, case_id)
    return [masked_event(e) for e in audit_repo.case_events(session, case_id)]


@router.get("/cases/{case_id}/documents/{position}/pages/{page}", response_class=Response)
def page_image(
    case_id: str, position: int, page: int, request: Request, staff: StaffDep, session: SessionDep
) -> Response:
    """A document's page as JPEG, served through the app (the bucket is never public): the image
    the flow stored, else rendered from the original by the loader (and kept for next time)."""
    data = _page_jpeg(service_of(request), find_case(session, case_id), position, page)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})


def _page_jpeg(service: Service, case: CaseRow, position: int, page: int) -> bytes:
    document = _document(case, position)
    if document.sha256 is None or page not in document.pages:
        raise ApiError(ApiCode.document_not_found)
    key = layout.page_image_key(document.sha256, page)
    if service.store.exists(key):
        return service.store.get_bytes(key)
    original = next((f for f in case.files if f.sha256 == document.sha256), None)
    if original is None:
        raise ApiError(ApiCode.document_not_found)
    try:
        pages = load_pages(service.store.get_bytes(original.object_key), service.settings.limits)
        raw = next(p for p in pages if p.page == page)
    except (InputError, StopIteration) as exc:
        raise ApiError(ApiCode.document_not_found) from exc
    ok, jpeg = cv2.imencode(".jpg", raw.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ApiError(ApiCode.document_not_found)
    service.store.put_bytes(key, jpeg.tobytes(), "image/jpeg")
    return bytes(jpeg.tobytes())


class Region(BaseModel):
    bbox: tuple[float, float, float, float] = Field(description="x0, y0, x1, y1 in the page image's pixels")


class RegionText(BaseModel):
    text: str
    confidence: float


@router.post("/cases/{case_id}/documents/{position}/pages/{page}/read", response_model=RegionText)
def read_region(
    case_id: str, position: int, page: int, body: Region, request: Request, staff: StaffDep, session: SessionDep
) -> RegionText:
    """Read again a box the clerk drew on the page (the same OCR engine, only that region). Nothing
    is stored: the clerk saves the text into a field as a correction, which is audited."""
    service = service_of(request)
    image = cv2.imdecode(np.frombuffer(_page_jpeg(service, find_case(session, case_id), position, page), np.uint8), 1)
    if image is None:
        raise ApiError(ApiCode.document_not_found)
    x0, y0, x1, y1 = (round(v) for v in body.bbox)
    height, width = image.shape[:2]
    x0, x1 = sorted((max(0, min(width, x0)), max(0, min(width, x1))))
    y0, y1 = sorted((max(0, min(height, y0)), max(0, min(height, y1))))
    if x1 - x0 < 4 or y1 - y0 < 4:
        raise ApiError(ApiCode.invalid_request, "框选区域太小")
    # A margin of white around the crop: the detector finds no line that touches the border.
    crop = cv2.copyMakeBorder(image[y0:y1, x0:x1], 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    with service.analysis_slots:
        lines = get_engine(service.settings.ocr).read(crop)
    text = "".join(line.text for line in lines)
    confidence = min((line.confidence for line in lines), default=0.0)
    return RegionText(text=text, confidence=confidence)


def _document(case: CaseRow, position: int) -> DocumentRow:
    try:
        return corrections.document_at(case, position)
    except corrections.NotInCase as exc:
        raise ApiError(ApiCode.document_not_found) from exc


@router.get("/cases/{case_id}/documents/{position}/fields/{name}/reveal")
def reveal_field(case_id: str, position: int, name: str, staff: StaffDep, session: SessionDep) -> dict[str, Any]:
    """The full value of a masked field (an ID number). Viewing it is itself an audited event."""
    case = find_case(session, case_id)
    document = _document(case, position)
    field = next((f for f in document.fields if f.name == name), None)
    if field is None:
        raise ApiError(ApiCode.document_not_found)
    audit(
        session,
        "id_number_viewed",
        actor=staff.actor,
        source=AuditSource.clerk,
        case_id=case.id,
        document_id=document.id,
        field=name,
    )
    session.commit()
    return {"name": name, "value": field.value}
