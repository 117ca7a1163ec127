"""The one seam between the service and the pipeline: bytes in, documents out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from intake.models import Document
from intake.settings import Settings
from pipeline.analyse import analyse_bytes

Analyser = Callable[[bytes, str, Settings, dt.date], list[Document]]


def analyse_upload(data: bytes, name: str, settings: Settings, case_date: dt.date) -> list[Document]:
    """One uploaded file read, classified and extracted in memory (no temporary file); its documents
    carry the upload's name and hash."""
    return analyse_bytes(data, name, settings, case_date)
