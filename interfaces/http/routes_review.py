"""The clerks' review workbench API: the queue (claim under a lease, release), the case as a clerk
sees it (pages, boxes, fields, checks, checklist), corrections, decisions and the audit trail.

Every write names the case version it was based on (`expected_version`): a stale one is refused
with 409 before anything changes. Corrections are judged again at once by the validator and stored
as a new version; a decision runs as its own Prefect flow run (flows/review_flow.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import cv2
import numpy as np
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit as audit_repo
from db import corrections, review
from db.cases import audit, case_documents, case_model, get_case, latest_verdict, record_version
from db.models import AuditSource, CaseRow, CaseState, CaseVersionRow, DocumentRow, ReviewTaskRow
from extractors.idnumber import mask_id
from flows.review_flow import Action, rejudge, review_decision
from intake.models import DocType, Side, Verdict, VerdictStatus
from interfaces.http.deps import Service, db_session, service_of
from interfaces.http.errors import ApiCode, ApiError
from interfaces.http.routes_auth import Staff, StaffDep
from interfaces.http.routes_supervisor import prefect_ui_url
from interfaces.http.schemas import CaseSoFar
from interfaces.http.uploads import DOC_TYPE_ZH, case_so_far
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


def _case(session: Session, case_id: str) -> CaseRow:
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
    _case(session, case_id)
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
    _case(session, case_id)
    task = _held(session, case_id, staff)
    review.release(session, task, staff.actor, body.reason)
    session.commit()
    return Response(status_code=204)


def _held(session: Session, case_id: str, staff: Staff) -> ReviewTaskRow:
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
    case = _case(session, case_id)
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
    _case(session, case_id)
    return [masked_event(e) for e in audit_repo.case_events(session, case_id)]


@router.get("/cases/{case_id}/documents/{position}/pages/{page}", response_class=Response)
def page_image(
    case_id: str, position: int, page: int, request: Request, staff: StaffDep, session: SessionDep
) -> Response:
    """A document's page as JPEG, served through the app (the bucket is never public): the image
    the flow stored, else rendered from the original by the loader (and kept for next time)."""
    data = _page_jpeg(service_of(request), _case(session, case_id), position, page)
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
    image = cv2.imdecode(np.frombuffer(_page_jpeg(service, _case(session, case_id), position, page), np.uint8), 1)
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
    case = _case(session, case_id)
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


# --- corrections -------------------------------------------------------------------------------


class Versioned(BaseModel):
    expected_version: int = Field(ge=0, description="客户端看到的案件版本；已过时则拒绝（409）")


class FieldCorrection(Versioned):
    value: str | int | float | list[str] | None


class DocumentCorrection(Versioned):
    doc_type: DocType
    side: Side | None = None


class EditAnswer(BaseModel):
    version: int
    case: CaseSoFar


def _edit(
    request: Request, session: Session, staff: Staff, case_id: str, expected: int, change: Callable[[CaseRow], object]
) -> EditAnswer:
    """The one path for corrections: version check (409 stale), lease check (409), the change and
    its audit event, the verdict judged again and stored as a new version, one commit."""
    service = service_of(request)
    case = _case(session, case_id)
    try:
        corrections.claim_version(session, case, expected)
    except corrections.StaleVersion as exc:
        session.rollback()
        raise ApiError(ApiCode.stale_version) from exc
    _held(session, case_id, staff)
    try:
        change(case)
    except corrections.NotInCase as exc:
        session.rollback()
        raise ApiError(ApiCode.document_not_found) from exc
    session.flush()
    verdict = rejudge(session, case, service.catalog, service.thresholds)
    record_version(session, case, verdict, cause="review_edit", actor=staff.actor)
    case.state = CaseState.in_review.value
    session.commit()
    return EditAnswer(version=case.version, case=case_so_far(verdict))


@router.patch("/cases/{case_id}/documents/{position}/fields/{name}", response_model=EditAnswer)
def correct_field(
    case_id: str,
    position: int,
    name: str,
    body: FieldCorrection,
    request: Request,
    staff: StaffDep,
    session: SessionDep,
) -> EditAnswer:
    """Set a field to the value on the page; the verdict is judged again."""
    return _edit(
        request,
        session,
        staff,
        case_id,
        body.expected_version,
        lambda case: corrections.correct_field(session, case, position, name, body.value, staff.actor),
    )


@router.post("/cases/{case_id}/documents/{position}/fields/{name}/confirm", response_model=EditAnswer)
def confirm_field(
    case_id: str, position: int, name: str, body: Versioned, request: Request, staff: StaffDep, session: SessionDep
) -> EditAnswer:
    """The value stands as read (the clerk checked it against the page)."""
    return _edit(
        request,
        session,
        staff,
        case_id,
        body.expected_version,
        lambda case: corrections.confirm_field(session, case, position, name, staff.actor),
    )


@router.patch("/cases/{case_id}/documents/{position}", response_model=EditAnswer)
def correct_document(
    case_id: str, position: int, body: DocumentCorrection, request: Request, staff: StaffDep, session: SessionDep
) -> EditAnswer:
    """Change what a document is (type, side)."""
    return _edit(
        request,
        session,
        staff,
        case_id,
        body.expected_version,
        lambda case: corrections.correct_document(session, case, position, body.doc_type, body.side, staff.actor),
    )


@router.post("/cases/{case_id}/materials/{material_id}/seen", response_model=EditAnswer)
def material_seen(
    case_id: str, material_id: str, body: Versioned, request: Request, staff: StaffDep, session: SessionDep
) -> EditAnswer:
    """The original of this material was shown at the counter."""
    service = service_of(request)

    def change(case: CaseRow) -> object:
        item = service.catalog.find(case.item_id)
        material = next((m for m in item.materials if m.id == material_id), None)
        if material is None:
            raise corrections.NotInCase
        return corrections.material_seen(session, case, material_id, list(material.accepts), staff.actor)

    return _edit(request, session, staff, case_id, body.expected_version, change)


# --- decisions ---------------------------------------------------------------------------------


class Decision(BaseModel):
    action: Action
    reason: str | None = Field(default=None, max_length=300)
    expected_version: int | None = Field(default=None, ge=0)
    postpone_hours: float = Field(default=24.0, gt=0, le=24 * 30)


class DecisionAnswer(BaseModel):
    version: int
    verdict: str
    state: str
    flow_run_id: str | None
    case: CaseSoFar


@router.post("/cases/{case_id}/decision", response_model=DecisionAnswer)
def decide(case_id: str, body: Decision, request: Request, staff: StaffDep, session: SessionDep) -> DecisionAnswer:
    """Confirm (the validator must be satisfied: 409 review_unresolved while it still doubts), reject
    or postpone (both with a reason). Runs the `review-decision` Prefect flow, which stores the new
    version; the answer is what it stored."""
    service = service_of(request)
    case = _case(session, case_id)
    expected = case.version if body.expected_version is None else body.expected_version
    if expected != case.version:
        raise ApiError(ApiCode.stale_version)
    task = _held(session, case_id, staff)
    if body.action != "confirm" and not (body.reason and body.reason.strip()):
        raise ApiError(ApiCode.invalid_request, "退回或暂缓须填写原因")
    if body.action == "confirm":
        verdict = rejudge(session, case, service.catalog, service.thresholds)
        if verdict.status is VerdictStatus.needs_review:
            codes = "、".join(dict.fromkeys(r.code for r in verdict.reasons))
            raise ApiError(ApiCode.review_unresolved, codes)
    task.note = (body.reason or "").strip() or None
    session.commit()
    result = review_decision(
        case_id=case_id,
        action=body.action,
        actor=staff.actor,
        expected_version=expected,
        postpone_hours=body.postpone_hours,
    )
    if result.get("stale"):
        raise ApiError(ApiCode.stale_version)
    session.expire_all()
    case = _case(session, case_id)
    stored = latest_verdict(session, case)
    assert stored is not None
    run_id = result.get("flow_run_id")
    return DecisionAnswer(
        version=case.version,
        verdict=stored.status.value,
        state=case.state,
        flow_run_id=str(run_id) if run_id else None,
        case=case_so_far(stored),
    )
