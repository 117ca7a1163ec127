"""The one seam between the service and the pipeline: bytes in, documents out.

`pipeline.analyse.analyse_bytes` is on its way; until it lands the bytes go through a private
temporary file (mode 0600, removed at once) to `analyse_file`. Swap the body, keep the signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable

from intake.models import Document
from intake.settings import Settings
from pipeline.analyse import analyse_file

Analyser = Callable[[bytes, str, Settings, dt.date], list[Document]]


def analyse_upload(data: bytes, name: str, settings: Settings, case_date: dt.date) -> list[Document]:
    """One uploaded file read, classified and extracted; documents carry the upload's name and hash."""
    with tempfile.NamedTemporaryFile(prefix="intake-upload-") as tmp:  # mkstemp: 0600, this user only
        tmp.write(data)
        tmp.flush()
        documents = analyse_file(tmp.name, settings, case_date)
    digest = hashlib.sha256(data).hexdigest()
    return [doc.model_copy(update={"source": name, "sha256": digest}) for doc in documents]
