"""Seal and copy thresholds as validated data (`rules/image.yaml`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from intake.models import DocType

RULES_PATH = Path(__file__).with_name("rules") / "image.yaml"


class SealRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    work_side: int
    min_size: float
    max_size: float
    min_red_fraction: float
    max_red_fraction: float
    max_aspect: float
    min_fill: float
    rule_min_length: float
    rule_max_thickness: float
    max_cut_spread: float
    min_cut_visible: float
    min_cut_arc: float
    printed_marks: list[str]


class CopyRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    colourful_original: float
    grey_max: float
    toner_midtone_max: float
    capture_spread_min: float
    colour_originals: list[DocType]
    printout_marks: list[str]
    printout_original_confidence: float
    colourless_copy_confidence: float
    tinted_stock: list[DocType]
    tinted_stock_colourful_min: float
    border_strip: float
    border_drop_min: float
    border_level_min: float
    border_paper_min: float
    border_copy_confidence: float
    surround_dark_max: float
    lit_share_max: float
    screen_band: tuple[float, float]
    screen_detail_min: float
    screen_tiles_min: int
    screen_tiles_max: int
    screen_isolation_bins: float
    screen_copy_min: float
    screen_copy_confidence: float


class ImageRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seal: SealRules
    photocopy: CopyRules


@cache
def load_image_rules(path: Path = RULES_PATH) -> ImageRules:
    return ImageRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
