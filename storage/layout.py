"""Object keys. The store is the hand-off between stages, so every key is derived here."""

from __future__ import annotations


def original_key(sha256: str) -> str:
    """Content-addressed: the same file in two cases is one object."""
    return f"originals/{sha256[:2]}/{sha256}"


def page_image_key(sha256: str, page: int) -> str:
    return f"pages/{sha256}/p{page}.jpg"


def case_prefix(case_id: str) -> str:
    return f"cases/{case_id}/"


def case_key(case_id: str) -> str:
    return f"{case_prefix(case_id)}case.json"


def verdict_key(case_id: str) -> str:
    return f"{case_prefix(case_id)}verdict.json"


def error_key(case_id: str, sha256: str) -> str:
    return f"{case_prefix(case_id)}errors/{sha256}.json"


def batch_prefix(batch_id: str) -> str:
    return f"batches/{batch_id}/"


def batch_report_key(batch_id: str) -> str:
    return f"{batch_prefix(batch_id)}report.json"
