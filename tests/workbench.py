"""Shared by the review workbench tests: the app under a real uvicorn server on a free port, staff
accounts, and cases recorded as a finished flow would record them (db.cases.record_case followed by
the review routing the service and the batch flow call)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlalchemy import Engine

from db import users
from db.cases import record_case
from db.migrate import upgrade
from db.models import Role
from db.session import make_engine, session_factory
from flows.review_flow import route_to_review
from intake.catalog import default_catalog
from intake.models import Document, ExtractedField, StoredOriginal
from intake.requests import CaseResult, ItemRef, StorageRef
from intake.settings import Settings
from interfaces.http.analysis import analyse_upload
from interfaces.http.app import create_app
from storage import layout
from storage.store import ObjectStore
from tests.factories import case, inpatient_documents
from tests.pg import free_port
from validators.verdict import Thresholds, judge

ROOT = Path(__file__).resolve().parent.parent
INVOICE_IMAGE = ROOT / "samples" / "documents" / "invoice_scan.jpg"
PASSWORD = "correct horse battery"
STAFF = {"clerk1": Role.clerk, "clerk2": Role.clerk, "boss": Role.supervisor}


@dataclass
class Workbench:
    base: str
    store: ObjectStore
    engine: Engine
    settings: Settings


@contextmanager
def running_workbench(url: str, store: ObjectStore, settings: Settings) -> Iterator[Workbench]:
    """Migrate, add the staff accounts, serve the app (no OCR warm-up: nothing here reads a page)."""
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        for name, role in STAFF.items():
            users.add_user(session, name, PASSWORD, role)
        session.commit()
    app = create_app(settings, store, engine, analyse_upload, warm=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "workbench did not start"
        time.sleep(0.05)
    try:
        yield Workbench(f"http://127.0.0.1:{port}", store, engine, settings)
    finally:
        server.should_exit = True
        thread.join(30)
        engine.dispose()


def item_id() -> str:
    return default_catalog().find("住院费用报销").id


def misread_name_documents(case_id: str, invoice_number: str, name: str = "王小明") -> list[Document]:
    """A complete inpatient case except that the reader got one character of the invoice's payer
    wrong, with a low confidence: the validator sends it to review (name_mismatch)."""
    documents = inpatient_documents(name)
    invoice = documents[2]
    fields = dict(invoice.fields)
    fields["payer_name"] = ExtractedField(value=name[:-1] + "朋", confidence=0.55, page=1, bbox=(120, 80, 260, 110))
    fields["invoice_code"] = ExtractedField(value="33060125", confidence=0.99, page=1, bbox=(600, 40, 760, 70))
    fields["invoice_number"] = ExtractedField(value=invoice_number, confidence=0.99, page=1, bbox=(600, 80, 760, 110))
    documents[2] = invoice.model_copy(update={"fields": fields})
    return [d.model_copy(update={"sha256": f"{case_id}-{n}".ljust(64, "0")[:64]}) for n, d in enumerate(documents)]


def record(
    workbench: Workbench, case_id: str, documents: list[Document], originals: list[StoredOriginal] | None = None
) -> str:
    """Record a finished case (as the service's submission or the batch flow would), then route it."""
    catalog = default_catalog()
    item = catalog.find("住院费用报销")
    model = case(item.id, documents).model_copy(update={"case_id": case_id})
    verdict = judge(model, item, Thresholds())
    result = CaseResult(
        case=model,
        item=ItemRef(id=item.id, name=item.name, region=item.region),
        verdict=verdict,
        storage=StorageRef(bucket=workbench.store.bucket, prefix=layout.case_prefix(case_id)),
        originals=originals or [],
    )
    with session_factory(workbench.engine)() as session:
        row = record_case(session, result)
        route_to_review(session, row, catalog, workbench.settings)
        session.commit()
        return row.verdict or ""


def with_real_invoice_image(workbench: Workbench, documents: list[Document]) -> list[StoredOriginal]:
    """The invoice's original is a real sample image in the store (the page route renders it)."""
    stored, _ = workbench.store.put_original(INVOICE_IMAGE.read_bytes(), "invoice_scan.jpg", "image/jpeg")
    documents[2] = documents[2].model_copy(update={"sha256": stored.sha256, "source": "invoice_scan.jpg"})
    return [stored]
