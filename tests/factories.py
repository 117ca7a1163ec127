"""Factories for synthesised documents and cases (no real personal data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from extractors.extract import extract_document
from intake.idnumber import check_digit
from intake.models import Case, Check, DocType, Document, ExtractedField, OcrLine, Page, Side
from intake.reasons import Code


def id_number(region: str = "330106", birth: str = "19800115", seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + check_digit(first17)


def fields(**values: Any) -> dict[str, ExtractedField]:
    return {k: ExtractedField(value=v, confidence=0.99, page=1, bbox=(0, 0, 10, 10)) for k, v in values.items()}


def doc(doc_type: DocType, side: Side | None = None, **kwargs: Any) -> Document:
    base: dict[str, Any] = {
        "source": f"{doc_type.value}.jpg",
        "pages": [1],
        "doc_type": doc_type,
        "side": side,
        "confidence": 0.95,
        "is_copy": False,
        "has_seal": False,
    }
    base.update(kwargs)
    return Document(**base)


def id_front(name: str = "王小明", number: str | None = None, address: str = "浙江省杭州市西湖区文三路1号") -> Document:
    number = number or id_number()
    return doc(
        DocType.id_card,
        Side.front,
        fields=fields(name=name, sex="男", birth_date="1980-01-15", id_number=number, address=address),
    )


def inpatient_documents(name: str = "王小明", total: str = "1234.50") -> list[Document]:
    return [
        id_front(name),
        doc(DocType.id_card, Side.back, fields=fields(valid_from="2016-01-01", valid_to="2036-01-01")),
        doc(
            DocType.invoice, has_seal=True, fields=fields(payer_name=name, total_amount=total, issue_date="2025-03-10")
        ),
        doc(
            DocType.discharge_record,
            fields=fields(patient_name=name, admission_date="2025-03-01", discharge_date="2025-03-10"),
        ),
        doc(DocType.expense_list, has_seal=True, fields=fields(patient_name=name, total_amount=total)),
    ]


def case(item_id: str, documents: list[Document], agent: bool = False, **options: str) -> Case:
    return Case(
        case_id="case-test",
        item_id=item_id,
        region="浙江省",
        agent=agent,
        options=dict(options),
        case_date=dt.date(2025, 6, 1),
        documents=documents,
    )


def line(text: str, x: float, y: float, w: float | None = None, h: float = 40, confidence: float = 0.99) -> OcrLine:
    """A read line at (x, y), 30 px a character wide unless `w` says otherwise, read surely unless
    `confidence` says otherwise."""
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def page_of(lines: list[OcrLine], width: int = 2000, height: int = 2800) -> Page:
    """One page holding `lines`, A4 at 240 dpi unless `width` and `height` say otherwise."""
    return Page(source="t.jpg", page=1, width=width, height=height, lines=lines)


# The day a case is judged on, in extraction tests on constructed lines.
CASE_DATE = dt.date(2025, 6, 20)


def extracted(
    doc_type: DocType, *lines: OcrLine, side: Side | None = None, width: int = 2000, height: int = 2800
) -> tuple[dict[str, ExtractedField], list[Check]]:
    """The fields and checks extraction gives one page of `lines` typed `doc_type` (and `side`)."""
    document = Document(source="t.jpg", pages=[1], doc_type=doc_type, side=side)
    return extract_document(document, [page_of(list(lines), width, height)], CASE_DATE)


def failed(checks: list[Check], code: Code) -> list[list[str]]:
    """The fields named by each failed check of `code`."""
    return [c.fields for c in checks if c.code == code and not c.ok]
