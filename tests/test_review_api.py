"""The review workbench's API against a real uvicorn server, on SQLite and on PostgreSQL: sign-in,
roles, the queue under leases, corrections judged again, decisions as Prefect flow runs, the audit
trail, duplicate invoices across cases, and every staff route refusing an anonymous caller."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from db import review
from db.models import CaseRow, CaseVersionRow, ReviewTaskRow, UserRow
from db.session import session_factory
from intake.settings import Settings
from interfaces.http.routes_auth import SESSION_COOKIE, csrf_token
from storage.store import ObjectStore
from tests.conftest_db import new_database_url
from tests.workbench import (
    PASSWORD,
    ROOT,
    Workbench,
    misread_name_documents,
    record,
    running_workbench,
    with_real_invoice_image,
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def workbench(
    request: pytest.FixtureRequest,
    object_store_for_cli: ObjectStore,
    cli_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Workbench]:
    """The decision flow reads its database and store from the environment, as a worker does."""
    url = new_database_url(request.param, request, tmp_path_factory.mktemp("db"))
    with pytest.MonkeyPatch.context() as env:
        for name, value in cli_env.items():
            if name.startswith("INTAKE_S3_"):
                env.setenv(name, value)
        env.setenv("INTAKE_DATABASE_URL", url)
        settings = Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=url, review_sla_hours=8)
        with running_workbench(url, object_store_for_cli, settings) as running:
            yield running


@pytest.fixture
def anon(workbench: Workbench) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=workbench.base, timeout=120) as client:
        yield client


@contextmanager
def login(workbench: Workbench, username: str) -> Iterator[httpx.Client]:
    # Long enough for the first decision's flow run, which starts Prefect's temporary server.
    with httpx.Client(base_url=workbench.base, timeout=600) as client:
        response = client.post("/api/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        yield client


@pytest.fixture
def clerk(workbench: Workbench) -> Iterator[httpx.Client]:
    with login(workbench, "clerk1") as client:
        yield client


@pytest.fixture
def clerk2(workbench: Workbench) -> Iterator[httpx.Client]:
    with login(workbench, "clerk2") as client:
        yield client


@pytest.fixture
def boss(workbench: Workbench) -> Iterator[httpx.Client]:
    with login(workbench, "boss") as client:
        yield client


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def new_case(workbench: Workbench, number: str | None = None) -> str:
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    documents = misread_name_documents(case_id, number or uuid.uuid4().hex[:8])
    assert record(workbench, case_id, documents) == "needs_review"
    return case_id


def drain_queue(workbench: Workbench) -> None:
    """Earlier tests' tasks out of the way: this test's case is then the only one offered."""
    with session_factory(workbench.engine)() as session:
        session.execute(update(ReviewTaskRow).where(ReviewTaskRow.state.in_(review.LIVE)).values(state="cancelled"))
        session.commit()


def claim(client: httpx.Client, case_id: str) -> None:
    response = client.post(f"/api/review/cases/{case_id}/claim")
    assert response.status_code == 200, response.text


STAFF_ROUTES = [
    ("GET", "/api/me"),
    ("POST", "/api/logout"),
    ("GET", "/api/review/queue"),
    ("GET", "/api/review/next"),
    ("POST", "/api/review/cases/c/claim"),
    ("POST", "/api/review/cases/c/release"),
    ("GET", "/api/review/cases/c"),
    ("GET", "/api/cases/c/audit"),
    ("GET", "/api/cases/c/documents/0/pages/1"),
    ("POST", "/api/cases/c/documents/0/pages/1/read"),
    ("GET", "/api/cases/c/documents/0/fields/id_number/reveal"),
    ("PATCH", "/api/cases/c/documents/0/fields/name"),
    ("POST", "/api/cases/c/documents/0/fields/name/confirm"),
    ("PATCH", "/api/cases/c/documents/0"),
    ("POST", "/api/cases/c/materials/m/seen"),
    ("POST", "/api/cases/c/decision"),
    ("GET", "/api/supervisor/stats"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_staff_routes_refuse_anonymous_callers(anon: httpx.Client, method: str, path: str) -> None:
    assert_error(anon.request(method, path, json={}), 401, "unauthorized")
    bogus = {"Authorization": "Bearer not-a-token"}
    assert_error(anon.request(method, path, json={}, headers=bogus), 401, "unauthorized")


def test_pages_send_anonymous_callers_to_login(anon: httpx.Client) -> None:
    for path in ("/", "/review", "/review/cases/x", "/supervisor"):
        response = anon.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    assert anon.get("/login").status_code == 200


def test_login_form_needs_the_token_it_was_served_with(anon: httpx.Client) -> None:
    """The page's sign-in form is double-submit protected; the session cookie is HttpOnly and SameSite."""
    form = {"username": "clerk1", "password": PASSWORD, "csrf": "forged"}
    assert anon.post("/login", data=form).status_code == 403
    served = anon.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', served.text)
    assert token is not None
    signed_in = anon.post("/login", data={**form, "csrf": token.group(1)})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/review"
    cookie = signed_in.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert anon.get("/review").status_code == 200


def test_login_refuses_wrong_password_and_unknown_user(anon: httpx.Client) -> None:
    assert_error(anon.post("/api/login", json={"username": "clerk1", "password": "wrong"}), 401, "login_failed")
    assert_error(anon.post("/api/login", json={"username": "nobody", "password": PASSWORD}), 401, "login_failed")
    assert_error(anon.post("/api/login", json={"username": "clerk1"}), 422, "invalid_request")


def test_password_is_stored_as_argon2_hash_and_logout_ends_the_session(workbench: Workbench) -> None:
    with session_factory(workbench.engine)() as session:
        user = session.scalar(select(UserRow).where(UserRow.username == "clerk1"))
        assert user is not None and user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    with login(workbench, "clerk1") as client:
        assert client.get("/api/me").json()["role"] == "clerk"
        assert client.post("/api/logout").status_code == 204
        assert_error(client.get("/api/me"), 401, "unauthorized")


def test_clerk_cannot_use_supervisor_routes(clerk: httpx.Client, boss: httpx.Client) -> None:
    assert_error(clerk.get("/api/supervisor/stats"), 403, "role_forbidden")
    token = clerk.headers["Authorization"].removeprefix("Bearer ")
    with httpx.Client(base_url=clerk.base_url, cookies={SESSION_COOKIE: token}) as page:
        assert page.get("/supervisor").status_code == 403
        assert page.get("/review").status_code == 200
    stats = boss.get("/api/supervisor/stats")
    assert stats.status_code == 200 and "backlog" in stats.json()


def test_cookie_session_writes_need_the_csrf_token(workbench: Workbench, clerk: httpx.Client) -> None:
    """GIVEN a page session (cookie) WHEN a write comes without the CSRF header THEN 403; with it, 200."""
    drain_queue(workbench)
    case_id = new_case(workbench)
    token = clerk.headers["Authorization"].removeprefix("Bearer ")
    with httpx.Client(base_url=workbench.base, timeout=120, cookies={SESSION_COOKIE: token}) as page:
        assert page.get(f"/api/review/cases/{case_id}").status_code == 200
        assert_error(page.post(f"/api/review/cases/{case_id}/claim"), 403, "csrf_failed")
        bad = page.post(f"/api/review/cases/{case_id}/claim", headers={"X-CSRF-Token": "0" * 64})
        assert_error(bad, 403, "csrf_failed")
        good = page.post(f"/api/review/cases/{case_id}/claim", headers={"X-CSRF-Token": csrf_token(token)})
        assert good.status_code == 200, good.text


def test_next_claims_overdue_first_and_two_clerks_never_share_a_case(
    workbench: Workbench, clerk: httpx.Client, clerk2: httpx.Client
) -> None:
    drain_queue(workbench)
    newer, older = new_case(workbench), new_case(workbench)
    with session_factory(workbench.engine)() as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        session.execute(update(ReviewTaskRow).where(ReviewTaskRow.case_id == older).values(deadline=past))
        session.commit()
    first = clerk.get("/api/review/next")
    assert first.status_code == 200 and first.json()["case_id"] == older  # overdue first
    assert clerk.get("/api/review/next").json()["case_id"] == older  # the held task, renewed
    second = clerk2.get("/api/review/next")
    assert second.status_code == 200 and second.json()["case_id"] == newer
    assert_error(clerk2.post(f"/api/review/cases/{older}/claim"), 409, "lease_lost")
    assert clerk2.post(f"/api/review/cases/{newer}/release", json={"reason": "午休"}).status_code == 204
    assert clerk2.get("/api/review/next").json()["case_id"] == newer
    assert clerk2.post(f"/api/review/cases/{newer}/release", json={"reason": "转交"}).status_code == 204
    assert clerk.post(f"/api/review/cases/{older}/release", json={"reason": "转交"}).status_code == 204
    queue = clerk.get("/api/review/queue").json()
    assert [q["case_id"] for q in queue][:2] == [older, newer] and queue[0]["overdue"] is True


def test_an_expired_lease_frees_the_task(workbench: Workbench, clerk: httpx.Client, clerk2: httpx.Client) -> None:
    drain_queue(workbench)
    case_id = new_case(workbench)
    claim(clerk, case_id)
    assert_error(clerk2.post(f"/api/review/cases/{case_id}/claim"), 409, "lease_lost")
    with session_factory(workbench.engine)() as session:
        expired = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.execute(update(ReviewTaskRow).where(ReviewTaskRow.case_id == case_id).values(lease_expires_at=expired))
        session.commit()
    claim(clerk2, case_id)
    body = {"value": "王小明", "expected_version": clerk.get(f"/api/review/cases/{case_id}").json()["version"]}
    assert_error(clerk.patch(f"/api/cases/{case_id}/documents/2/fields/payer_name", json=body), 409, "lease_lost")


def test_claims_race_on_the_database_and_each_task_goes_to_one_clerk(workbench: Workbench) -> None:
    """GIVEN six open tasks WHEN two clerks claim concurrently until the queue is empty THEN every task
    went to exactly one of them (the conditional UPDATE decides, not the read before it)."""
    drain_queue(workbench)
    cases = {new_case(workbench) for _ in range(6)}
    won: dict[str, list[str]] = {"clerk1": [], "clerk2": []}
    factory = session_factory(workbench.engine)

    def clerk_loop(name: str) -> None:
        with factory() as session:
            user = session.scalar(select(UserRow).where(UserRow.username == name))
            assert user is not None
            while True:
                task = review.claim_next(session, user, dt.timedelta(minutes=5))
                if task is None:
                    return
                won[name].append(task.case_id)
                task.state = "done"  # finished: the clerk moves on to the next
                session.commit()

    threads = [threading.Thread(target=clerk_loop, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(won["clerk1"] + won["clerk2"]) == sorted(cases)


def test_correction_is_judged_again_audited_and_a_stale_write_refused(
    workbench: Workbench, clerk: httpx.Client, clerk2: httpx.Client
) -> None:
    """GIVEN a misread payer name WHEN the clerk corrects it THEN the verdict turns complete as a new
    version, the audit has before/after/actor, and a write on the old version gets 409."""
    drain_queue(workbench)
    case_id = new_case(workbench)
    claim(clerk, case_id)
    view = clerk.get(f"/api/review/cases/{case_id}").json()
    assert view["verdict"]["status"] == "needs_review"
    invoice = view["documents"][2]
    payer = next(f for f in invoice["fields"] if f["name"] == "payer_name")
    assert payer["flagged"] and payer["bbox"] == [120, 80, 260, 110]
    version = view["version"]
    url = f"/api/cases/{case_id}/documents/2/fields/payer_name"
    answer = clerk.patch(url, json={"value": "王小明", "expected_version": version})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == version + 1 and answer.json()["case"]["verdict"] == "complete"
    assert_error(clerk.patch(url, json={"value": "王小朋", "expected_version": version}), 409, "stale_version")
    assert_error(clerk2.patch(url, json={"value": "王小朋", "expected_version": version}), 409, "stale_version")
    events = clerk.get(f"/api/cases/{case_id}/audit").json()
    corrected = [e for e in events if e["action"] == "field_corrected"]
    assert len(corrected) == 1
    assert corrected[0] | {"id": 0, "at": "", "document_id": 0} == {
        "id": 0,
        "at": "",
        "document_id": 0,
        "case_id": case_id,
        "field": "payer_name",
        "action": "field_corrected",
        "before": "王小朋",
        "after": "王小明",
        "actor": "user:clerk1",
        "source": "clerk",
    }
    assert {e["source"] for e in events} >= {"reader", "rule", "clerk", "system"} - {"reader"}
    with session_factory(workbench.engine)() as session:
        versions = session.scalars(select(CaseVersionRow.verdict).where(CaseVersionRow.case_id == case_id)).all()
    assert list(versions) == ["needs_review", "complete"]  # the earlier version is kept


def test_confirm_runs_the_review_decision_flow_and_closes_the_task(workbench: Workbench, clerk: httpx.Client) -> None:
    drain_queue(workbench)
    case_id = new_case(workbench)
    claim(clerk, case_id)
    view = clerk.get(f"/api/review/cases/{case_id}").json()
    early = clerk.post(f"/api/cases/{case_id}/decision", json={"action": "confirm"})
    assert_error(early, 409, "review_unresolved")
    assert "name_mismatch" in early.json()["message"]
    body = {"value": "王小明", "expected_version": view["version"]}
    version = clerk.patch(f"/api/cases/{case_id}/documents/2/fields/payer_name", json=body).json()["version"]
    decided = clerk.post(f"/api/cases/{case_id}/decision", json={"action": "confirm", "expected_version": version})
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert result["verdict"] == "complete" and result["state"] == "closed" and result["version"] == version + 1
    assert result["flow_run_id"]
    with session_factory(workbench.engine)() as session:
        stored = session.scalar(
            select(CaseVersionRow).where(CaseVersionRow.case_id == case_id, CaseVersionRow.version == version + 1)
        )
        assert stored is not None and stored.cause == "review" and stored.flow_run_id == result["flow_run_id"]
        assert review.live_task(session, case_id) is None
    actions = [e["action"] for e in clerk.get(f"/api/cases/{case_id}/audit").json()]
    assert actions[-1] == "review_decision"
    assert_error(clerk.post(f"/api/cases/{case_id}/decision", json={"action": "confirm"}), 409, "lease_lost")


def test_reject_and_postpone_need_a_reason(workbench: Workbench, clerk: httpx.Client) -> None:
    drain_queue(workbench)
    rejected, postponed = new_case(workbench), new_case(workbench)
    claim(clerk, rejected)
    assert_error(clerk.post(f"/api/cases/{rejected}/decision", json={"action": "reject"}), 422, "invalid_request")
    assert_error(clerk.post(f"/api/cases/{rejected}/decision", json={"action": "approve"}), 422, "invalid_request")
    answer = clerk.post(f"/api/cases/{rejected}/decision", json={"action": "reject", "reason": "发票系伪造"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["verdict"] == "rejected"
    assert answer.json()["case"]["reasons"][0]["code"] == "review_rejected"
    assert "发票系伪造" in answer.json()["case"]["notice"]
    claim(clerk, postponed)
    answer = clerk.post(f"/api/cases/{postponed}/decision", json={"action": "postpone", "reason": "等待申请人来电"})
    assert answer.status_code == 200 and answer.json()["state"] == "in_review"
    assert clerk.get("/api/review/next").status_code == 204  # postponed: not offered before its time
    queue = clerk.get("/api/review/queue").json()
    assert [q["case_id"] for q in queue] == [postponed]


def test_document_type_and_material_seen_are_corrections(workbench: Workbench, clerk: httpx.Client) -> None:
    drain_queue(workbench)
    case_id = new_case(workbench)
    claim(clerk, case_id)
    version = clerk.get(f"/api/review/cases/{case_id}").json()["version"]
    answer = clerk.patch(
        f"/api/cases/{case_id}/documents/1", json={"doc_type": "id_card", "side": "back", "expected_version": version}
    )
    assert answer.status_code == 200 and answer.json()["version"] == version + 1
    seen = clerk.post(f"/api/cases/{case_id}/materials/nonexistent/seen", json={"expected_version": version + 1})
    assert_error(seen, 404, "document_not_found")
    view = clerk.get(f"/api/review/cases/{case_id}").json()
    material = view["checklist"][0]["material_id"]
    assert (
        clerk.post(
            f"/api/cases/{case_id}/materials/{material}/seen", json={"expected_version": version + 1}
        ).status_code
        == 200
    )
    confirm = clerk.post(
        f"/api/cases/{case_id}/documents/2/fields/payer_name/confirm", json={"expected_version": version + 2}
    )
    assert confirm.status_code == 200
    actions = [e["action"] for e in clerk.get(f"/api/cases/{case_id}/audit").json()]
    assert {"document_corrected", "material_seen", "field_confirmed"} <= set(actions)
    assert_error(
        clerk.patch(f"/api/cases/{case_id}/documents/9", json={"doc_type": "invoice", "expected_version": version + 3}),
        404,
        "document_not_found",
    )


def test_id_numbers_are_masked_and_a_full_view_is_audited(workbench: Workbench, clerk: httpx.Client) -> None:
    drain_queue(workbench)
    case_id = new_case(workbench)
    view = clerk.get(f"/api/review/cases/{case_id}").json()
    id_field = next(f for f in view["documents"][0]["fields"] if f["name"] == "id_number")
    assert id_field["masked"] and "********" in id_field["value"]
    full = clerk.get(f"/api/cases/{case_id}/documents/0/fields/id_number/reveal").json()["value"]
    assert len(full) == 18 and full[:6] == id_field["value"][:6]
    viewed = [e for e in clerk.get(f"/api/cases/{case_id}/audit").json() if e["action"] == "id_number_viewed"]
    assert viewed and viewed[0]["actor"] == "user:clerk1" and viewed[0]["field"] == "id_number"
    queue_text = clerk.get("/api/review/queue").text
    assert full not in queue_text and "王小明" not in queue_text


def test_page_image_is_served_to_staff_only(workbench: Workbench, clerk: httpx.Client, anon: httpx.Client) -> None:
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    documents = misread_name_documents(case_id, uuid.uuid4().hex[:8])
    originals = with_real_invoice_image(workbench, documents)
    record(workbench, case_id, documents, originals)
    url = f"/api/cases/{case_id}/documents/2/pages/1"
    assert_error(anon.get(url), 401, "unauthorized")
    image = clerk.get(url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content[:3] == b"\xff\xd8\xff"
    assert clerk.get(url).content == image.content  # the second time from the store
    assert_error(clerk.get(f"/api/cases/{case_id}/documents/2/pages/7"), 404, "document_not_found")
    assert_error(clerk.get(f"/api/cases/{case_id}/documents/0/pages/1"), 404, "document_not_found")
    assert_error(clerk.get("/api/review/cases/no-such-case"), 404, "case_not_found")


def test_a_box_the_clerk_draws_is_read_again(workbench: Workbench, clerk: httpx.Client, anon: httpx.Client) -> None:
    """GIVEN the real invoice image WHEN the clerk draws a box round the payer line THEN the OCR reads
    it (nothing stored); a box too small or off the page is refused."""
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    documents = misread_name_documents(case_id, uuid.uuid4().hex[:8])
    record(workbench, case_id, documents, with_real_invoice_image(workbench, documents))
    url = f"/api/cases/{case_id}/documents/2/pages/1/read"
    assert_error(anon.post(url, json={"bbox": [80, 310, 260, 360]}), 401, "unauthorized")
    read = clerk.post(url, json={"bbox": [80, 310, 260, 360]})
    assert read.status_code == 200, read.text
    assert "交款人" in read.json()["text"] and read.json()["confidence"] > 0.5
    assert_error(clerk.post(url, json={"bbox": [5000, 5000, 6000, 6000]}), 422, "invalid_request")


def test_an_invoice_seen_in_another_case_sends_the_case_to_review(workbench: Workbench) -> None:
    """GIVEN a complete case WHEN another case brings the same invoice (code + number) THEN the second
    goes to review with duplicate_invoice naming the first, at the front of its age group."""
    number = uuid.uuid4().hex[:8]
    first = f"case-{uuid.uuid4().hex[:12]}"
    second = f"case-{uuid.uuid4().hex[:12]}"
    clean = [d.model_copy(update={"sha256": None}) for d in misread_name_documents(first, number)]
    fields = dict(clean[2].fields)
    fields["payer_name"] = fields["payer_name"].model_copy(update={"value": "王小明", "confidence": 0.99})
    clean[2] = clean[2].model_copy(update={"fields": fields})
    assert record(workbench, first, clean) == "complete"
    assert record(workbench, second, clean) == "needs_review"
    with session_factory(workbench.engine)() as session:
        task = review.live_task(session, second)
        assert task is not None and "duplicate_invoice" in task.reasons and task.priority == 1
        assert review.live_task(session, first) is None
        verdict = session.scalar(
            select(CaseVersionRow.snapshot)
            .where(CaseVersionRow.case_id == second)
            .order_by(CaseVersionRow.version.desc())
        )
    messages = [r["message"] for r in verdict["reasons"] if r["code"] == "duplicate_invoice"]
    assert messages == [f"该发票已在其他案件中提交过，需人工核实是否重复报销：第3份材料与案件 {first} 中的发票相同"]


def test_an_invoice_in_a_case_left_open_is_not_a_duplicate(workbench: Workbench) -> None:
    """An applicant who abandoned a case (never submitted) and starts again claimed nothing yet."""
    number = uuid.uuid4().hex[:8]
    abandoned, fresh = f"case-{uuid.uuid4().hex[:12]}", f"case-{uuid.uuid4().hex[:12]}"
    documents = misread_name_documents(abandoned, number)
    fields = dict(documents[2].fields)
    fields["payer_name"] = fields["payer_name"].model_copy(update={"value": "王小明", "confidence": 0.99})
    documents[2] = documents[2].model_copy(update={"fields": fields, "sha256": None})
    record(workbench, abandoned, documents)
    with session_factory(workbench.engine)() as session:
        session.execute(update(CaseRow).where(CaseRow.id == abandoned).values(state="open"))
        session.commit()
    assert record(workbench, fresh, documents) == "complete"


def test_supervisor_counts_move_with_decisions(workbench: Workbench, clerk: httpx.Client, boss: httpx.Client) -> None:
    drain_queue(workbench)
    before = boss.get("/api/supervisor/stats").json()
    case_id = new_case(workbench)
    during = boss.get("/api/supervisor/stats").json()
    assert during["backlog"]["total"] == before["backlog"]["total"] + 1
    # the case was recorded as a batch's: the day's batch throughput moved by one
    batch = lambda stats: sum(t["cases"] for t in stats["throughput_per_day"] if t["way_in"] == "batch")  # noqa: E731
    assert batch(during) == batch(before) + 1
    claim(clerk, case_id)
    clerk.post(f"/api/cases/{case_id}/decision", json={"action": "reject", "reason": "重复报销"})
    after = boss.get("/api/supervisor/stats").json()
    assert after["backlog"]["total"] == before["backlog"]["total"]
    mine = lambda stats: sum(r["decisions"] for r in stats["reviews_per_clerk_day"] if r["actor"] == "user:clerk1")  # noqa: E731
    assert mine(after) == mine(before) + 1
    assert any(v["verdict"] == "rejected" for v in after["verdicts_per_day_item"])
    assert "王小明" not in boss.get("/api/supervisor/stats").text


def test_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    """`intake users add` (no Prefect start-up: it only migrates the database and adds the row)."""
    url = f"sqlite:///{tmp_path / 'users.db'}"
    env = {**os.environ, "INTAKE_DATABASE_URL": url, "INTAKE_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "interfaces.cli", "users", "add", "alice", "--role", "supervisor"]
    done = subprocess.run(
        command, input="s3cret-pass\n", env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "alice" in done.stdout and "s3cret-pass" not in done.stdout + done.stderr
    again = subprocess.run(
        command, input="s3cret-pass\n", env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 2 and "已存在" in again.stderr
    short = subprocess.run(
        [*command[:5], "bob", "--role", "clerk"],
        input="short\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert short.returncode == 2 and "密码至少" in short.stderr
