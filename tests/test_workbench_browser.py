"""The workbench in a real browser (Debian's chromium, headless, driven by Playwright): a clerk signs
in, takes the next case, sees the fields' boxes over the real page, works through the flagged fields
with the keyboard (correcting the misread one), sees the verdict change and the audit entry, and
confirms; a second clerk's write on the old version is refused; the supervisor sees the counts move.

The case's invoice is a real sample read by the real pipeline (its boxes are the reader's); its payer
name is then misread on purpose by one character, and the other documents are made to agree with
the invoice, so the one thing for the clerk to fix is that name. Screenshots go to a temp folder.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.models import Document, ExtractedField
from intake.settings import Settings
from interfaces.http.analysis import analyse_upload
from storage.store import ObjectStore
from tests.factories import fields as factory_fields
from tests.factories import inpatient_documents
from tests.workbench import INVOICE_IMAGE, PASSWORD, Workbench, record, running_workbench

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def workbench(
    object_store_for_cli: ObjectStore, cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workbench]:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'workbench.db'}"
    with pytest.MonkeyPatch.context() as env:
        for name, value in cli_env.items():
            if name.startswith("INTAKE_S3_"):
                env.setenv(name, value)
        env.setenv("INTAKE_DATABASE_URL", url)
        settings = Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=url)
        with running_workbench(url, object_store_for_cli, settings) as running:
            yield running


def real_invoice(settings: Settings) -> Document:
    documents = analyse_upload(INVOICE_IMAGE.read_bytes(), INVOICE_IMAGE.name, settings, dt.date(2025, 6, 20))
    invoice = next(d for d in documents if d.doc_type.value == "invoice")
    assert invoice.fields.get("payer_name") and invoice.fields["payer_name"].bbox, "the reader found the payer"
    return invoice


def seeded_case(workbench: Workbench) -> tuple[str, str, tuple[float, float, float, float]]:
    """(case id, the payer's name as printed, its box) for a case whose only flaw is a misread payer name."""
    invoice = real_invoice(workbench.settings)
    name = str(invoice.fields["payer_name"].value)
    total = str(invoice.fields["total_amount"].value) if "total_amount" in invoice.fields else "1234.50"
    documents = inpatient_documents(name, total)
    # The stay as the invoice prints it (else the five days before its date): the documents agree.
    issued = dt.date.fromisoformat(str(invoice.fields["issue_date"].value))
    start = invoice.fields.get("admission_date")
    end = invoice.fields.get("discharge_date")
    stay = factory_fields(
        patient_name=name,
        admission_date=str(start.value) if start else (issued - dt.timedelta(days=5)).isoformat(),
        discharge_date=str(end.value) if end else issued.isoformat(),
    )
    documents[3] = documents[3].model_copy(update={"fields": stay})
    stored, _ = workbench.store.put_original(INVOICE_IMAGE.read_bytes(), INVOICE_IMAGE.name, "image/jpeg")
    payer = invoice.fields["payer_name"]
    misread = ExtractedField(
        value=name[:-1] + ("甲" if name[-1] != "甲" else "乙"), confidence=0.55, page=payer.page, bbox=payer.bbox
    )
    documents[2] = invoice.model_copy(
        update={"fields": {**invoice.fields, "payer_name": misread}, "sha256": stored.sha256}
    )
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    assert record(workbench, case_id, documents, [stored]) == "needs_review"
    assert payer.bbox is not None
    return case_id, name, payer.bbox


def sign_in(page: object, base: str, username: str) -> None:
    page.goto(f"{base}/review")  # type: ignore[attr-defined]
    assert page.url.endswith("/login")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login")  # type: ignore[attr-defined]


def test_clerk_reviews_a_case_in_the_browser(workbench: Workbench, tmp_path_factory: pytest.TempPathFactory) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    shots = tmp_path_factory.mktemp("screenshots")
    case_id, name, box = seeded_case(workbench)
    expect = sync_api.expect
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            boss = browser.new_context().new_page()
            sign_in(boss, workbench.base, "boss")
            boss.wait_for_url(re.compile(r"/supervisor$"))
            expect(boss.locator("#backlog-total")).to_have_text("1")
            boss.screenshot(path=str(shots / "supervisor-before.png"), full_page=True)

            clerk = browser.new_context().new_page()
            sign_in(clerk, workbench.base, "clerk1")
            clerk.wait_for_url(re.compile(r"/review$"))
            expect(clerk.locator(f"a[href='/review/cases/{case_id}']")).to_be_visible()
            clerk.click("#take-next")
            clerk.wait_for_url(re.compile(f"/review/cases/{case_id}$"))
            expect(clerk.locator("#verdict")).to_have_text("needs_review")
            expect(clerk.locator("rect.box.flagged").first).to_be_attached()
            clerk.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
            assert clerk.locator("rect.box").count() >= 3
            assert "********" in clerk.locator(".field[data-name=id_number] input").input_value()
            clerk.screenshot(path=str(shots / "case-before.png"), full_page=True)

            other = browser.new_context().new_page()
            sign_in(other, workbench.base, "clerk2")
            other.goto(f"{workbench.base}/review/cases/{case_id}")
            expect(other.locator("#case-version")).to_have_text(clerk.locator("#case-version").inner_text())

            # Shift + drag round the payer's line on the page: that region is read again by the OCR.
            payer = clerk.locator(".field[data-name=payer_name] input")
            clerk.locator(".field[data-name=payer_name] label").click()
            x0, y0, x1, y1 = box
            clerk.locator("figure.page").scroll_into_view_if_needed()
            frame = clerk.locator("figure.page svg").bounding_box()
            natural = clerk.evaluate("() => document.querySelector('figure.page img').naturalWidth")
            assert frame is not None
            scale = frame["width"] / natural
            clerk.keyboard.down("Shift")
            clerk.mouse.move(frame["x"] + (x0 - 8) * scale, frame["y"] + (y0 - 6) * scale)
            clerk.mouse.down()
            clerk.mouse.move(frame["x"] + (x1 + 8) * scale, frame["y"] + (y1 + 6) * scale, steps=5)
            clerk.mouse.up()
            clerk.keyboard.up("Shift")
            expect(clerk.locator("#message")).to_contain_text("框选区域识别为", timeout=60_000)
            assert name in payer.input_value()

            version = int(clerk.locator("#case-version").inner_text())
            payer.fill(name)
            payer.press("Enter")
            expect(clerk.locator("#case-version")).to_have_text(str(version + 1))
            # Keyboard-first: Enter confirms the selected flagged field and moves to the next one.
            for _ in range(20):
                if clerk.locator(".field.flagged").count() == 0:
                    break
                current = int(clerk.locator("#case-version").inner_text())
                clerk.locator("body").press("n")
                clerk.keyboard.press("Enter")
                expect(clerk.locator("#case-version")).not_to_have_text(str(current))
            expect(clerk.locator("#verdict")).to_have_text("complete")
            expect(clerk.locator("tr.event[data-action=field_corrected]").first).to_contain_text("user:clerk1")
            clerk.screenshot(path=str(shots / "case-corrected.png"), full_page=True)

            stale = other.locator(".field[data-name=payer_name] input")
            stale.fill(name + "X")
            stale.press("Enter")
            expect(other.locator("#message")).to_contain_text("已被他人修改")
            other.screenshot(path=str(shots / "second-clerk-stale.png"), full_page=True)

            clerk.click("#decide-confirm")
            # The decision is a Prefect flow run; the first one in this process starts Prefect's server.
            expect(clerk.locator("#message")).to_contain_text("已确认", timeout=300_000)
            expect(clerk.locator("#case-state")).to_have_text("closed")
            expect(clerk.locator("tr.event[data-action=review_decision]")).to_have_count(1)

            boss.reload()
            expect(boss.locator("#backlog-total")).to_have_text("0")
            expect(boss.locator("#reviews")).to_contain_text("user:clerk1")
            assert name not in boss.content()  # no names on the supervisor page
            boss.screenshot(path=str(shots / "supervisor-after.png"), full_page=True)
        finally:
            browser.close()
