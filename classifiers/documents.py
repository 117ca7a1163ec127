"""Pages of one file → classified documents with seal and copy evidence.

Stage contract: `page_marks(image, rules, engine=None) -> (seals, copy assessment)` once per page, while the
reading pass has its image (`Page.seals`, `Page.copy_assessment`); with an OCR engine each seal's text is
read too. Then `build_documents(source, sha256, pages, rules) -> list[(Document, pages)]` from the read pages
alone: `Document.seal_texts` holds one text per `seal_boxes` entry where the seals' text was read (a ring read
unsurely is left out, `SealReading.checked_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifiers.copy_detect import assess_copy
from classifiers.doc_type import DocTypeRules, PageClass, classify_page
from classifiers.image_rules import ImageRules
from classifiers.seal import detect_seals
from classifiers.seal_text import read_seal
from classifiers.separate import PageGroup, separate
from intake.models import Candidate, CopyAssessment, DocType, Document, Page, PageSeal, Side
from intake.reasons import Code, check, reason
from ocr.base import OcrEngine
from ocr.reader import blocking


@dataclass(frozen=True)
class ClassifierRules:
    doc_types: DocTypeRules
    image: ImageRules


def _document_class(group: PageGroup) -> PageClass:
    """The document is what its most confident page says; an ID card keeps the front's side."""
    best = max(group.classes, key=lambda c: c.confidence)
    if best.doc_type is DocType.id_card and len(group.classes) > 1:
        return best.model_copy(update={"side": Side.front})
    return best


def page_marks(
    image: np.ndarray, rules: ImageRules, engine: OcrEngine | None = None
) -> tuple[list[PageSeal], CopyAssessment]:
    """A page image's red seals (and, with an engine, each seal's text) and its copy assessment. Run by the
    reading pass while the image is in memory, so they are judged once per page and kept with the reading
    (and in the reading cache) instead of being worked out again from the image when documents are built."""
    seals = detect_seals(image, rules)
    found = [PageSeal(box=s.box, reading=None if engine is None else read_seal(image, s.box, engine)) for s in seals]
    return found, assess_copy(image, seals, rules)


def build_documents(
    source: str, sha256: str, pages: list[Page], rules: ClassifierRules
) -> list[tuple[Document, list[Page]]]:
    readable = [p for p in pages if not blocking(p.quality)]
    out: list[tuple[Document, list[Page]]] = []
    for page in pages:
        refused = blocking(page.quality)
        if refused:
            # A page the quality gate refused is its own document: the applicant must re-shoot it.
            doc = Document(source=source, sha256=sha256, pages=[page.page], doc_type=DocType.other)
            doc.errors = [reason(code, f"第{page.page}页") for code in refused]
            out.append((doc, [page]))
    classes = [classify_page(p, rules.doc_types) for p in readable]
    for group in separate(readable, classes, rules.doc_types.titles()):
        cls = _document_class(group)
        doc = Document(
            source=source,
            sha256=sha256,
            pages=[p.page for p in group.pages],
            doc_type=cls.doc_type,
            side=cls.side,
            confidence=cls.confidence if not cls.unsure else min(cls.confidence, 0.5),
            candidates=[Candidate(doc_type=c.doc_type, side=c.side, score=c.score) for c in cls.candidates],
        )
        votes = _seal_and_copy(doc, group.pages, rules.image)
        _printed_card(doc, votes, rules.image)
        _colour_not_the_cards(doc, votes, rules.image)
        _colourless_stock(doc, votes, group.pages, rules.image)
        _printout_original(doc, group.pages, rules.image)
        cut = [p.page for p in group.pages if p.quality and Code.page_cut_off.value in p.quality.issues]
        if cut:
            doc.checks.append(check(Code.page_cut_off, False, f"第{'、'.join(map(str, cut))}页"))
        out.append((doc, group.pages))
    return sorted(out, key=lambda pair: pair[0].pages[0])


def _printed_card(doc: Document, votes: list[CopyAssessment], rules: ImageRules) -> None:
    """A card (`tinted_stock`: ID card, social security card) every page of which shows a printer's screen
    (`print_screen` at least `screen_copy_min`, no red seal) is a print of a picture of the card, a copy,
    however much colour it kept: a card's face is no lattice of dots that a scan or photo resolves. Only
    cards are judged so: a form or bill ruled in evenly spaced lines makes a lattice of its own."""
    r = rules.photocopy
    if doc.doc_type not in r.tinted_stock or not votes:
        return
    if all(
        v.evidence.get("print_screen", 0.0) >= r.screen_copy_min and v.evidence.get("red_seals", 0.0) == 0
        for v in votes
    ):
        doc.is_copy, doc.copy_confidence = True, r.screen_copy_confidence


def _colour_not_the_cards(doc: Document, votes: list[CopyAssessment], rules: ImageRules) -> None:
    """A card printed on tinted stock in strong colour (`tinted_stock`: ID card, social security card) whose
    pages are binarised and only weakly colourful is a copy, whether colour alone called it an original or
    left it undecided (some colour, below `colourful_original`, in a capture that kept colour). A card itself
    carries mid-tones over its whole face (the tinted ground, the guilloche, the photo's tones): a page with
    almost none (`toner_midtone_max`) holds the card only as a copier's toner left it, black or absent, and
    the little colour the page shows, less than any card's stock (`tinted_stock_colourful_min`), is that of
    the paper the copy lies on or of the light it was photographed in (a copy pasted on a coloured voucher
    sheet, a copy on a desk under warm light, a ballpoint's note across it). A red seal's vote stands, and a
    page whose capture dropped colour says nothing here."""
    r = rules.photocopy
    if doc.is_copy is True or doc.doc_type not in r.tinted_stock:
        return
    weak = [v for v in votes if v.is_copy is False or (v.is_copy is None and not v.colour_lost)]
    if doc.is_copy is None and len(weak) < len(votes):
        return
    if weak and all(
        v.evidence.get("red_seals", 0.0) == 0
        and v.evidence.get("midtones", 1.0) <= r.toner_midtone_max
        and v.evidence.get("colourfulness", 0.0) < r.tinted_stock_colourful_min
        for v in weak
    ):
        doc.is_copy, doc.copy_confidence = True, r.colourless_copy_confidence


def _colourless_stock(doc: Document, votes: list[CopyAssessment], pages: list[Page], rules: ImageRules) -> None:
    """A colour capture of a document always printed on colour stock that shows no colour: a photocopy.
    Undecided where the document is the printout of an electronic bill (`_printout_original`)."""
    r = rules.photocopy
    if doc.is_copy is not None or doc.doc_type not in r.colour_originals or not votes:
        return
    if not all(v.colour_capture and v.colour_lost for v in votes):
        return
    if _printout(pages, rules):
        return
    doc.is_copy = True
    doc.copy_confidence = r.colourless_copy_confidence


def _printout(pages: list[Page], rules: ImageRules) -> bool:
    text = "".join(line.text for page in pages for line in page.lines)
    return any(mark in text for mark in rules.photocopy.printout_marks)


def _printout_original(doc: Document, pages: list[Page], rules: ImageRules) -> None:
    """A bill whose own title says it is an electronic bill (财政电子票据, 电子发票: `printout_marks`) and whose
    page gave no copy evidence either way is an original. The bill is the electronic record; any printing
    of it, in colour or black and white, on a laser printer or a kiosk's thermal roll, is the paper the
    office accepts as the original, which it checks by the bill's code, number and 校验码, not by its ink.
    So no colour is no doubt here. A copier's evidence still decides: a page with a copier's frame, or a
    majority of copy votes, has `is_copy` set before this runs and is left a copy."""
    r = rules.photocopy
    if doc.is_copy is not None or doc.doc_type not in r.colour_originals or not _printout(pages, rules):
        return
    doc.is_copy = False
    doc.copy_confidence = r.printout_original_confidence


def _seal_and_copy(doc: Document, pages: list[Page], rules: ImageRules) -> list[CopyAssessment]:
    """The document's seals and copy vote from what its pages' reading found on their images."""
    seals = [seal for page in pages for seal in page.seals]
    doc.seal_boxes = [seal.box for seal in seals]
    readings = [seal.reading for seal in seals if seal.reading is not None]
    copy_votes = [page.copy_assessment for page in pages if page.copy_assessment is not None]
    # Checks compare other readings with the seals' text: a ring read unsurely is left out of it.
    doc.seal_texts = [r.checked_text for r in readings]
    # A supervision seal printed on the blank form (财政票据监制章) is not a stamp anyone pressed; its
    # mark tells even where the rest of its ring was read unsurely.
    printed = sum(any(m in r.text for m in rules.seal.printed_marks) for r in readings)
    doc.has_seal = len(doc.seal_boxes) > printed
    if copy_votes:
        decided = [v for v in copy_votes if v.is_copy is not None]
        if decided:
            copies = sum(1 for v in decided if v.is_copy)
            doc.is_copy = copies * 2 > len(decided)
            doc.copy_confidence = round(min(v.confidence for v in decided), 3)
        else:
            doc.copy_confidence = round(min(v.confidence for v in copy_votes), 3)
    return copy_votes
