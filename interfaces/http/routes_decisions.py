"""Corrections and decisions of the review workbench: every write names the case version it was
based on (`expected_version`; a stale one → 409 before anything changes) and needs the caller to
hold the task's lease. A correction is judged again at once by the validator and stored as a new
version; a decision runs as its own Prefect flow run (flows/review_flow.py `review_decision`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from db import corrections
from db.cases import latest_verdict, record_version
from db.models import CaseRow, CaseState
from flows.review_flow import Action, rejudge, review_decision
from intake.models import DocType, Side, VerdictStatus
from interfaces.http.deps import db_session, service_of
from interfaces.http.errors import ApiCode, ApiError
from interfaces.http.routes_auth import Staff, StaffDep
from interfaces.http.routes_review import find_case, held_task
from interfaces.http.schemas import CaseSoFar
from interfaces.http.uploads import case_so_far

router = APIRouter(tags=["review"])
SessionDep = Annotated[Session, Depends(db_session)]


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
    case = find_case(session, case_id)
    try:
        corrections.claim_version(session, case, expected)
    except corrections.StaleVersion as exc:
        session.rollback()
        raise ApiError(ApiCode.stale_version) from exc
    held_task(session, case_id, staff)
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
    case = find_case(session, case_id)
    expected = case.version if body.expected_version is None else body.expected_version
    if expected != case.version:
        raise ApiError(ApiCode.stale_version)
    task = held_task(session, case_id, staff)
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
    case = find_case(session, case_id)
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
