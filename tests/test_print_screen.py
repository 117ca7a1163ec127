"""A printer's screen over the page (`classifiers.copy_detect.print_screen`): a photo of a card printed
as a lattice of ink dots (an ordered dither, a halftone) and scanned is a copy; the card photographed on
plain ground or on woven cloth that it mostly covers, with sensor noise or a coarse JPEG, shows no screen.
A pixel-sharp grating (evenly ruled lines over most of the page) has isolated harmonics in the band and
can measure as a screen: the measure is judged for cards only."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from classifiers.copy_detect import assess_copy, print_screen
from classifiers.doc_type import load_rules
from classifiers.documents import ClassifierRules, build_documents
from classifiers.image_rules import load_image_rules
from intake.models import CopyAssessment, DocType, Page
from tests.factories import id_number, line

RULES = load_image_rules()
THRESHOLD = RULES.photocopy.screen_copy_min
CARD_LINES = [
    "姓名 王小明",
    "性别 男 民族 汉",
    "出生 1980年1月15日",
    "住址 浙江省杭州市西湖区文三路1号",
    f"公民身份号码 {id_number()}",
]
BILL_LINES = ["浙江省医疗住院收费票据（电子）", "票据代码 33060125", "票据号码 0012345678", "合计 1234.50"]


def _document(vote: CopyAssessment, texts: list[str]) -> tuple[DocType, bool | None]:
    """The document the page's copy vote goes into, its lines those given."""
    page = Page(
        source="t.jpg",
        page=1,
        width=2000,
        height=1200,
        lines=[line(text, 200, 200 + 60 * row) for row, text in enumerate(texts)],
        copy_assessment=vote,
    )
    ((doc, _),) = build_documents("t.jpg", "x", [page], ClassifierRules(doc_types=load_rules(), image=RULES))
    return doc.doc_type, doc.is_copy


def _card(seed: int) -> np.ndarray:
    """A card's face: a pale tint across it, fine coloured curves, a grey portrait, black text blocks."""
    rng = np.random.default_rng(seed)
    card = np.zeros((540, 856, 3), np.uint8)
    card[:] = np.linspace((238, 222, 246), (248, 232, 222), 856).astype(np.uint8)
    for _ in range(36):  # guilloche: curves at irregular places, no grating
        centre = (int(rng.integers(0, 856)), int(rng.integers(0, 540)))
        axes = (int(rng.integers(60, 260)), int(rng.integers(60, 260)))
        cv2.ellipse(card, centre, axes, float(rng.uniform(0, 180)), 0, 360, (215, 170, 140), 2)
    cv2.ellipse(card, (680, 240), (80, 100), 0, 0, 360, (140, 140, 140), -1)
    for y in range(60, 480, 70):
        for x in rng.integers(60, 500, 6):
            cv2.rectangle(card, (int(x), y), (int(x) + 40, y + 30), (30, 30, 30), -1)
    return card


def _on_ground(card: np.ndarray, ground: np.ndarray, turn: float) -> np.ndarray:
    """The card turned `turn` degrees in the middle of `ground`."""
    h, w = ground.shape[:2]
    m = cv2.getRotationMatrix2D((card.shape[1] / 2, card.shape[0] / 2), turn, 1.0)
    m[:, 2] += ((w - card.shape[1]) / 2, (h - card.shape[0]) / 2)
    alpha = cv2.warpAffine(np.ones(card.shape[:2], np.float32), m, (w, h))[..., None]
    laid = cv2.warpAffine(card.astype(np.float32), m, (w, h))
    return ground * (1 - alpha) + laid * alpha


def _desk(seed: int, size: tuple[int, int] = (1300, 900)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grain = cv2.GaussianBlur(rng.normal(0, 4, size[::-1]).astype(np.float32), (0, 0), 2)
    return np.array((205, 210, 214), np.float32) + grain[..., None]


def _captured(scene: np.ndarray, seed: int, quality: int = 85) -> np.ndarray:
    """A capture of the scene: sensor noise, a little softness, saved as JPEG."""
    rng = np.random.default_rng(seed)
    out = cv2.GaussianBlur(scene + rng.normal(0, 1.5, scene.shape), (0, 0), 0.5)
    ok, data = cv2.imencode(".jpg", np.clip(out, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _ordered_dither(img: np.ndarray, levels: int = 7) -> np.ndarray:
    """An inkjet's ordered dither: each channel put to a few ink levels against a 4 × 4 Bayer threshold."""
    bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.5
    h, w = img.shape[:2]
    threshold = np.tile(bayer, (h // 4 + 1, w // 4 + 1))[:h, :w, None]
    step = 255 / (levels - 1)
    return 0.55 * np.floor(img / step + 0.5 + 0.9 * threshold) * step + 0.45 * img


def _halftone(img: np.ndarray, pitch: float = 4.0, angle: float = 45.0) -> np.ndarray:
    """A halftone screen: each pixel inked where the tone is darker than a dot lattice at `angle`."""
    h, w = img.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(angle)
    u, v = (xs * math.cos(a) + ys * math.sin(a)) / pitch, (-xs * math.sin(a) + ys * math.cos(a)) / pitch
    spot = (np.cos(2 * math.pi * u) + np.cos(2 * math.pi * v)) / 4 + 0.5  # 0..1 over each cell
    ink = img / 255 < spot[..., None]
    return np.where(ink, 0.5 * img, np.minimum(255, img * 1.1 + 20))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_dithered_print_of_a_card_photo_is_a_copy(seed: int) -> None:
    """GIVEN a photo of a card printed with an ordered dither and scanned (turned a degree on the glass)
    WHEN its copy evidence is taken THEN the printer's screen shows and the page is a copy, although it
    keeps the card's colour."""
    printed = _ordered_dither(_on_ground(_card(seed), _desk(seed), 4.0))
    bed = np.full((1000, 1400, 3), 236, np.float32)
    m = cv2.getRotationMatrix2D((650, 450), 0.8, 1.0)
    m[:, 2] += (50, 50)
    alpha = cv2.warpAffine(np.ones(printed.shape[:2], np.float32), m, (1400, 1000))[..., None]
    scan = _captured(bed * (1 - alpha) + cv2.warpAffine(printed, m, (1400, 1000)) * alpha, seed)
    found = assess_copy(scan, [], RULES)
    assert found.evidence["print_screen"] >= THRESHOLD
    assert found.evidence["colourfulness"] >= RULES.photocopy.colourful_original
    assert _document(found, CARD_LINES) == (DocType.id_card, True)


def test_a_screen_on_a_bill_makes_no_copy() -> None:
    """GIVEN a page whose evenly ruled lines measure as a screen WHEN it is a bill THEN the screen says
    nothing (a form's rules are a lattice of their own): judged for cards only."""
    evidence = {"colourfulness": 12.0, "midtones": 0.1, "channel_spread": 5.0, "red_seals": 0.0}
    vote = CopyAssessment(is_copy=False, confidence=0.75, colour_lost=False, evidence=evidence)
    screened = vote.model_copy(update={"evidence": {**evidence, "print_screen": 10 * THRESHOLD}})
    assert _document(screened, BILL_LINES) == (DocType.invoice, False)
    assert _document(screened, CARD_LINES) == (DocType.id_card, True)


def test_a_halftone_at_an_angle_is_a_screen_too() -> None:
    """GIVEN the card photo printed through a 45° halftone screen THEN the screen shows as well: the measure
    looks for a lattice at any pitch and angle of the band, not for one printer's pattern."""
    scan = _captured(_halftone(_on_ground(_card(3), _desk(3), 3.0)), 3)
    assert print_screen(scan, RULES.photocopy) >= THRESHOLD


@pytest.mark.parametrize("quality", [85, 30])
def test_a_photographed_card_shows_no_screen(quality: int) -> None:
    """GIVEN the same card photographed on a desk, saved as a fine or a blocky JPEG THEN no screen."""
    photo = _captured(_on_ground(_card(4), _desk(4), 4.0), 4, quality)
    found = assess_copy(photo, [], RULES)
    assert found.evidence["print_screen"] < THRESHOLD / 4
    assert _document(found, CARD_LINES) == (DocType.id_card, False)


def test_a_card_on_woven_cloth_shows_no_screen() -> None:
    """GIVEN a card photographed filling most of the frame on a cloth woven in fine threads (a lattice at
    a 5 px pitch round the card) THEN the cloth is not what most of the page carries: no screen, no copy."""
    h, w = 760, 1100
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = 12 * np.sin(2 * math.pi * xs / 5.0) * np.sin(2 * math.pi * ys / 5.0)
    cloth = np.array((170, 120, 90), np.float32) + weave[..., None]
    found = assess_copy(_captured(_on_ground(_card(5), cloth, 2.0), 5), [], RULES)
    assert found.evidence["print_screen"] < THRESHOLD
    assert _document(found, CARD_LINES) == (DocType.id_card, False)
