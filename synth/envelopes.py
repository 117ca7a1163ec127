"""Mailed envelopes: several generated documents scanned together into one multi-page PDF.

An envelope takes 3–5 raster documents of a split (all pages of each, in order) so that document
separation can be measured: its truth lists the document boundaries. Only documents a scanner
would produce are used (scan, scanned_grey, photocopy), never quality failures.

An ID card's front and back next to each other are one document (the separation rule: a card's
two sides belong together), recorded with the front's side as the pipeline reports it.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageSequence

from synth.build import JPEG_QUALITY

ENVELOPE_VARIANTS = ("scan", "scanned_grey", "photocopy")
# Half the envelopes are an inpatient claim's paperwork; the others mix any kinds.
INPATIENT_KINDS = ("invoice", "expense_list", "discharge_record", "id_front", "id_back")
RESOLUTION = 200  # the generated documents' pixels per inch, kept so page sizes stay A4


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str  # the synth.build.render kind, from the file name
    truth: dict[str, Any]


def _kind(truth: dict[str, Any]) -> str:
    """`filing_form_fushun_scan_900040.jpg` → `filing_form_fushun` (stem = kind_variant_seed)."""
    stem = Path(str(truth["file"])).stem
    return stem.removesuffix(f"_{truth['seed']}").removesuffix(f"_{truth['variant']}")


def eligible_sources(split_dir: Path) -> list[Source]:
    sources = []
    for truth_path in sorted((split_dir / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        path = split_dir / "documents" / str(truth["file"])
        if truth["variant"] in ENVELOPE_VARIANTS and not truth.get("expected_quality") and path.exists():
            sources.append(Source(path, _kind(truth), truth))
    return sources


def page_images(path: Path) -> list[Image.Image]:
    """Every page of a generated raster file (JPEG, multi-page TIFF, image-only PDF), as stored."""
    if path.suffix.lower() != ".pdf":
        with Image.open(path) as img:
            return [frame.copy() for frame in ImageSequence.Iterator(img)]
    pdf = pdfium.PdfDocument(path)
    try:
        images = []
        for page in pdf:
            pictures = [obj for obj in page.get_objects() if isinstance(obj, pdfium.PdfImage)]
            if len(pictures) == 1:
                images.append(pictures[0].get_bitmap(render=False).to_pil())
            else:
                images.append(page.render(scale=RESOLUTION / 72).to_pil())
        return images
    finally:
        pdf.close()


def _pick(rng: random.Random, by_kind: dict[str, list[Source]]) -> list[Source]:
    """3–5 documents of different kinds; an ID card's back goes right after its front."""
    count = rng.randint(3, 5)
    pool = sorted(by_kind)
    if rng.random() < 0.5 and all(kind in by_kind for kind in INPATIENT_KINDS):
        pool = list(INPATIENT_KINDS)
    kinds = rng.sample(pool, min(count, len(pool)))
    if "id_front" in kinds and "id_back" in kinds:
        kinds.remove("id_back")
        kinds.insert(kinds.index("id_front") + 1, "id_back")
    return [rng.choice(by_kind[kind]) for kind in kinds]


def _boundaries(chosen: list[Source]) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    next_page = 1
    for source in chosen:
        truth_doc = source.truth["documents"][0]
        pages = list(range(next_page, next_page + len(truth_doc["pages"])))
        next_page += len(pages)
        previous = documents[-1] if documents else None
        if source.kind == "id_back" and previous is not None and previous["kind"] == "id_front":
            previous["pages"] += pages
            previous["sources"].append(source.path.name)
            continue
        documents.append(
            {
                "doc_type": truth_doc["doc_type"],
                "side": truth_doc["side"],
                "pages": pages,
                "kind": source.kind,
                "sources": [source.path.name],
            }
        )
    return documents


def build_envelopes(split_dir: Path, count: int, seed: int) -> list[Path]:
    """`count` envelopes into `split_dir/envelopes/` (PDF + `<name>.json` truth), deterministic per seed."""
    by_kind: dict[str, list[Source]] = {}
    for source in eligible_sources(split_dir):
        by_kind.setdefault(source.kind, []).append(source)
    if len(by_kind) < 3:
        raise ValueError(f"{split_dir} has too few scanned documents for envelopes")
    out = split_dir / "envelopes"
    out.mkdir(parents=True, exist_ok=True)
    fixed = time.strptime("2025-01-01", "%Y-%m-%d")  # byte-identical output for one seed
    paths = []
    for n in range(count):
        envelope_seed = seed + n
        chosen = _pick(random.Random(envelope_seed), by_kind)
        images = [img for source in chosen for img in page_images(source.path)]
        path = out / f"envelope_{envelope_seed}.pdf"
        images[0].save(
            path,
            save_all=True,
            append_images=images[1:],
            resolution=RESOLUTION,
            quality=JPEG_QUALITY,
            creationDate=fixed,
            modDate=fixed,
        )
        truth = {
            "file": path.name,
            "seed": envelope_seed,
            "pages": len(images),
            "variants": [source.truth["variant"] for source in chosen],
            "documents": _boundaries(chosen),
        }
        path.with_name(f"{path.name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths
