"""The printout of an electronic bill is its original in any colour; a photocopy of it is still a copy.

The page images are drawn by the generator's e-bill families and captured as the sets capture them; the
copy detector judges them as the reading pass does; the read lines are constructed (a title and a few
particulars, no person's data)."""

from __future__ import annotations

import random

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
from synth.variants import apply, to_array
from tests.factories import line

RULES = ClassifierRules(doc_types=load_rules(), image=load_image_rules())


def _bill_lines(title: str) -> list[tuple[str, int]]:
    particulars = ["票据代码：33060125", "票据号码：0012345678", "校验码：a1b2c3", "合计 1234.50"]
    return [(title, 0)] + [(text, row) for row, text in enumerate(particulars, 1)]


def _captured(family: str, variant: str, seed: int) -> CopyAssessment:
    drawer = FAMILIES["invoice"][family]
    page = drawer.draw(new_context(seed), None, drawer.look(seed)).pages[0]
    assert isinstance(page, RasterPage)
    _, img = apply(variant, page.img, seed)
    arr = to_array(img)
    return assess_copy(arr, detect_seals(arr, RULES.image), RULES.image)


def _bill(copy: CopyAssessment, title: str) -> bool | None:
    lines = [line(text, 200, 200 + 60 * row) for text, row in _bill_lines(title)]
    page = Page(source="t.jpg", page=1, width=2000, height=1400, lines=lines, copy_assessment=copy)
    ((doc, _),) = build_documents("t.jpg", "x", [page], RULES)
    assert doc.doc_type is DocType.invoice
    return doc.is_copy


def _undecided(colour_capture: bool) -> CopyAssessment:
    evidence = {"colourfulness": 0.8, "midtones": 0.04, "channel_spread": 3.0 if colour_capture else 0.0}
    return CopyAssessment(
        is_copy=None, confidence=0.35, colour_lost=True, evidence=evidence, colour_capture=colour_capture
    )


@pytest.mark.parametrize("colour_capture", [True, False])
def test_an_ebill_printout_without_colour_is_an_original(colour_capture: bool) -> None:
    """GIVEN a page titled 电子票据 whose image shows no colour and no copier's frame (a grey laser printout
    scanned in colour or in grey, a kiosk's thermal slip) THEN the bill is an original."""
    assert _bill(_undecided(colour_capture), "浙江省医疗收费电子票据") is False


def test_a_paper_bill_without_colour_is_not_called_an_original() -> None:
    """GIVEN a paper bill (no 电子票据 in its title) scanned in colour showing none THEN a copy, as before;
    scanned in grey THEN undecided: its colour stock is what an original shows."""
    assert _bill(_undecided(True), "浙江省医疗收费票据") is True
    assert _bill(_undecided(False), "浙江省医疗收费票据") is None


@pytest.mark.parametrize("family", ["ebill_zj", "ebill_grey_thousands"])
@pytest.mark.parametrize("variant", ["photocopy", "photocopy_colour"])
def test_a_photocopy_of_an_ebill_printout_stays_a_copy(family: str, variant: str) -> None:
    """GIVEN an e-bill printout put through a copier (its frame on the copy) THEN the copy evidence decides:
    a copy, whatever its title says."""
    copy = _captured(family, variant, random.Random(family + variant).randrange(1000))
    assert copy.is_copy is True
    assert _bill(copy, "医疗收费电子票据") is True


@pytest.mark.parametrize("variant", ["scan", "scanned_grey"])
def test_a_grey_ebill_printout_scanned_is_an_original(variant: str) -> None:
    assert _bill(_captured("ebill_grey_thousands", variant, 7), "医疗收费电子票据") is False
