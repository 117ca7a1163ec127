"""Readings cached in the object store, so a file sent again (in this case or another) is not read again.

A reading is the pipeline's own models as JSON under `readings/<fingerprint>/<sha256>-<config>.json`:
the content hash of the original, the code and rules reading depends on, and the reading settings. It
holds document text and ID numbers, so it lives beside the originals in the store (access-controlled),
never on a worker's disk. It keeps no file name: a hit reports the name the file came under this time.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import cv2
from pydantic import BaseModel

from extractors.layout import field_labels
from intake.models import Document, Page, StoredOriginal
from pipeline.analyse import read_documents
from pipeline.passes import ReadingConfig
from storage import layout
from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent


@cache
def reading_fingerprint() -> str:
    """The code, rules and models a reading depends on: a cached reading is reused only while they are
    unchanged (a new OCR, preprocessing or classifier release, or a changed page model, reads every file
    again)."""
    digest = hashlib.sha256()
    for folder in ("ocr", "classifiers", "pipeline"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".yaml"):
                digest.update(path.read_bytes())
    digest.update((ROOT / "intake" / "models.py").read_bytes())
    # The labels the reader looks again after; the rest of the field rules is extraction's, not reading's.
    digest.update("\n".join(sorted(field_labels())).encode())
    return digest.hexdigest()[:12]


def config_digest(config: ReadingConfig) -> str:
    """The settings a reading depends on (OCR, input limits, preprocessing), as a short digest."""
    text = config.ocr.model_dump_json() + config.limits.model_dump_json() + config.preprocess.model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def reading_key(sha256: str, config: ReadingConfig) -> str:
    return f"readings/{reading_fingerprint()}/{sha256}-{config_digest(config)}.json"


class ReadDocument(BaseModel):
    document: Document
    pages: list[Page]


class StoredReading(BaseModel):
    """One original read and classified (not extracted: extraction depends on the case date)."""

    documents: list[ReadDocument]

    def as_source(self, source: str) -> list[tuple[Document, list[Page]]]:
        """The documents and pages reported under `source`, the name the file came under this time."""
        return [
            (
                d.document.model_copy(update={"source": source}),
                [p.model_copy(update={"source": source}) for p in d.pages],
            )
            for d in self.documents
        ]


def read_original(
    store: ObjectStore, stored: StoredOriginal, config: ReadingConfig, data: bytes | None = None
) -> list[tuple[Document, list[Page]]]:
    """An original in the store → its documents with their pages, from the reading cache when this
    content was read before with the same code and settings; otherwise read now, its page images and
    the reading stored. Unusable input → one error document (cached too: it is as deterministic).
    `data`: the original's bytes when the caller has just stored them, so they are not fetched back."""
    key = reading_key(stored.sha256, config)
    try:  # one request, hit or miss (not a look-up, then a get)
        return StoredReading.model_validate(store.get_json(key)).as_source(stored.source)
    except (KeyError, ValueError):  # not read yet; or unreadable JSON or a reading that no longer fits the models
        pass
    run = read_documents(store.get_bytes(stored.key) if data is None else data, stored.source, config, stored.sha256)
    for raw in run.raw_pages:
        ok, jpeg = cv2.imencode(".jpg", raw.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
        if ok:
            store.put_bytes(layout.page_image_key(stored.sha256, raw.page), jpeg.tobytes(), "image/jpeg")
    reading = StoredReading(
        documents=[
            ReadDocument(
                document=doc.model_copy(update={"source": ""}),
                pages=[p.model_copy(update={"source": ""}) for p in pages],
            )
            for doc, pages in run.documents
        ]
    )
    put_reading(store, key, reading)
    return reading.as_source(stored.source)


def put_reading(store: ObjectStore, key: str, reading: StoredReading) -> None:
    """The reading stored as JSON with one request. Not `put_json`, which would GET the key again to compare,
    when it was just found missing; should another worker have read the same content meanwhile, the bytes it
    stored are these."""
    store.put_bytes(key, reading.model_dump_json(indent=2).encode(), "application/json; charset=utf-8")
