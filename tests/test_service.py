"""The HTTP intake service against a real uvicorn server on a free port, on SQLite and on PostgreSQL:
real OCR, the real S3 server, real Prefect flow runs on submission, httpx as the client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from db import cases as repo
from db.models import ApiTokenRow, AuditEventRow, CaseRow, CaseVersionRow, FileRow, UserRow
from db.session import session_factory
from intake.settings import Settings
from interfaces.http.analysis import full_reading_config
from pipeline.readings import reading_key
from storage.store import ObjectStore
from tests.conftest_db import new_database_url
from tests.service_server import Running, running_service

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"
DOCUMENTS = ROOT / "samples" / "documents"
CHANNEL_KEY = "test-channel-key"
MAX_UPLOAD = 1024 * 1024
INPATIENT = "住院费用报销"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(
    request: pytest.FixtureRequest,
    object_store_for_cli: ObjectStore,
    cli_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Running]:
    """The app under uvicorn (tests/service_server.py); submitted cases run as Prefect flows, which
    read the store's endpoint and keys from the environment as a worker does."""
    url = new_database_url(request.param, request, tmp_path_factory.mktemp("db"))
    with pytest.MonkeyPatch.context() as env:
        for name, value in cli_env.items():
            if name.startswith("INTAKE_S3_"):
                env.setenv(name, value)
        settings = Settings(
            data_dir=tmp_path_factory.mktemp("data"), api_keys=[CHANNEL_KEY], max_upload_bytes=MAX_UPLOAD
        )
        with running_service(settings, object_store_for_cli, url) as running:
            yield running


@pytest.fixture
def client(service: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.base, timeout=300) as client:
        yield client


def channel() -> dict[str, str]:
    return {"Authorization": f"Bearer {CHANNEL_KEY}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def open_case(client: httpx.Client, item: str = INPATIENT, **body: object) -> tuple[str, str, dict[str, object]]:
    response = client.post("/api/cases", json={"item": item, "case_date": "2025-06-20", **body}, headers=channel())
    assert response.status_code == 201, response.text
    data = response.json()
    return data["case_id"], data["upload_token"], data


def upload(client: httpx.Client, case_id: str, token: str, *paths: Path, material: str | None = None) -> httpx.Response:
    files = [("file", (p.name, p.read_bytes())) for p in paths]
    data = {"material": material} if material else None
    return client.post(f"/api/cases/{case_id}/files", files=files, data=data, headers=bearer(token))


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]


def test_health_and_openapi(client: httpx.Client) -> None:
    health = client.get("/api/health")
    assert health.status_code == 200
    body = health.json()
    assert {k: v for k, v in body.items() if k not in ("readings_pending", "warming")} == {
        "status": "ok",
        "database": True,
        "storage": True,
    }
    assert isinstance(body["warming"], bool)
    schema = client.get("/openapi.json").json()
    assert "/api/cases/{case_id}/files" in schema["paths"]
    case_file = schema["components"]["schemas"]["CaseFile"]["properties"]
    assert {"sha256", "name", "content_type", "size", "accepted", "issues", "withdrawn"} <= set(case_file)
    answered = schema["paths"]["/api/cases/{case_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answered["schema"]["$ref"].endswith("/CaseView")
    assert client.get("/docs").status_code == 200


def test_case_uploaded_file_by_file_then_submitted(client: httpx.Client, service: Running) -> None:
    """GIVEN an inpatient case WHEN its five documents arrive one by one THEN each answer accepts the file
    and the one-time notice names fewer missing materials; each file is read in full in the background
    into the reading cache, and submitting runs the case flow (a Prefect flow run, recorded with the
    version) on those cached readings; the stored verdict is the complete one."""
    case_id, token, created = open_case(client)
    checklist = created["checklist"]
    assert isinstance(checklist, list) and {"发票", "出院"} & {c["name"][:2] for c in checklist}
    assert created["item"] == {"id": "zj_inpatient_reimbursement", "name": INPATIENT, "region": "浙江省"}
    first = client.get(f"/api/cases/{case_id}", headers=bearer(token)).json()
    missing_counts = [len(first["missing"])]
    assert first["state"] == "open" and first["verdict"] == "incomplete" and "一次性" in first["notice"]
    folder = CASES / "c01_inpatient_complete"
    digests = []
    for name in ("invoice.jpg", "discharge_record.jpg", "expense_list.pdf", "id_front.jpg", "id_back.jpg"):
        response = upload(client, case_id, token, folder / name)
        assert response.status_code == 200, response.text
        answer = response.json()
        (file,) = answer["files"]
        assert file["accepted"] is True and file["issues"] == [], file
        assert file["documents"] and len(file["sha256"]) == 64
        digests.append(file["sha256"])
        missing_counts.append(len(answer["case"]["missing"]))
    assert missing_counts == sorted(missing_counts, reverse=True) and missing_counts[-1] == 0
    assert missing_counts[0] > missing_counts[1]
    assert answer["case"]["verdict"] == "complete", answer["case"]

    readings = service.service.readings
    assert readings is not None and readings.drain(900), "the background did not read the uploads in full"
    assert client.get("/api/health").json()["readings_pending"] == 0
    keys = [reading_key(digest, full_reading_config(service.service.settings)) for digest in digests]
    assert all(service.store.exists(key) for key in keys)
    # A mark in one cached reading: the submitted case carries it only if the flow read from the cache.
    marked = service.store.get_json(keys[-1])
    marked["documents"][0]["document"]["confidence"] = 0.77
    service.store.put_json(keys[-1], marked)

    submitted = client.post(f"/api/cases/{case_id}/submit", headers=bearer(token))
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    assert (body["state"], body["verdict"], body["case_id"]) == ("decided", "complete", case_id)
    assert len(body["documents"]) == 5 and body["storage"]["prefix"] == f"cases/{case_id}/"
    assert [d["confidence"] for d in body["documents"] if d["source"] == "id_back.jpg"] == [0.77]
    again = client.get(f"/api/cases/{case_id}", headers=channel()).json()
    assert again == body
    with session_factory(service.engine)() as session:
        last = session.scalars(
            select(CaseVersionRow).where(CaseVersionRow.case_id == case_id).order_by(CaseVersionRow.version.desc())
        ).first()
        assert last is not None and last.cause == "submit" and last.flow_run_id and last.version == body["version"]
        assert body["version"] == 6  # five uploads and the submission
        actions = session.scalars(select(AuditEventRow.action).where(AuditEventRow.case_id == case_id)).all()
        assert actions.count("file_added") == 5 and actions.count("verdict") == 6
    assert service.store.exists(f"cases/{case_id}/verdict.json")
    # A decided case takes no more files.
    assert_error(upload(client, case_id, token, folder / "invoice.jpg"), 409, "case_not_open")
    assert_error(client.post(f"/api/cases/{case_id}/submit", headers=bearer(token)), 409, "case_not_open")


def test_wrong_document_is_named_with_what_was_expected(client: httpx.Client) -> None:
    case_id, token, _ = open_case(client)
    # c03's "invoice" is an outpatient record (门诊病历): not a material of inpatient reimbursement.
    answer = upload(client, case_id, token, CASES / "c03_inpatient_wrong_document" / "invoice.jpg").json()
    (file,) = answer["files"]
    assert file["accepted"] is False
    (issue,) = file["issues"]
    assert issue["code"] == "unexpected_document"
    assert "门诊病历" in issue["message"] and "发票" in issue["message"]
    # An ID card's back offered as the invoice: the right kind of material for the item, the wrong slot.
    answer = upload(client, case_id, token, DOCUMENTS / "id_back_card_photo.jpg", material="invoice").json()
    (file,) = answer["files"]
    assert [i["code"] for i in file["issues"]] == ["unexpected_document"]
    assert "身份证" in file["issues"][0]["message"] and "应上传" in file["issues"][0]["message"]


def test_blurred_photo_is_refused_with_a_reshoot_message(client: httpx.Client) -> None:
    case_id, token, _ = open_case(client)
    answer = upload(client, case_id, token, DOCUMENTS / "discharge_record_blurred.jpg").json()
    (file,) = answer["files"]
    assert file["accepted"] is False
    assert "image_blurred" in [i["code"] for i in file["issues"]]
    assert any("重新拍摄" in i["message"] for i in file["issues"])
    assert "discharge_record_blurred.jpg" in answer["case"]["notice"]


def test_same_file_twice_is_not_read_again(client: httpx.Client, service: Running) -> None:
    case_id, token, _ = open_case(client)
    invoice = CASES / "c01_inpatient_complete" / "invoice.jpg"
    first = upload(client, case_id, token, invoice).json()["files"][0]
    started = time.monotonic()
    second = upload(client, case_id, token, invoice).json()["files"][0]
    assert time.monotonic() - started < 2.0  # not analysed again
    assert second["file_id"] == first["file_id"] and second["accepted"] is False
    assert [i["code"] for i in second["issues"]] == ["duplicate_document"]
    assert second["documents"] == first["documents"]
    with session_factory(service.engine)() as session:
        assert len(session.scalars(select(FileRow).where(FileRow.case_id == case_id)).all()) == 1


def test_withdrawn_file_leaves_the_case_but_stays_archived(client: httpx.Client, service: Running) -> None:
    case_id, token, _ = open_case(client)
    folder = CASES / "c01_inpatient_complete"
    answer = upload(client, case_id, token, folder / "invoice.jpg", folder / "id_front.jpg").json()
    invoice = answer["files"][0]
    before = answer["case"]["missing"]
    response = client.delete(f"/api/cases/{case_id}/files/{invoice['file_id']}", headers=bearer(token))
    assert response.status_code == 200, response.text
    after = response.json()["case"]["missing"]
    assert len(after) == len(before) + 1 and any("发票" in m["material"] for m in after)
    case = client.get(f"/api/cases/{case_id}", headers=bearer(token)).json()
    assert [d["doc_type"] for d in case["documents"]] == ["id_card"]
    listed = {f["file_id"]: f for f in case["files"]}  # withdrawn files stay listed, marked
    assert len(listed) == 2 and listed[invoice["file_id"]]["withdrawn"] is True
    assert listed[invoice["file_id"]]["sha256"] == invoice["sha256"]
    assert listed[invoice["file_id"]]["withdrawn_at"] is not None
    id_card = listed[answer["files"][1]["file_id"]]
    assert (id_card["name"], id_card["content_type"], id_card["withdrawn"]) == ("id_front.jpg", "image/jpeg", False)
    assert id_card["size"] == (folder / "id_front.jpg").stat().st_size
    assert id_card["accepted"] is True and id_card["issues"] == []
    assert service.store.exists(f"originals/{invoice['sha256'][:2]}/{invoice['sha256']}")
    with session_factory(service.engine)() as session:
        row = session.scalars(select(FileRow).where(FileRow.public_id == invoice["file_id"])).one()
        assert row.withdrawn and row.withdrawn_at is not None
    assert_error(
        client.delete(f"/api/cases/{case_id}/files/{invoice['file_id']}", headers=bearer(token)), 404, "file_not_found"
    )


def test_upload_token_reaches_its_own_case_only(client: httpx.Client) -> None:
    case_a, token_a, _ = open_case(client)
    case_b, _, _ = open_case(client)
    invoice = CASES / "c01_inpatient_complete" / "invoice.jpg"
    assert_error(upload(client, case_b, token_a, invoice), 403, "forbidden")
    assert_error(client.get(f"/api/cases/{case_b}", headers=bearer(token_a)), 403, "forbidden")
    assert_error(client.post(f"/api/cases/{case_b}/submit", headers=bearer(token_a)), 403, "forbidden")
    assert_error(client.delete(f"/api/cases/{case_b}/files/x", headers=bearer(token_a)), 403, "forbidden")
    assert_error(client.post("/api/cases", json={"item": INPATIENT}, headers=bearer(token_a)), 403, "forbidden")
    assert client.get(f"/api/cases/{case_a}", headers=bearer(token_a)).status_code == 200


def test_every_error_status(client: httpx.Client) -> None:
    case_id, token, _ = open_case(client)
    files_url = f"/api/cases/{case_id}/files"
    # 401: no credentials, an unknown token
    assert_error(client.post("/api/cases", json={"item": INPATIENT}), 401, "unauthorized")
    assert_error(client.get(f"/api/cases/{case_id}", headers=bearer("nope")), 401, "unauthorized")
    # 404: unknown case, unknown file, unknown path
    assert_error(client.get("/api/cases/case-missing", headers=channel()), 404, "case_not_found")
    assert_error(client.delete(f"{files_url}/nope", headers=bearer(token)), 404, "file_not_found")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    # 422: unknown item, a malformed body
    assert_error(client.post("/api/cases", json={"item": "没有这个事项"}, headers=channel()), 422, "unknown_item")
    response = client.post("/api/cases", json={"region": "浙江省", "case_date": "yesterday"}, headers=channel())
    assert_error(response, 422, "invalid_request")
    assert "item" in response.json()["message"] and "case_date" in response.json()["message"]
    # 400: not multipart, an empty file
    assert_error(client.post(files_url, content=b"x", headers=bearer(token)), 400, "bad_upload")
    assert_error(client.post(files_url, files={"file": ("a.jpg", b"")}, headers=bearer(token)), 400, "file_empty")
    # 413: more bytes than the cap, refused while streaming (nothing decoded, nothing stored)
    big = b"\xff\xd8\xff\xe0" + bytes(MAX_UPLOAD + 100_000)
    assert_error(client.post(files_url, files={"file": ("big.jpg", big)}, headers=bearer(token)), 413, "file_too_large")

    # 413 for a chunked body with no length: counted while it streams in
    def chunked() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n\xff\xd8\xff\xe0'
        for _ in range(MAX_UPLOAD // 65536 + 4):
            yield bytes(65536)
        yield b"\r\n--b--\r\n"

    headers = {**bearer(token), "Content-Type": "multipart/form-data; boundary=b"}
    assert_error(client.post(files_url, content=chunked(), headers=headers), 413, "file_too_large")
    # 415: a type the reader does not take, whatever the name says
    fake = client.post(files_url, files={"file": ("scan.pdf", "病历文本".encode())}, headers=bearer(token))
    assert_error(fake, 415, "file_unsupported")
    # 409: submitting a case with no files
    assert_error(client.post(f"/api/cases/{case_id}/submit", headers=bearer(token)), 409, "no_files")
    invoice = CASES / "c01_inpatient_complete" / "invoice.jpg"
    assert_error(upload(client, case_id, token, invoice, material="no_such_material"), 422, "invalid_request")
    case = client.get(f"/api/cases/{case_id}", headers=bearer(token)).json()
    assert case["documents"] == [] and case["version"] == 0


def test_staff_token_opens_cases_until_the_user_is_deactivated(client: httpx.Client, service: Running) -> None:
    """Staff tokens (issued by the review workbench, issue 31) open cases like a channel key; the audit
    names the user; a deactivated user's token is refused."""
    token = f"staff-{time.monotonic_ns()}"
    with session_factory(service.engine)() as session:
        user = UserRow(username=f"clerk{time.monotonic_ns()}", role="clerk", password_hash="argon2-not-used-here")
        session.add(user)
        session.flush()
        session.add(ApiTokenRow(token_hash=repo.hash_token(token), kind="session", user_id=user.id))
        session.commit()
        username = user.username
    response = client.post("/api/cases", json={"item": INPATIENT}, headers=bearer(token))
    assert response.status_code == 201, response.text
    with session_factory(service.engine)() as session:
        case = session.get(CaseRow, response.json()["case_id"])
        assert case is not None and case.created_by == f"user:{username}"
        user = session.scalars(select(UserRow).where(UserRow.username == username)).one()
        user.active = False
        session.commit()
    assert_error(client.post("/api/cases", json={"item": INPATIENT}, headers=bearer(token)), 401, "unauthorized")
