"""Case routes: create, upload (instant answer), read, withdraw a file, submit (Prefect flow run).

Thin: they check who may do what and in which state, then call the repository, the pipeline (through
the analyser) and the validator. CPU-bound work runs in the threadpool, never on the event loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from db import cases as repo
from db.models import CaseRow, CaseState
from flows.case_flow import process_case
from flows.review_flow import route_to_review
from intake.requests import CaseRequest, CaseResult, InputRef, ItemRef, RunSettings, StorageRef
from interfaces.http.deps import Caller, Service, current_caller, db_session, service_of
from interfaces.http.errors import ApiCode, ApiError
from interfaces.http.schemas import (
    CaseCreate,
    CaseCreated,
    CaseFile,
    CaseView,
    ChecklistEntry,
    Issue,
    UploadAnswer,
    Withdrawn,
)
from interfaces.http.uploads import answer_file, case_so_far, judge_so_far, read_uploads
from interfaces.report import case_json
from storage import layout

router = APIRouter(tags=["cases"])

SessionDep = Annotated[Session, Depends(db_session)]
CallerDep = Annotated[Caller, Depends(current_caller)]

# Seconds a submission waits for Prefect's start at service start-up (background.py), and for a background
# reading in progress of one of its files; past either it goes on (the flow starts or reads what it needs).
PREFECT_START_WAIT = 120.0
READING_IN_PROGRESS_WAIT = 10.0


def _case(session: Session, case_id: str, caller: Caller) -> CaseRow:
    caller.require_case(case_id)
    case = repo.get_case(session, case_id)
    if case is None:
        raise ApiError(ApiCode.case_not_found)
    return case


def _require_open(case: CaseRow) -> None:
    if case.state == CaseState.processing.value:
        raise ApiError(ApiCode.case_processing)
    if case.state != CaseState.open.value:
        raise ApiError(ApiCode.case_not_open)


@router.post("/cases", status_code=201, response_model=CaseCreated)
def create_case(body: CaseCreate, request: Request, session: SessionDep, caller: CallerDep) -> CaseCreated:
    """Open a case for one service item; the answer carries the item's checklist and an upload token."""
    caller.require_opener()
    service = service_of(request)
    item = service.catalog.find(body.item, body.region)  # UnknownItem → 422 unknown_item
    ref = ItemRef(id=item.id, name=item.name, region=item.region)
    case_id = repo.new_case_id()
    repo.create_case(
        session,
        case_id=case_id,
        item=ref,
        agent=body.agent,
        options=body.options,
        case_date=body.case_date or dt.date.today(),
        actor=caller.actor,
    )
    session.flush()
    token = repo.issue_upload_token(session, case_id)
    session.commit()
    options = {**body.options, "agent": "true" if body.agent else "false"}
    checklist = [
        ChecklistEntry(
            material_id=m.id,
            name=m.name,
            required=m.applies(options),
            necessity=m.necessity.value,
            accepts=[t.value for t in m.accepts],
            note=m.note,
        )
        for m in item.materials
    ]
    return CaseCreated(case_id=case_id, upload_token=token, item=ref, checklist=checklist)


@router.post("/cases/{case_id}/files", response_model=UploadAnswer)
async def upload_files(case_id: str, request: Request, session: SessionDep, caller: CallerDep) -> UploadAnswer:
    """One or more files (multipart field `file`; optional field `material`: the material id the
    files are meant for). Each gets an instant answer; the case is judged as it stands."""
    service = service_of(request)
    case = await run_in_threadpool(_case, session, case_id, caller)
    _require_open(case)
    uploads, material = await read_uploads(request, service.settings.max_upload_bytes)
    if material is not None and material not in {m.id for m in service.catalog.find(case.item_id).materials}:
        raise ApiError(ApiCode.invalid_request, f"本事项没有编号为 {material} 的材料")
    return await run_in_threadpool(_answer_uploads, service, session, case, uploads, material, caller)


def _answer_uploads(
    service: Service, session: Session, case: CaseRow, uploads: list[Any], material: str | None, caller: Caller
) -> UploadAnswer:
    answers = [answer_file(service, session, case, upload, material, caller) for upload in uploads]
    verdict = judge_so_far(service, case)
    repo.record_version(session, case, verdict, cause="upload", actor=caller.actor)
    session.commit()
    return UploadAnswer(files=answers, case=case_so_far(verdict))


@router.get("/cases/{case_id}", response_model=CaseView)
def get_case(case_id: str, request: Request, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """The case in the CLI's JSON contract (`intake process --json`), with its state, version and every
    file uploaded to it (withdrawn ones too): sha256, name, content type, size, instant answer."""
    case = _case(session, case_id, caller)
    return _case_body(service_of(request), session, case)


def _case_body(service: Service, session: Session, case: CaseRow) -> dict[str, Any]:
    verdict = repo.latest_verdict(session, case) or judge_so_far(service, case)
    result = CaseResult(
        case=repo.case_model(case),
        item=ItemRef(id=case.item_id, name=case.item_name, region=case.region),
        verdict=verdict,
        storage=StorageRef(bucket=service.store.bucket, prefix=layout.case_prefix(case.id)),
        originals=repo.originals(case),
    )
    files = [
        CaseFile(
            file_id=f.public_id,
            name=f.original_name,
            sha256=f.sha256,
            content_type=f.content_type,
            size=f.size,
            accepted=f.accepted,
            issues=[Issue.model_validate(i) for i in f.issues],
            withdrawn=f.withdrawn,
            uploaded_at=f.created_at,
            withdrawn_at=f.withdrawn_at,
        )
        for f in case.files
    ]
    return {**case_json(result), "state": case.state, "version": case.version, "files": files}


@router.delete("/cases/{case_id}/files/{file_id}", response_model=Withdrawn)
def withdraw_file(case_id: str, file_id: str, request: Request, session: SessionDep, caller: CallerDep) -> Withdrawn:
    """The file leaves the case; its original stays in the archive, marked withdrawn."""
    service = service_of(request)
    case = _case(session, case_id, caller)
    _require_open(case)
    file = repo.find_file(case, file_id)
    if file is None or file.withdrawn:
        raise ApiError(ApiCode.file_not_found)
    repo.withdraw_file(session, case, file, caller.actor)
    session.flush()
    verdict = judge_so_far(service, case)
    repo.record_version(session, case, verdict, cause="withdraw", actor=caller.actor)
    session.commit()
    return Withdrawn(file_id=file_id, withdrawn=True, case=case_so_far(verdict))


@router.post("/cases/{case_id}/submit", response_model=CaseView)
def submit_case(case_id: str, request: Request, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """The whole case as one Prefect flow run (flows/case_flow.py `process_case`): each file's full
    reading from the reading cache when the background has made it, else read now; its verdict is stored
    as a new version and returned in the CLI's JSON contract."""
    service = service_of(request)
    case = _case(session, case_id, caller)
    _require_open(case)
    files = repo.active_files(case)
    if not files:
        raise ApiError(ApiCode.no_files)
    case.state = CaseState.processing.value
    session.commit()
    if service.readings is not None:
        service.readings.ready.wait(PREFECT_START_WAIT)
        service.readings.take_over({f.object_key for f in files}, READING_IN_PROGRESS_WAIT)
    request_body = CaseRequest(
        case_id=case.id,
        item=case.item_id,
        agent=case.agent,
        options=dict(case.options),
        case_date=case.case_date,
        files=[InputRef(source=f.original_name, key=f.object_key) for f in files],
    )
    try:
        state = process_case(request_body, RunSettings.from_settings(service.settings), return_state=True)
        result = state.result()
        assert isinstance(result, CaseResult)
    except BaseException:
        case.state = CaseState.open.value  # the applicant may submit again; nothing was decided
        session.commit()
        raise
    flow_run_id = str(state.state_details.flow_run_id) if state.state_details.flow_run_id else None
    repo.record_case(session, result, actor=caller.actor, cause="submit", flow_run_id=flow_run_id)
    route_to_review(session, case, service.catalog, service.settings)  # duplicates, review task (issue 31)
    session.commit()
    return _case_body(service, session, case)
