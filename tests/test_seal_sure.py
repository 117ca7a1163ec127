"""A seal's ring read unsurely is not compared with the payee (issue 28): a misread seal character made
"payee differs from its seal" fail on complete cases. Unit tests on constructed readings; the document
build on a committed sample with its seal reading replaced."""

from __future__ import annotations

import datetime as dt

import pytest

from classifiers.doc_type import load_rules
from classifiers.documents import ClassifierRules, build_documents
from classifiers.image_rules import load_image_rules
from classifiers.seal_text import SURE_CHARACTER, SealReading, _sure
from extractors.checks import payee_seal_checks
from extractors.extract import extract_document
from intake.models import CopyAssessment, DocType, Document, ExtractedField, OcrLine, Page, PageSeal
from intake.settings import Settings
from ocr.base import OcrEngine
from ocr.engine import get_engine
from tests.test_seal_text import marked_pages, pages_of

PAYEE = "温州医科大学附属第一医院"


def _line(text: str, chars: list[float] | None, confidence: float | None = None) -> OcrLine:
    mean = confidence if confidence is not None else sum(chars or [1.0]) / len(chars or [1.0])
    return OcrLine(text=text, confidence=mean, polygon=[(0, 0), (600, 0), (600, 80), (0, 80)], char_confidences=chars)


def test_a_ring_is_sure_only_when_every_character_is() -> None:
    """GIVEN ring lines as the recogniser gives them WHEN judged THEN one character below SURE_CHARACTER (a 医
    read 国 at 0.80), a line below the reading floor (a part of the ring lost) or a line
    without characters' own confidences read low makes the ring unsure."""
    right = [1.0, 0.99, 1.0, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 0.88, 1.0, 1.0]
    assert _sure([_line(PAYEE, right)])
    misread = [0.97, 0.97, 1.0, 0.99, 0.99, 1.0, 1.0, 0.84, 1.0, 0.8, 0.95, 1.0]
    assert not _sure([_line("温州医科大学附属第一国院", misread)])
    assert not _sure([_line("温州医科大学", [0.99] * 6), _line("附属第一医院", [0.6] * 6, confidence=0.45)])
    assert _sure([_line(PAYEE, None, confidence=SURE_CHARACTER)])
    assert not _sure([_line(PAYEE, None, confidence=SURE_CHARACTER - 0.01)])
    assert _sure([])  # no ring (a rectangular stamp, or nothing in the band): nothing to doubt


@pytest.mark.parametrize(
    ("reading", "verdict"),
    [
        (SealReading(ring=PAYEE, centre="收费专用章"), True),
        (SealReading(ring="温州医科大学附属第一国院", centre="收费专用章"), False),  # sure, and one differs
        (SealReading(ring="温州医科大学附属第一国院", centre="收费专用章", ring_sure=False), None),
        (SealReading(ring="温州医科大学附属第医院", centre="收费专用章", ring_sure=False), None),  # a part lost
        (SealReading(ring=PAYEE, centre="收费专用章", ring_sure=False), None),  # right but unsure: unknown too
    ],
)
def test_the_payee_is_compared_only_with_a_sure_ring(reading: SealReading, verdict: bool | None) -> None:
    """GIVEN a payee read right and its seal's reading WHEN the payee is checked against the seal's text the
    document keeps (`checked_text`) THEN a sure ring decides; an unsure one says nothing either way."""
    fields = {"payee": ExtractedField(value=PAYEE, raw=PAYEE, confidence=0.99)}
    found = payee_seal_checks(fields, [reading.checked_text])
    assert [c.ok for c in found] == ([] if verdict is None else [verdict])
    assert reading.text.startswith(reading.ring)


@pytest.mark.parametrize(("sure", "failed"), [(False, []), (True, [False])])
def test_an_unsure_ring_leaves_a_complete_invoice_unflagged(sure: bool, failed: list[bool]) -> None:
    """GIVEN an invoice whose payee line reads right and whose seal ring reads one character wrong WHEN
    extracted THEN with the ring unsure no payee check fails (no self_check_failed for the clerk); the
    same ring read surely still fails the check."""
    ring = SealReading(ring="温州医科大学附属第一国院", centre="收费专用章", ring_sure=sure)
    line = OcrLine(text=f"收款单位：{PAYEE}", confidence=0.99, polygon=[(100, 900), (900, 900), (900, 940), (100, 940)])
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[line])
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice, seal_texts=[ring.checked_text])
    fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
    assert fields["payee"].value == PAYEE
    assert [c.ok for c in checks if c.code == "payee_matches_seal"] == failed


def test_a_supervision_seal_read_unsurely_still_counts_as_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the committed invoice's seal read as a supervision seal whose ring was unsure WHEN the document is
    built THEN its 监制 mark still tells it is printed (not pressed), and the ring is kept out of the
    seal text that checks compare with."""
    import classifiers.documents

    reading = SealReading(ring="浙江省财政厅", centre="财政票据监制章", ring_sure=False)
    monkeypatch.setattr(classifiers.documents, "read_seal", lambda image, box, engine: reading)
    rules = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
    engine: OcrEngine = get_engine(Settings().ocr)
    ((doc, _),) = build_documents(
        "invoice_scan.jpg", "x", marked_pages(pages_of("invoice_scan.jpg"), "x", engine), rules
    )
    assert doc.seal_boxes and doc.seal_texts == ["财政票据监制章"] * len(doc.seal_boxes)
    assert doc.has_seal is False


def test_documents_take_seals_and_copy_from_the_pages_as_read() -> None:
    """GIVEN a page as the reading left it, with a printed supervision seal, a pressed seal whose ring was read
    unsurely and a third whose text was not read, and the copy assessment of its image WHEN its document is
    built THEN every box is kept in order, only read seals give a text (an unsure ring kept out of it), the
    printed seal does not count as pressed, and the copy vote is the page's."""
    seals = [
        PageSeal(box=(10, 10, 110, 110), reading=SealReading(ring="浙江省财政厅", centre="财政票据监制章")),
        PageSeal(box=(200, 10, 300, 110), reading=SealReading(ring=PAYEE, centre="收费专用章", ring_sure=False)),
        PageSeal(box=(400, 10, 500, 110)),
    ]
    copy = CopyAssessment(is_copy=False, confidence=0.9, colour_lost=False)
    page = Page(source="t.jpg", page=1, width=2000, height=2800, seals=seals, copy_assessment=copy)
    rules = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
    ((doc, _),) = build_documents("t.jpg", "x", [page], rules)
    assert doc.seal_boxes == [s.box for s in seals]
    assert doc.seal_texts == ["浙江省财政厅 财政票据监制章", "收费专用章"]
    assert doc.has_seal is True  # three boxes, one of them printed
    assert doc.is_copy is False and doc.copy_confidence == 0.9
    alone = page.model_copy(update={"seals": seals[:1], "copy_assessment": None})
    ((printed, _),) = build_documents("t.jpg", "x", [alone], rules)
    assert printed.has_seal is False and printed.is_copy is None and printed.copy_confidence == 0.0
