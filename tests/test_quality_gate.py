"""The quality gate judged on the text the PP-OCR detector finds (issue 28 item 3): a tight card crop with
large sharp text is used whatever its page size, a page read confidently is never refused for blur or
size, and the degraded samples stay refused with their codes."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from intake.models import OcrLine, Page, Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings, Settings
from ocr.preprocess import TextMeasures, judge_on_text, measure_text
from ocr.reader import CONFIDENT_LINES, blocking, confident_lines

SETTINGS = PreprocessSettings()
SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "documents"
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-samples"


def _quality(*codes: Code, confident: int = 0) -> Quality:
    return Quality(issues=[c.value for c in codes], confident_lines=confident)


def test_text_measures_clear_what_they_contradict_and_keep_what_they_confirm() -> None:
    """GIVEN page-rule issues WHEN the detected text is tall, sharp and inked THEN they go; when the boxes
    confirm an issue (low, unsharp, faint) it stays; with no text found the page rules decide."""
    good = TextMeasures(lines=6, height=40.0, sharpness=50.0, contrast=200.0, ink=30.0, paper=230.0)
    for code in (Code.image_too_small, Code.image_blurred, Code.image_too_dark, Code.image_overexposed):
        assert judge_on_text(_quality(code), good, SETTINGS).issues == []
    low = TextMeasures(
        lines=6, height=SETTINGS.min_box_height - 1, sharpness=50.0, contrast=200.0, ink=30.0, paper=230.0
    )
    assert judge_on_text(_quality(Code.image_too_small), low, SETTINGS).issues == ["image_too_small"]
    unsharp = TextMeasures(
        lines=1, height=60.0, sharpness=SETTINGS.box_sharpness_min / 2, contrast=110.0, ink=120.0, paper=230.0
    )
    assert judge_on_text(_quality(Code.image_blurred), unsharp, SETTINGS).issues == ["image_blurred"]
    faint = TextMeasures(
        lines=26, height=42.0, sharpness=15.0, contrast=SETTINGS.box_contrast_min - 10, ink=200, paper=250
    )
    assert judge_on_text(_quality(Code.image_too_dark), faint, SETTINGS).issues == ["image_too_dark"]
    # a dark page's paper inside its boxes is dark even where its ink still stands out (generated: 62 vs 7)
    dim = TextMeasures(lines=46, height=42.0, sharpness=15.0, contrast=70.0, ink=7.0, paper=SETTINGS.box_paper_min - 40)
    assert judge_on_text(_quality(Code.image_too_dark), dim, SETTINGS).issues == ["image_too_dark"]
    pale = TextMeasures(lines=26, height=42.0, sharpness=15.0, contrast=70.0, ink=SETTINGS.box_ink_max + 40, paper=255)
    assert judge_on_text(_quality(Code.image_overexposed), pale, SETTINGS).issues == ["image_overexposed"]
    nothing = TextMeasures(lines=0, height=0.0, sharpness=0.0, contrast=0.0, ink=0.0, paper=0.0)
    assert judge_on_text(_quality(Code.image_too_small), nothing, SETTINGS).issues == ["image_too_small"]
    # page_cut_off is no measure of text size, blur or light: it is left alone.
    assert judge_on_text(_quality(Code.page_cut_off), good, SETTINGS).issues == ["page_cut_off"]


def test_confident_reading_makes_blur_and_size_notes_not_refusals() -> None:
    """GIVEN blur or size issues WHEN enough lines were read confidently THEN they no longer block, but
    stay on the page for the clerk; faint ink and a blank page still block."""
    enough = CONFIDENT_LINES
    assert blocking(_quality(Code.image_blurred, confident=enough)) == []
    assert blocking(_quality(Code.image_too_small, confident=enough)) == []
    assert _quality(Code.image_blurred, confident=enough).issues == ["image_blurred"]
    assert blocking(_quality(Code.image_blurred, confident=enough - 1)) == [Code.image_blurred]
    assert blocking(_quality(Code.image_too_dark, confident=enough)) == [Code.image_too_dark]
    assert blocking(_quality(Code.page_blank, confident=enough)) == [Code.page_blank]


def test_confident_lines_counts_sure_lines_of_some_length() -> None:
    def line(text: str, confidence: float) -> OcrLine:
        return OcrLine(text=text, confidence=confidence, polygon=[(0, 0), (10, 0), (10, 5), (0, 5)])

    lines = [line("公民身份号码", 0.99), line("姓名 张三", 0.97), line("男", 1.0), line("出生日期", 0.6)]
    assert confident_lines(lines) == 2


def _card(scale: float = 1.0, blur: float = 0.0) -> np.ndarray:
    """The sample card photo cropped tight to the card's edges (no desk), as a card scanner delivers it."""
    photo = cv2.imread(str(SAMPLES / "id_front_card_photo.jpg"))
    assert photo is not None
    image = np.ascontiguousarray(photo[125:875, 225:1460])
    if scale != 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(image, (0, 0), blur) if blur else image


def test_sharpness_and_contrast_in_boxes_tell_blur_and_faint_ink() -> None:
    """GIVEN the same text boxes on a card, then on it blurred and washed out WHEN measured THEN the
    blurred copy's sharpness and the washed-out copy's contrast fall below the thresholds, the sharp
    card's do not."""
    from intake.settings import RapidOcrOptions
    from ocr.engine import get_engine

    card = _card()
    boxes = [line.bbox for line in get_engine(RapidOcrOptions()).read(card)]
    sharp = measure_text(card, boxes)
    assert sharp.lines >= 3 and sharp.height >= SETTINGS.min_box_height
    assert sharp.sharpness > SETTINGS.box_sharpness_min and sharp.contrast > SETTINGS.box_contrast_min
    assert measure_text(cv2.GaussianBlur(card, (0, 0), 4), boxes).sharpness < SETTINGS.box_sharpness_min
    washed = np.clip(card.astype(int) // 5 + 205, 0, 255).astype(np.uint8)
    assert measure_text(washed, boxes).contrast < SETTINGS.box_contrast_min


def _read(image: np.ndarray, tmp_path: Path, name: str) -> Page:
    from pipeline.analyse import read_file_pages

    path = tmp_path / name
    cv2.imwrite(str(path), image)
    return read_file_pages(str(path), Settings())[0]


def test_a_small_tight_card_crop_is_read_not_refused(tmp_path: Path) -> None:
    """GIVEN a card photo scaled to a short side under `min_short_side` (the page rule refuses it as too
    small) WHEN it is read THEN its large, sharp text is measured on the detector's boxes and the page is
    read: its number line is there."""
    from ocr.preprocess import assess_quality

    small = _card(0.26)
    assert min(small.shape[:2]) < SETTINGS.min_short_side
    assert Code.image_too_small.value in assess_quality(small, SETTINGS).issues
    page = _read(small, tmp_path, "small_card.png")
    assert not blocking(page.quality)
    assert any("公民身份号码" in line.text for line in page.lines)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("discharge_record_blurred.jpg", Code.image_blurred),
        ("discharge_record_dark.jpg", Code.image_too_dark),
        ("discharge_record_overexposed.jpg", Code.image_overexposed),
        ("discharge_record_tiny.jpg", Code.image_too_small),
    ],
)
def test_degraded_samples_stay_refused(name: str, code: Code, tmp_path: Path) -> None:
    """GIVEN a degraded sample WHEN read THEN the text found confirms its issue, the page is refused with
    that code and nothing is read from it."""
    from pipeline.analyse import read_file_pages

    page = read_file_pages(str(SAMPLES / name), Settings())[0]
    assert blocking(page.quality) == [code]
    assert page.lines == []


def test_cut_off_stands_only_when_a_detected_line_reaches_the_frame_edge() -> None:
    """GIVEN the page rules' page_cut_off WHEN a detected text line reaches an edge (or runs past it) THEN it
    stays; when every line lies well inside the frame (a card's border or pattern at the edge) it goes; with
    no text found it stays; other issues are never touched."""
    from ocr.preprocess import judge_cut_off, text_runs_off

    width, height, margin = 1000, 600, SETTINGS.cut_off_margin
    inside = [(70.0, 60.0, 700.0, 110.0), (70.0, 400.0, 900.0, 450.0)]
    assert not text_runs_off(inside, width, height, margin)
    for clipped in [(600.0, 200.0, 1000.0, 240.0), (600.0, 200.0, 1006.0, 240.0), (-3.0, 200.0, 300.0, 240.0)]:
        assert text_runs_off([*inside, clipped], width, height, margin)
    assert text_runs_off([(70.0, 560.0, 700.0, 599.0)], width, height, margin)  # the bottom line cut
    cut = _quality(Code.page_cut_off)
    assert judge_cut_off(cut, inside, width, height, margin).issues == []
    assert judge_cut_off(cut, [*inside, (600.0, 200.0, 999.0, 240.0)], width, height, margin).issues == ["page_cut_off"]
    assert judge_cut_off(cut, [], width, height, margin).issues == ["page_cut_off"]
    both = _quality(Code.image_blurred, Code.page_cut_off)
    assert judge_cut_off(both, inside, width, height, margin).issues == ["image_blurred"]


def test_a_card_cropped_edge_to_edge_is_not_cut_off_and_a_cut_page_still_is(tmp_path: Path) -> None:
    """GIVEN a tuning-family ID card cropped at 300 dpi edge to edge (its pattern at the image's edge makes
    the page rules call it cut off) and the committed cut-off sample WHEN read THEN the card's text, well
    inside the frame, clears page_cut_off, and the sample's text running off the right edge keeps it."""
    from ocr.preprocess import assess_quality
    from pipeline.analyse import read_file_pages
    from synth.build import new_context, write_raster
    from synth.families import FAMILIES

    family, seed = FAMILIES["id_card"]["crop300"], 300_023
    look = family.look(seed)
    rendered = family.draw(new_context(seed), "front", look)
    written = write_raster(rendered, "scan", tmp_path, "card", seed, quality=look.jpeg_quality, family="crop300")
    card = cv2.imread(str(written.path))
    assert Code.page_cut_off.value in assess_quality(card, SETTINGS).issues
    page = read_file_pages(str(written.path), Settings())[0]
    assert Code.page_cut_off.value not in (page.quality.issues if page.quality else [])
    assert any("公民身份号码" in line.text for line in page.lines)
    cut = read_file_pages(str(SAMPLES / "discharge_record_cut_off.jpg"), Settings())[0]
    assert cut.quality is not None and cut.quality.issues == [Code.page_cut_off.value]


def _printed_page() -> np.ndarray:
    """An A4 page at 200 dpi (grey): rows of black text-like strokes on white paper."""
    page = np.full((2339, 1654), 255, np.uint8)
    for y in range(200, 2100, 70):
        for x in range(150, 1450, 60):
            cv2.rectangle(page, (x, y), (x + 40, y + 30), 0, 2)
    return page


def _in_a_dim_room(page: np.ndarray, exposure: float, wall: int) -> np.ndarray:
    """`page` at `exposure` of its light, held in the middle of a frame twice its area that is a dim wall."""
    h, w = page.shape
    frame = np.full((round(h * 1.42), round(w * 1.42)), wall, np.uint8)
    y, x = (frame.shape[0] - h) // 2, (frame.shape[1] - w) // 2
    frame[y : y + h, x : x + w] = (page.astype(np.float32) * exposure).astype(np.uint8)
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)


def test_a_page_photographed_in_a_dim_room_is_too_dark_not_blank() -> None:
    """GIVEN a printed page at a sixth of its light in a frame that is mostly a dimmer wall: every mark lies
    within 32 grey levels of the frame's median tone, as its exposure left it WHEN the gate judges it THEN
    it has marks at the contrast its exposure leaves and is refused as too dark, not as blank."""
    from ocr.preprocess import assess_quality, page_is_blank

    photo = _in_a_dim_room(_printed_page(), exposure=0.16, wall=21)
    small = cv2.resize(cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY), None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    assert int(np.abs(small.astype(int) - int(np.median(small))).max()) <= 32, "the case this rule is for"
    assert not page_is_blank(small)
    assert assess_quality(photo, SETTINGS).issues[0] == Code.image_too_dark.value


@pytest.mark.parametrize("tone", [0, 30, 90, 250])
def test_an_even_frame_is_blank_at_any_exposure(tone: int) -> None:
    """GIVEN one even tone with a capture's sensor noise (a lens cap, a sheet face down, empty paper)
    THEN it stays blank, however dark."""
    noise = np.random.default_rng(tone).normal(0, 3.0, (2339, 1654))
    frame = np.clip(tone + noise, 0, 255).astype(np.uint8)
    from ocr.preprocess import assess_quality

    assert assess_quality(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), SETTINGS).issues == [Code.page_blank.value]


def test_darkness_stands_where_no_part_of_the_frame_was_lit() -> None:
    """GIVEN a dark page WHEN its text, measured on the copy whose light was flattened, looks well lit THEN
    it stays too dark where the brightest part of the frame is darker than paper, and goes where it is lit
    paper (a card on a scanner's black lid: the lid dark, the card bright)."""
    lit_text = TextMeasures(lines=20, height=40.0, sharpness=30.0, contrast=200.0, ink=30.0, paper=230.0)
    dim = Quality(issues=[Code.image_too_dark.value], brightness=26.0, highlight=45.0)
    assert judge_on_text(dim, lit_text, SETTINGS).issues == [Code.image_too_dark.value]
    card_on_lid = Quality(issues=[Code.image_too_dark.value], brightness=40.0, highlight=230.0)
    assert judge_on_text(card_on_lid, lit_text, SETTINGS).issues == []
