"""Shared domain models: the typed tree every stage reads and writes.

Page → OCR line; document → fields → checks; case → documents; verdict. The JSON
stored next to an original and printed by the CLI is these models serialised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field


class DocType(StrEnum):
    invoice = "invoice"
    discharge_record = "discharge_record"
    expense_list = "expense_list"
    id_card = "id_card"
    filing_form = "filing_form"
    social_security_card = "social_security_card"
    medical_insurance_code = "medical_insurance_code"
    medical_record = "medical_record"
    residence_proof = "residence_proof"
    household_register = "household_register"
    birth_certificate = "birth_certificate"
    death_certificate = "death_certificate"
    marriage_certificate = "marriage_certificate"
    bank_card = "bank_card"
    passport = "passport"
    hospital_certificate = "hospital_certificate"
    other = "other"


class Side(StrEnum):
    front = "front"
    back = "back"


class VerdictStatus(StrEnum):
    complete = "complete"
    incomplete = "incomplete"
    needs_review = "needs_review"
    rejected = "rejected"


BBox = tuple[float, float, float, float]
"""Axis-aligned box (x0, y0, x1, y1) in the original page image's pixel coordinates."""


class OcrLine(BaseModel):
    text: str
    confidence: float  # the recogniser's mean over the line's characters
    polygon: list[tuple[float, float]]
    # Each character's own confidence, aligned with `text`, where the engine gives them (rapidocr): a line's
    # mean hides one doubtful character among twenty sure ones.
    char_confidences: list[float] | None = None

    @cached_property
    def bbox(self) -> BBox:
        """The polygon's bounding box, computed once a line (layout and reading order ask for it tens of
        thousands of times a page set). A copy or an assignment that changes the polygon forgets it."""
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs), max(ys))

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copied = super().model_copy(update=update, deep=deep)
        if update and "polygon" in update:
            copied.__dict__.pop("bbox", None)
        return copied

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "polygon":
            self.__dict__.pop("bbox", None)


class Quality(BaseModel):
    """Image quality measures; `issues` holds reason codes when the page fails the gate."""

    blur: float = 0.0
    brightness: float = 0.0
    contrast: float = 0.0
    # The brightest part of the frame (99th grey percentile): below any paper's level, no part was lit.
    highlight: float = 255.0
    short_side_px: int = 0
    issues: list[str] = Field(default_factory=list)
    # Lines the recogniser read at high confidence when the gate had doubts: enough of them make blur and
    # size issues notes for the clerk instead of a refusal (ocr/reader.py `blocking`).
    confident_lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


class SealReading(BaseModel):
    """What a seal's text was read as: its ring (the unit's name), its centre line (收费专用章), and whether
    the ring is sure (all of it read, every character at `classifiers.seal_text.SURE_CHARACTER` or above).
    Document text: never logged."""

    model_config = ConfigDict(frozen=True)

    ring: str = ""
    centre: str = ""
    ring_sure: bool = True

    @property
    def text(self) -> str:
        """Everything read, ring then centre, space-separated: for telling a printed supervision seal."""
        return " ".join(t for t in (self.ring, self.centre) if t)

    @property
    def checked_text(self) -> str:
        """What other readings may be compared with: an unsure ring is left out, so that a comparison
        with it says nothing either way instead of failing on the seal's misread character."""
        return self.text if self.ring_sure else self.centre


class PageSeal(BaseModel):
    """A red seal found on the page image, in its pixels, and its text where the reading read it."""

    box: BBox
    reading: SealReading | None = None


class CopyAssessment(BaseModel):
    """Original or photocopy as the page image alone tells it (`classifiers.copy_detect.assess_copy`)."""

    is_copy: bool | None
    confidence: float
    colour_lost: bool  # the page shows no colour (the capture dropped it, or the paper had none)
    evidence: dict[str, float] = Field(default_factory=dict)
    colour_capture: bool = False  # the capture kept colour: a colourless page here is colourless paper


class Page(BaseModel):
    """One page of one input file, after reading (text layer or OCR)."""

    source: str
    page: int  # 1-based page number inside the source file
    width: int
    height: int
    lines: list[OcrLine] = Field(default_factory=list)
    text_layer: bool = False  # True: text came from a PDF text layer, no OCR
    rotation: int = 0  # degrees the page was turned to read upright (0/90/180/270)
    skew: float = 0.0
    # original image → upright page (3×3: perspective, quarter turns, deskew); None: already upright
    upright_matrix: list[list[float]] | None = None
    quality: Quality | None = None
    color_stats: dict[str, float] = Field(default_factory=dict)
    # Judged on the page image while it was read (the image is not kept): classification uses them.
    seals: list[PageSeal] = Field(default_factory=list)
    copy_assessment: CopyAssessment | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class ExtractedField(BaseModel):
    value: Any
    raw: str | None = None
    confidence: float = 0.0
    page: int | None = None
    bbox: BBox | None = None
    repaired: bool = False


class Check(BaseModel):
    code: str
    ok: bool
    message: str
    fields: list[str] = Field(default_factory=list)  # the fields the check vouches for (or flags)


class Candidate(BaseModel):
    doc_type: DocType
    side: Side | None = None
    score: float


class Reason(BaseModel):
    code: str
    message: str
    document: int | None = None  # index into Case.documents where the reason is about one


class Document(BaseModel):
    source: str
    pages: list[int]
    doc_type: DocType = DocType.other
    side: Side | None = None
    confidence: float = 0.0
    candidates: list[Candidate] = Field(default_factory=list)
    is_copy: bool | None = None
    copy_confidence: float = 0.0
    has_seal: bool = False
    seal_boxes: list[BBox] = Field(default_factory=list)
    seal_texts: list[str] = Field(default_factory=list)
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    errors: list[Reason] = Field(default_factory=list)
    sha256: str | None = None


class Case(BaseModel):
    case_id: str
    item_id: str
    region: str
    agent: bool = False
    options: dict[str, str] = Field(default_factory=dict)
    case_date: dt.date
    documents: list[Document] = Field(default_factory=list)
    errors: list[Reason] = Field(default_factory=list)


class MissingMaterial(BaseModel):
    material: str
    detail: str


class Verdict(BaseModel):
    status: VerdictStatus
    missing: list[MissingMaterial] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)
    notice: str = ""


class StoredOriginal(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    sha256: str
    key: str
    size: int
    content_type: str
