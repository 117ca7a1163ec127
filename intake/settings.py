"""Settings, read once at the edge (CLI, flow entry) and passed down to the stages.

Environment variables use the `INTAKE_` prefix, with `__` for nesting, e.g.
`INTAKE_S3_ENDPOINT`, `INTAKE_OCR__THREADS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, SecretStr, Tag, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    # What runs the ONNX files (the recognisers: `rec_runtime`). OpenVINO ran a page-sized detector input in
    # 0.44 CPU s against onnxruntime's 1.26 (both fp32, one thread); held-out pages: bench/ocr_bench.py.
    runtime: Literal["onnxruntime", "openvino"] = "openvino"
    # OpenVINO only (the detector and line classifier by default): "f32" computes as onnxruntime does (what
    # the benches and evaluations measured). "auto" is its CPU default, bf16 where the CPU computes it natively
    # (AVX512_BF16 or AMX), else f32: on such a CPU the detector took 0.6 of f32's CPU time and the real
    # samples read as well, but on the held-out families two more fields came out wrong or missing without a
    # flag (2 -> 4 of 2056), so it is not the default. "bf16" forced on a CPU without it is emulated, slower.
    openvino_precision: Literal["auto", "bf16", "f32"] = "f32"
    # What runs the recognisers (None: `runtime`). OpenVINO's gain is the detector's; every recognition batch
    # being a new input width, it read the tune families' lines in more CPU time than onnxruntime and kept
    # more memory: all on OpenVINO 69.7 CPU s and 1228 MB peak for 41 pages, recognisers on onnxruntime
    # 64.9 s and 1024 MB (onnxruntime alone: 85.4 s), CER alike.
    rec_runtime: Literal["onnxruntime", "openvino"] | None = "onnxruntime"
    # OpenVINO only: compiled kernels kept (its default 5000 grew a worker to 1.5 GB); 10 was as fast as 100.
    openvino_shape_cache: int = 10
    # fp32: the wheel's files; int8: det and rec quantised (ocr/provision.py); int8-rec: only the recogniser,
    # its doubtful lines read again in fp32: 19 % more pages a minute than fp32, as many fields right.
    model_precision: Literal["fp32", "int8", "int8-rec"] = "int8-rec"
    # With an int8 recogniser: a line with a character read below this is read again in fp32 (0: never);
    # 0.9 caught 29 of the 35 lines the two recognisers read differently.
    recheck_below: float = Field(default=0.9, ge=0.0, le=1.0)
    # Characters whose doubt alone sends no line to fp32 ('': every character counts): brackets, read least
    # surely by the int8 recogniser and differing between the two in form only (（ for (), made half-width
    # by the extractors; half the fp32 re-reads on tune-family invoices were for one.
    recheck_ignores: str = "()（）[]【】"
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
    """What one input file may cost before anything is decoded (ocr/loader.py checks headers first).

    Memory per file is bounded by `max_file_pixels`: every page of a file is held decoded (3 bytes a
    pixel, BGR), so 300 MP → 0.9 GB, plus one page's conversion copies (≤ 2 × 3 × `max_page_pixels`,
    0.24 GB): loading stays under a 2 GB address-space limit (tests/test_bad_inputs.py). The warm reader
    comes on top: about 0.6 GB on onnxruntime, 0.95–1.4 GB with the default OpenVINO detector (it keeps
    buffers for the largest page seen), so a worker reading a file at these limits needs about 2.3 GB
    (docs/operations.md).
    """

    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 200
    render_dpi: int = 200
    # One page: a 300 dpi A3 scan is 17 MP, a 50 MP phone photo 50 MP. A larger PDF page is rendered at a
    # lower scale, a larger JPEG decoded at 1/2, 1/4 or 1/8; any other larger image is refused.
    max_page_pixels: int = 40_000_000
    # All pages of one file together. 200 A4 pages at 200 dpi are 774 MP: they are rendered at 62 % of
    # `render_dpi` (124 dpi, still read well: 100 dpi measured CER 0.034). Below `min_render_share`
    # of it a file is refused instead.
    max_file_pixels: int = 300_000_000
    min_render_share: float = 0.5
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
    # Re-judged on the PP-OCR detector's text boxes when the page rules above refuse a page (ocr/reader.py):
    # median box height (px) below this → too small (a box is ~1.5 times its text's height): a real card
    # scaled to 204×127 has 14 px boxes and reads 3 lines at 0.95+, at 136×85 12 px and none.
    min_box_height: float = 13.0
    # mean |Laplacian| inside the boxes below this → blurred; blurred sample 2.1, σ=2 card crops 3.1–6.7,
    # σ=1.2 (still read at 0.99+) 5.2–14, sharp scans and cards 25–79.
    box_sharpness_min: float = 4.0
    # grey range (5th–95th percentile) inside the boxes below this → too dark / washed out; dark and
    # overexposed samples 54 and 46, card crops even blurred 66–218, scans 189.
    box_contrast_min: float = 60.0
    # paper (95th percentile) inside the boxes darker than this → too dark: dark sample and generated dark
    # invoice 56–63, real and sample cards and photos 193–247.
    box_paper_min: float = 120.0
    # ink (5th percentile) inside the boxes lighter than this → washed out: overexposed sample 209, real and
    # sample cards and photos 27–99.
    box_ink_max: float = 150.0
    cls_threads: int = 1
    max_skew: float = 15.0


class InstantReading(BaseModel):
    """How the service reads an upload for the applicant's instant answer (`INTAKE_INSTANT__…`).

    The answer tells the applicant only what to do now: re-shoot (the quality gate, which runs in full),
    the document's type and side, a duplicate, the materials still missing. What only the full reading
    needs is left out: the second looks at doubtful lines (ocr/reader.py), the fp32 re-read of lines the
    int8 recogniser is unsure of, the seals' text, and the detector's full side. The full reading runs
    afterwards in the background and at submission (pipeline/readings.py caches it). Measured figures:
    README "The HTTP service".
    """

    model_config = ConfigDict(frozen=True)

    # False: the reader's second looks (label values, codes read wider, numerals, look-alikes) are skipped.
    second_looks: bool = False
    # False: seals are found (and whether the page is a copy) but their text is not read.
    seal_text: bool = False
    # The int8 recogniser's doubtful lines read again in fp32 below this (0: never; rapidocr only).
    recheck_below: float = Field(default=0.0, ge=0.0, le=1.0)
    # The detector's long side, at most (the full reading's own `ocr.max_side_len` when that is smaller).
    max_side_len: int = Field(default=960, ge=320)
    # Uploads waiting for their full reading in the service's background (read after the instant answer,
    # so that submission finds them cached); one offered beyond this is read at submission. 0: no
    # background reading.
    background_queue: int = Field(default=50, ge=0)


class Thresholds(BaseModel):
    """The confidence below which the verdict sends a case to a clerk (`INTAKE_THRESHOLDS__…`). Defined
    once here: the validator takes this model, the benches count "flagged" with the same numbers."""

    model_config = ConfigDict(frozen=True)

    # a page whose best document type scores below this goes to review
    min_classification_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    # a field read below this is shown to a clerk rather than trusted
    min_field_confidence: float = Field(default=0.8, ge=0.0, le=1.0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_nested_delimiter="__", extra="ignore")

    # development: S3 keys may be left unset, the embedded server then generates its own per data dir
    # (storage/credentials.py); production: keys must be given and must not be a development default.
    environment: Literal["development", "production"] = "development"
    s3_endpoint: str | None = None  # host:port; unset → the embedded SeaweedFS server
    s3_access_key: str | None = None  # unset → the data dir's generated keys (storage/credentials.py)
    s3_secret_key: SecretStr | None = None
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
    thresholds: Thresholds = Field(default_factory=Thresholds)
    # The service's instant answer to an upload: a lighter reading of the same pipeline.
    instant: InstantReading = Field(default_factory=InstantReading)

    # State shared by the service, clerks and batch runs. None → an SQLite file under data_dir
    # (`sqlite:///<data_dir>/intake.db`); PostgreSQL with e.g. `postgresql+psycopg://user@host/db`.
    database_url: str | None = None
    # Channel keys the HTTP service accepts as `Authorization: Bearer <key>` to open cases
    # (INTAKE_API_KEYS=key1,key2). Empty: only staff tokens can open cases.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Bytes one upload request may carry (all its files); more is refused with 413 before decoding.
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # Hours a case in review may wait before its task is overdue (the review queue's SLA deadline).
    review_sla_hours: float = Field(default=24.0, gt=0)
    # Minutes a clerk holds a claimed review task; an expired lease frees the task for another clerk.
    review_lease_minutes: float = Field(default=30.0, gt=0)
    # Hours a staff sign-in (page cookie or API token from POST /api/login) stays valid.
    session_hours: float = Field(default=12.0, gt=0)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """The environment gives one comma-separated string; blanks around keys are dropped."""
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value
