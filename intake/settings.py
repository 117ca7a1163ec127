"""Settings, read once at the edge (CLI, flow entry) and passed down to the stages.

Environment variables use the `INTAKE_` prefix, with `__` for nesting, e.g.
`INTAKE_S3_ENDPOINT`, `INTAKE_OCR__THREADS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, SecretStr, Tag
from pydantic_settings import BaseSettings, SettingsConfigDict


class OcrOptionsBase(BaseModel):
    """Options every engine takes. Frozen, so hashable: engines are cached per configuration."""

    model_config = ConfigDict(frozen=True)

    # Inference threads per worker process (OpenCV's too); a batch shares the cores out between workers.
    threads: int = 2
    # Long side the detector sees the page's inked part at: 1280 read no worse than 1600, 1.4× as fast.
    max_side_len: int = 1280


class RapidOcrOptions(OcrOptionsBase):
    """PaddleOCR's PP-OCR models from the rapidocr wheel, run by our own code on onnxruntime or OpenVINO."""

    kind: Literal["rapidocr"] = "rapidocr"
    # What runs the ONNX files; OpenVINO computes in bf16 on CPUs that have it.
    runtime: Literal["onnxruntime", "openvino"] = "onnxruntime"
    # OpenVINO only: "auto" is its CPU default (bf16 where the CPU has it, else f32).
    openvino_precision: Literal["auto", "bf16", "f32"] = "auto"
    # OpenVINO only: compiled kernels kept (its default 5000 grew a worker to 1.5 GB); 10 was as fast as 100.
    openvino_shape_cache: int = 10
    # fp32: the wheel's files; int8: det and rec quantised (ocr/provision.py); int8-rec: only the recogniser,
    # its doubtful lines read again in fp32: 19 % more pages a minute than fp32, as many fields right.
    model_precision: Literal["fp32", "int8", "int8-rec"] = "int8-rec"
    # With an int8 recogniser: a line with a character read below this is read again in fp32 (0: never);
    # 0.9 caught 29 of the 35 lines the two recognisers read differently.
    recheck_below: float = Field(default=0.9, ge=0.0, le=1.0)
    # Where the int8 models are made (once, from the package's calibration pages).
    int8_dir: Path = Path(".intake/models/int8")
    # Text lines per recognition batch; wider batches cost memory (6: 883 MB, 3: 570 MB on a dense page).
    rec_batch: int = 3
    # Every line is padded to at least this width (px at 48 px height); narrower read lone digits unsure.
    rec_min_width: int = 160
    # Lines narrower than rec_min_width are read side by side in rows up to this wide (0: each alone).
    rec_pack_width: int = 320
    # Wider lines are read at this share of their width: recognition in 0.72 of the time, fields as good.
    rec_width_scale: float = Field(default=0.8, gt=0.5, le=1.0)


class PaddleOcrOptions(OcrOptionsBase):
    """The `paddleocr` package on local model folders (`python -m ocr.paddle_models DIR`); nothing is
    downloaded."""

    kind: Literal["paddleocr"] = "paddleocr"
    det_dir: Path | None = None
    rec_dir: Path | None = None
    # Optional: the text-line direction classifier (0°/180°).
    cls_dir: Path | None = None


def _engine_kind(value: object) -> str:
    """The options' `kind`, "rapidocr" when not given: `INTAKE_OCR__THREADS=1` alone sets the default
    engine's threads."""
    if isinstance(value, dict):
        return str(value.get("kind", "rapidocr"))
    return str(getattr(value, "kind", "rapidocr"))


# The OCR engine's options, keyed by `kind` (`INTAKE_OCR__KIND=paddleocr`).
OcrOptions = Annotated[
    Annotated[RapidOcrOptions, Tag("rapidocr")] | Annotated[PaddleOcrOptions, Tag("paddleocr")],
    Discriminator(_engine_kind),
]


class InputLimits(BaseModel):
    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 200
    render_dpi: int = 200
    # a PDF page counts as born-digital when its text layer has at least this many characters
    min_text_layer_chars: int = 20


class PreprocessSettings(BaseModel):
    """Preprocessing and the quality gate (`INTAKE_PREPROCESS__BLUR_MIN` …). Thresholds are measured,
    not guessed: README "Quality gate" has the figures."""

    work_side: int = 1000  # long side of the copy used for estimation
    max_image_side: int = 3600  # larger pages are scaled down before reading (300 dpi A4 is 3508 px)
    blur_min: float = 60.0  # variance of Laplacian at work_side; real scans 150–4800, σ=4 blur ≈ 20
    dark_max: float = 70.0  # mean grey below this → too dark; real photos ≥ 145
    # Paper-to-ink range (90th percentile minus the darkest 0.05 %) below this on a bright page →
    # washed out. Real pages 131–255, generated scans/photos ≥ 143, washed-out renders 29–57.
    contrast_min: float = 80.0
    min_short_side: int = 200  # px, whatever the text size
    min_text_height: float = 6.5  # px, median text-line height; real ID card at 7 px reads cleanly
    cut_off_margin: float = 0.003  # a text line this close to a frame edge is cut by it
    cls_threads: int = 1
    max_skew: float = 15.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_nested_delimiter="__", extra="ignore")

    s3_endpoint: str | None = None  # host:port; unset → the embedded SeaweedFS server
    s3_access_key: str = "intake"
    s3_secret_key: SecretStr = SecretStr("intake-local-secret")
    s3_bucket: str = "intake"
    s3_secure: bool = False
    s3_region: str | None = None

    data_dir: Path = Path(".intake")  # embedded S3 server data, Prefect home for the demo
    # Cases of a batch read at once, each worker a process of its own that loads the models once; the
    # cores are shared out between them (INTAKE_OCR__THREADS unset). README "Measured" has the figures.
    workers: int = 1

    ocr: OcrOptions = Field(default_factory=RapidOcrOptions)
    limits: InputLimits = Field(default_factory=InputLimits)
    preprocess: PreprocessSettings = Field(default_factory=PreprocessSettings)

    # a page whose best document type scores below this goes to review
    min_classification_confidence: float = 0.6
    min_field_confidence: float = 0.8
