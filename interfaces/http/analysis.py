"""The seam between the service and the pipeline: bytes in, documents out for the instant answer, and the
full reading of a stored original for the reading cache that submission reads from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from intake.models import Document, StoredOriginal
from intake.requests import RunSettings
from intake.settings import Settings
from ocr.engine import get_engine
from pipeline.analyse import analyse_bytes
from pipeline.passes import instant_pass
from pipeline.readings import read_original
from storage.store import ObjectStore

Analyser = Callable[[bytes, str, Settings, dt.date], list[Document]]


def analyse_upload(data: bytes, name: str, settings: Settings, case_date: dt.date) -> list[Document]:
    """One uploaded file read for the instant answer (`Settings.instant`: the same pipeline, lighter),
    classified and extracted in memory (no temporary file); its documents carry the upload's name and
    hash."""
    config, switches = instant_pass(settings, settings.instant)
    return analyse_bytes(data, name, config, case_date, switches)


def full_reading_config(settings: Settings) -> RunSettings:
    """The reading settings a submitted case's flow run reads with (`RunSettings.from_settings`): a reading
    made with them is the one the flow finds in the cache."""
    return RunSettings.from_settings(settings)


def load_full_reading(settings: Settings) -> None:
    """The full reading's OCR models loaded (in the calling thread: its OCR threads are started there)."""
    get_engine(full_reading_config(settings).ocr)


def read_in_full(store: ObjectStore, stored: StoredOriginal, settings: Settings) -> None:
    """A stored original read in full into the object store's reading cache (nothing when it is there)."""
    read_original(store, stored, full_reading_config(settings))
