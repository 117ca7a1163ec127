"""A card is an original by its own colour, not by the colour of what it lies on: a copy of an ID card
pasted on a coloured voucher sheet is called a copy (its face binarised toner, the only colour the sheet's),
while a card whose tinted, colourful stock shows stays an original. The images are drawn by the generator's families and
judged by the copy detector as the reading pass does; the read lines are the card's."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.copy_detect import assess_copy
from classifiers.doc_type import load_rules
from classifiers.documents import ClassifierRules, build_documents
from classifiers.image_rules import load_image_rules
from classifiers.seal import detect_seals
from intake.models import CopyAssessment, DocType, Page
from synth.build import new_context
from synth.canvas import RasterPage
from synth.families import FAMILIES
from synth.variants import to_array
from tests.factories import id_number, line

RULES = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
CARD_LINES = [
    ("姓名 王小明", 0),
    ("性别 男 民族 汉", 1),
    ("出生 1980年1月15日", 2),
    ("住址 浙江省杭州市西湖区文三路1号", 3),
    (f"公民身份号码 {id_number()}", 4),
]


def _drawn(family: str, seed: int) -> np.ndarray:
    drawer = FAMILIES["id_card"][family]
    page = drawer.draw(new_context(seed), "front", drawer.look(seed)).pages[0]
    assert isinstance(page, RasterPage)
    return to_array(page.img)


def _card_document(copy: CopyAssessment) -> tuple[DocType, bool | None]:
    lines = [line(text, 200, 200 + 60 * row) for text, row in CARD_LINES]
    page = Page(source="t.jpg", page=1, width=2000, height=1200, lines=lines, copy_assessment=copy)
    ((doc, _),) = build_documents("t.jpg", "x", [page], RULES)
    return doc.doc_type, doc.is_copy


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_card_copy_pasted_on_a_coloured_voucher_is_a_copy(seed: int) -> None:
    """GIVEN a photocopy of a card front pasted on a voucher sheet printed in red-brown WHEN the page's copy
    vote (original, on the sheet's colour) is taken into the card's document THEN the card is a copy: its
    face kept no mid-tones, the colour is the sheet's."""
    img = _drawn("voucher_pasted_copy", seed)
    copy = assess_copy(img, detect_seals(img, RULES.image), RULES.image)
    assert copy.is_copy is False, "the sheet's colour reads as an original's: the case this rule is for"
    assert _card_document(copy) == (DocType.id_card, True)


@pytest.mark.parametrize(
    ("colourfulness", "midtones", "seals"),
    [
        (12.5, 0.20, 0.0),  # weakly colourful but with a card's mid-tones: a pale card in poor light
        (20.0, 0.03, 0.0),  # binarised but colourful as card stock is: a high-contrast capture of a card
        (12.5, 0.03, 1.0),  # a red seal pressed on it
    ],
)
def test_a_card_keeps_its_original_vote_where_its_face_or_colour_is_a_cards(
    colourfulness: float, midtones: float, seals: float
) -> None:
    evidence = {"colourfulness": colourfulness, "midtones": midtones, "channel_spread": 10.0, "red_seals": seals}
    vote = CopyAssessment(is_copy=False, confidence=0.75, colour_lost=False, evidence=evidence)
    assert _card_document(vote) == (DocType.id_card, False)


@pytest.mark.parametrize("family", ["crop300", "crop_low", "desk_photo"])
def test_an_original_card_whose_colour_shows_stays_an_original(family: str) -> None:
    img = _drawn(family, 5)
    copy = assess_copy(img, detect_seals(img, RULES.image), RULES.image)
    assert _card_document(copy) == (DocType.id_card, False)


@pytest.mark.parametrize(
    ("colourfulness", "midtones", "colour_lost", "expected"),
    [
        (5.6, 0.03, False, True),  # some colour from the light, no card face left: a copy photographed
        (5.6, 0.20, False, None),  # as little colour, but a card's mid-tones: left to a clerk
        (0.0, 0.03, True, None),  # a grey capture: colour says nothing
    ],
)
def test_an_undecided_card_page_without_mid_tones_is_a_copy(
    colourfulness: float, midtones: float, colour_lost: bool, expected: bool | None
) -> None:
    """GIVEN a card page left undecided by colour alone WHEN the capture kept colour and the face kept no
    mid-tones THEN the card is a copy; with a card's mid-tones, or in a grey capture, it stays undecided."""
    evidence = {"colourfulness": colourfulness, "midtones": midtones, "channel_spread": 10.0, "red_seals": 0.0}
    vote = CopyAssessment(is_copy=None, confidence=0.4, colour_lost=colour_lost, evidence=evidence)
    assert _card_document(vote) == (DocType.id_card, expected)
