"""Writing rendered documents to files with their ground truth, and the committed sample set.

Every file gets a truth JSON: the document(s) it holds (type, side, fields, seal, copy), the
variant and benchmark group, the rotation, the quality code it must trigger, and per page the
printed lines in reading order (the OCR reference)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from synth import documents as docs
from synth.canvas import PdfPage, RasterPage, Surface
from synth.people import Person, Stay, make_person, make_stay
from synth.variants import Variant, apply

A4 = (210.0, 297.0)
JPEG_QUALITY = 75


@dataclass
class Written:
    path: Path
    truth: dict[str, Any]


@dataclass
class Context:
    """One applicant's paperwork: the person, their hospital stay, the dates."""

    rng: random.Random
    person: Person
    stay: Stay
    on: dt.date
    extra: dict[str, Any] = field(default_factory=dict)


def new_context(
    seed: int,
    *,
    on: dt.date = dt.date(2025, 6, 20),
    region_prefix: str = "33",
    min_age: int = 25,
    province: str = "浙江省",
    max_age: int = 80,
) -> Context:
    rng = random.Random(seed)
    person = make_person(rng, region_prefix=region_prefix, min_age=min_age, max_age=max_age, on=on)
    stay = make_stay(rng, province=province, end=on - dt.timedelta(days=3))
    return Context(rng, person, stay, on)


def render(kind: str, ctx: Context) -> docs.Rendered:
    """A clean render of one document kind for the context's person."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    if kind in ("invoice", "invoice_outpatient"):
        visit = "门诊" if kind == "invoice_outpatient" else "住院"
        fields = docs.invoice_fields(rng, person, stay, visit=visit, issue=stay.discharge)
        return docs.draw_invoice(
            RasterPage(210, 140, paper=(252, 251, 246)), rng, person, stay, fields, electronic=False
        )
    if kind == "discharge_record":
        return docs.draw_discharge(RasterPage(*A4), rng, person, stay)
    if kind == "expense_list":
        pages: list[Surface] = [RasterPage(*A4) for _ in range(2 if len(stay.lines) > 20 else 1)]
        return docs.draw_expense_list(pages, rng, person, stay)
    if kind == "expense_list_outpatient":
        return docs.draw_expense_list([RasterPage(*A4)], rng, person, stay, title="门诊费用明细清单")
    if kind == "id_front":
        return _on_a4(docs.draw_id_front(rng, person))
    if kind == "id_back":
        return _on_a4(docs.draw_id_back(rng, person))
    if kind == "id_front_card":
        return docs.draw_id_front(rng, person)
    if kind == "id_back_card":
        return docs.draw_id_back(rng, person)
    if kind == "social_security_card":
        return _on_a4(docs.draw_social_security_card(rng, person))
    if kind.startswith("filing_form_"):
        return docs.draw_filing_form(
            RasterPage(*A4), rng, person, kind.removeprefix("filing_form_"), ctx.on, hospital=stay.hospital
        )
    if kind == "commitment":
        return docs.draw_commitment(RasterPage(*A4), rng, person, ctx.on, ctx.extra.get("destination", "浙江省杭州市"))
    if kind == "medical_record":
        return docs.draw_outpatient_record(RasterPage(*A4), rng, person, stay)
    raise ValueError(f"unknown document kind {kind}")


def _on_a4(card: docs.Rendered) -> docs.Rendered:
    page = card.pages[0]
    assert isinstance(page, RasterPage)
    card.pages = [docs.paste_card_on_page(page)]
    return card


def write_raster(
    rendered: docs.Rendered,
    variant_name: str,
    out: Path,
    stem: str,
    seed: int,
    *,
    quality: int = JPEG_QUALITY,
    family: str | None = None,
    drawn_copy: bool = False,
) -> Written:
    """Apply the variant to every page; one page → JPEG, several → an image-only PDF (a scanned
    document), photocopies of several pages → multi-page TIFF. A template family (synth/families)
    gives its own JPEG quality and its name, which the truth then carries; the base family's truth
    stays as it was. `drawn_copy`: the render is already a copy (a family that draws one), so the
    truth says copy whatever the variant."""
    images: list[Image.Image] = []
    variant: Variant | None = None
    for i, page in enumerate(rendered.pages):
        assert isinstance(page, RasterPage)
        variant, img = apply(variant_name, page.img, seed * 31 + i)
        images.append(img)
    assert variant is not None
    out.mkdir(parents=True, exist_ok=True)
    if len(images) == 1:
        path = out / f"{stem}.jpg"
        images[0].save(path, quality=quality, optimize=True)
    elif variant.is_copy:
        path = out / f"{stem}.tif"
        images[0].save(path, save_all=True, append_images=images[1:], compression="jpeg")
    else:
        path = out / f"{stem}.pdf"
        fixed = time.strptime("2025-01-01", "%Y-%m-%d")  # byte-identical output for one seed
        images[0].save(
            path,
            save_all=True,
            append_images=images[1:],
            resolution=200,
            quality=quality,
            creationDate=fixed,
            modDate=fixed,
        )
    truth = _truth(rendered, variant, seed, path, drawn_copy=drawn_copy)
    if family is not None:
        truth["family"] = family
    return Written(path, truth)


def write_born_digital_invoice(ctx: Context, out: Path, stem: str, seed: int, *, visit: str = "住院") -> Written:
    """An 医疗收费电子票据 as issued: a PDF whose text is text."""
    from reportlab.pdfgen.canvas import Canvas

    from synth.canvas import PT_PER_MM

    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{stem}.pdf"
    buf = io.BytesIO()
    width, height = 210.0, 140.0
    canvas = Canvas(buf, pagesize=(width * PT_PER_MM, height * PT_PER_MM), invariant=1)
    page = PdfPage(canvas, width, height)
    fields = docs.invoice_fields(ctx.rng, ctx.person, ctx.stay, visit=visit, issue=ctx.stay.discharge)
    rendered = docs.draw_invoice(page, ctx.rng, ctx.person, ctx.stay, fields, electronic=True)
    canvas.showPage()
    canvas.save()
    path.write_bytes(buf.getvalue())
    variant = Variant("born_digital", "born_digital_pdf", False, True, 0, None)
    return Written(path, _truth(rendered, variant, seed, path))


def _truth(
    rendered: docs.Rendered, variant: Variant, seed: int, path: Path, *, drawn_copy: bool = False
) -> dict[str, Any]:
    is_copy = variant.is_copy or drawn_copy
    pages = []
    for page in rendered.pages:
        ordered = sorted(page.lines, key=lambda ln: (round(ln.box[1] / 2.5), ln.box[0]))
        pages.append(
            {
                "width_mm": page.width_mm,
                "height_mm": page.height_mm,
                "lines": [{"text": ln.text, "box_mm": [round(v, 1) for v in ln.box]} for ln in ordered],
            }
        )
    return {
        "file": path.name,
        "seed": seed,
        "variant": variant.name,
        "group": variant.group,
        "rotation": variant.rotation,
        "expected_quality": variant.expected_quality,
        "documents": [
            {
                "doc_type": rendered.doc_type,
                "side": rendered.side,
                "title": rendered.title,
                "pages": list(range(1, len(rendered.pages) + 1)),
                "is_copy": is_copy,
                "has_seal": rendered.has_seal and variant.colour and not is_copy,  # a copy's seal is toner
                "seal_printed": rendered.has_seal,
                "fields": rendered.fields,
            }
        ],
        "pages": pages,
    }


def write_truth(written: Written, truth_dir: Path) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    (truth_dir / f"{written.path.name}.json").write_text(
        json.dumps(written.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
