"""Where the evaluated sets live, and how every table names them (tuning vs evaluation vs real)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-samples"
SETS = {
    "eval": ("generated evaluation set (seeds 900000+, never tuned on)", ROOT / "generated" / "eval"),
    "tune": ("generated tuning set (seeds 100000+, tuned on)", ROOT / "generated" / "tune"),
    "samples": ("committed samples", ROOT / "samples"),
}
