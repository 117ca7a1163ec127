"""Raw page → read `Page`: text layer when the PDF has one, else preprocessing, quality gate, OCR, and
second looks at what the page's reading left doubtful: a poorly read line whose direction the line
classifier decided, read as it lies; the strip right of a label with no value after it; a labelled
code read stretched (doubled characters), and its l and o turned into 1 and 0 where they look like the
page's own digits (`ocr/glyphs.py`); a stage in Roman numerals read doubtfully, or lost whole, counted
in the image (`ocr/numerals.py`); the option marks of a form's rows the recogniser did not read, found in
the image (`ocr/marks.py`).

Boxes are always returned in the original page image's coordinates, so a reviewer's box lands
on the stored page image whatever rotation, deskew or perspective correction was applied.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection

import cv2
import numpy as np

from intake.models import BBox, OcrLine, Page, Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings
from ocr.base import OcrEngine, sort_reading_order
from ocr.glyphs import CODE_AT_END, decide_look_alikes, line_crop
from ocr.loader import RawPage
from ocr.marks import written_marks
from ocr.numerals import count_numerals
from ocr.preprocess import (
    SURE_DIRECTION,
    Prepared,
    assess_quality,
    judge_cut_off,
    judge_on_text,
    measure_text,
    prepare,
    upside_down_share,
)
from ocr.stages import stage

# Reading these would give garbage; a page cut off at an edge is still read, and flagged.
# A page read at a mean confidence below this is tried again turned round; upright pages read at 0.95+
# (generated and real), an upside-down card at 0.68.
POOR_READING = 0.85
# A label's value starts within this many line heights of its colon; the strip looked at again for a
# missing value runs this many line heights to the right (or to the next line), and a fifth of a line
# height above and below it.
LABEL_ENDS = ("：", ":")
VALUE_GAP = 3.0
STRIP_LENGTH = 12.0
STRIP_MARGIN = 0.2
# Such a code is read again stretched this much along the line (more of the recogniser's steps to each
# character, so that a doubled one is not merged into one).
WIDER = 2.0
# A code whose every character was read at least this surely is not read again stretched: the re-read
# costs a detector and a recogniser run, and the merge of a doubled character it mends leaves the merged
# character read unsurely, so a code read surely throughout has nothing for it to mend.
SURE_CODE = 0.99
BLOCKING = {Code.image_blurred, Code.image_too_dark, Code.image_overexposed, Code.image_too_small, Code.page_blank}
# A page from which this many lines of at least CONFIDENT_CHARS characters were read at CONFIDENT_LINE or
# more is used whatever its blur or size measures say (they stay as notes for the clerk): real and tuning
# ID cards read 3–6 such lines (a real card: 3), the blurred sample none (its one line: 0.53).
CONFIDENT_LINES = 3
CONFIDENT_LINE = 0.95
CONFIDENT_CHARS = 4
# Blur and size say whether text can be read, which confident reading answers; faint ink is not
# overruled: the recogniser reads a dark or washed-out page's large print confidently (the dark and
# overexposed samples: 26 lines at 0.95+) while its small print and digits are at risk.
READ_OVERRULES = {Code.image_blurred, Code.image_too_small}


def blocking(quality: Quality | None) -> list[Code]:
    """The issues that keep a page from being used: the gate's refusal codes, but blur and size not when
    confident text was read from the page (they are then notes)."""
    if quality is None:
        return []
    overruled = READ_OVERRULES if quality.confident_lines >= CONFIDENT_LINES else set()
    return [Code(i) for i in quality.issues if Code(i) in BLOCKING and Code(i) not in overruled]


def confident_lines(lines: list[OcrLine]) -> int:
    """Lines of CONFIDENT_CHARS or more characters read at CONFIDENT_LINE or more."""
    return sum(
        1 for ln in lines if ln.confidence >= CONFIDENT_LINE and len("".join(ln.text.split())) >= CONFIDENT_CHARS
    )


def read_page(
    raw: RawPage,
    source: str,
    engine: OcrEngine,
    settings: PreprocessSettings,
    labels: Collection[str] = (),
    second_looks: bool = True,
    sure_codes_again: bool = False,
) -> Page:
    """One page read; `labels`: words printed before a value without a colon (性别, 民族 on an ID card),
    looked after like a label ending in one. `second_looks` False: the page's reading and quality as they
    stand after the gate, without the looks again at doubtful lines (the service's instant answer needs
    the page's type and usability, not its fields' last characters). `sure_codes_again`: read surely read
    codes again stretched too (SURE_CODE); the int8 calibration (ocr/provision.py) does, so that the model
    inputs it records, and the int8 files made from them, stay those made before the cut."""
    height, width = raw.image.shape[:2]
    if raw.has_text_layer:
        # Born-digital: the text layer is exact; OCR would only add errors and time.
        return Page(
            source=source,
            page=raw.page,
            width=width,
            height=height,
            lines=raw.text_lines,
            text_layer=True,
            quality=Quality(short_side_px=min(width, height)),
        )
    with stage("gate"):
        quality = assess_quality(raw.image, settings)
    page = Page(source=source, page=raw.page, width=width, height=height, quality=quality)
    if Code.page_blank in blocking(quality):
        return page
    with stage("prepare"):
        prepared = prepare(raw.image, settings, quality)
    # Once the whole page is known to be upright, the per-line 180° classifier only costs time;
    # when the page's direction could not be told (few text lines: cards), it decides per line.
    unsure = prepared.rotation_confidence < SURE_DIRECTION
    with stage("read"):
        # Lines standing on end are not read: the page is turned and read again (`_turned_if_wrong`).
        lines = engine.read(prepared.image, use_cls=unsure, find_lines_on=prepared.find_lines_on, unread_if_on_end=True)
    with stage("turn"):
        prepared, lines, unsure = _turned_if_wrong(prepared, lines, unsure, engine, settings)
    if blocking(quality):
        # The page rules doubt the page: judge it on the text the detector found and what was read.
        with stage("gate"):
            quality = judge_on_text(quality, measure_text(prepared.image, [ln.bbox for ln in lines]), settings)
        page.quality = quality.model_copy(update={"confident_lines": confident_lines(lines)})
        if blocking(page.quality):
            return page
    if second_looks:
        with stage("looks"):
            lines = _looked_again(prepared.image, lines, engine, labels, unsure, sure_codes_again)
            lines = written_marks(prepared.image, lines, engine)
    page.lines = [_to_original(line, prepared.to_original) for line in lines]
    # A cut-off page is judged on where its text lies in the frame as captured.
    page.quality = judge_cut_off(
        page.quality or quality, [ln.bbox for ln in page.lines], width, height, settings.cut_off_margin
    )
    page.upright_matrix = prepared.matrix.tolist()
    page.rotation = prepared.rotation
    page.skew = round(prepared.skew, 2)
    return page


def _turned_if_wrong(
    prepared: Prepared, lines: list[OcrLine], unsure: bool, engine: OcrEngine, settings: PreprocessSettings
) -> tuple[Prepared, list[OcrLine], bool]:
    """The page and its lines read again turned where the first reading says the page direction was
    wrong, and whether its direction is still unsure (the per-line classifier then decided)."""
    if _sideways(lines):
        # Most lines stand upright: the page lies on its side after all (cards, sparse pages).
        prepared = prepared.turned(90)
        unsure = True
        lines = engine.read(prepared.image, use_cls=True, find_lines_on=prepared.find_lines_on)
    if not unsure and _reading_confidence(lines) < POOR_READING:
        # The page direction was guessed wrong (a card's background pattern misled it): upside down,
        # text reads as garbage at low confidence. Read it turned round and keep the better reading.
        turned = prepared.turned(180)
        again = engine.read(turned.image, use_cls=True, find_lines_on=turned.find_lines_on)
        if _reading_confidence(again) > _reading_confidence(lines):
            prepared, lines, unsure = turned, again, True
    boxes = [_box(line) for line in lines]
    if unsure and lines and upside_down_share(prepared.image, boxes, settings.cls_threads) > 0.5:
        # The lines read right (the per-line classifier turned each) but the page lies upside down:
        # turn it, so that layout (right of, below) holds, and read again without the line classifier.
        # Unless turned it reads as garbage where it read well before: then the share was wrong (a
        # photocopied card on A4, tuning set: 0.999 before, 0.62 turned).
        turned = prepared.turned(180)
        again = engine.read(turned.image, use_cls=False, find_lines_on=turned.find_lines_on)
        if _reading_confidence(again) >= min(POOR_READING, _reading_confidence(lines)):
            prepared, lines = turned, again
    return prepared, lines, unsure


def _looked_again(
    image: np.ndarray,
    lines: list[OcrLine],
    engine: OcrEngine,
    labels: Collection[str],
    unsure: bool,
    sure_codes_again: bool = False,
) -> list[OcrLine]:
    """The page's lines after the second looks at what its reading left doubtful (the module's docstring)."""
    if unsure:
        lines = [_read_unturned(image, line, engine) for line in lines]
    lines = sort_reading_order(lines + _values_looked_for(image, lines, engine, labels))
    lines = [_repeats_read_wider(image, line, engine, sure_codes_again) for line in lines]
    lines = [count_numerals(image, line, engine) for line in lines]
    return [decide_look_alikes(image, line, lines) for line in lines]


def _values_looked_for(
    image: np.ndarray, lines: list[OcrLine], engine: OcrEngine, labels: Collection[str] = ()
) -> list[OcrLine]:
    """Lines found by looking again, alone, at the strip right of a label that has no line after it: a
    line ending in a colon, or one of `labels` standing alone. The detector drops a value whose line a
    seal's ring crosses, joined to the ring into a blob it does not take for text (a grey-scanned list's
    total, tuning set); in a strip one line high only arcs of the ring are left. On a photographed card
    it missed a value of one character after its label (性别 男, tuning set). Lines found there that
    overlap no line already read are added. A line after the label that starts with a label of its own
    (民族汉 after 性别) is the next field, not this one's value."""
    found: list[OcrLine] = []
    for label in lines:
        x0, y0, x1, y1 = label.bbox
        height = y1 - y0
        text = "".join(label.text.split())
        if not (_colon_label(text) or text in labels) or x1 - x0 < height:
            continue  # a label runs along its line, not a character on its own or a line turned on its side
        row = [
            line
            for line in lines
            if line is not label and line.bbox[0] >= x1 - height and _same_row(line.bbox, label.bbox)
        ]
        after = [line.bbox[0] for line in row]
        values = [line.bbox[0] for line in row if not _starts_a_field(line.text, labels)]
        if values and min(values) < x1 + VALUE_GAP * height:
            continue  # its value was read
        top, bottom = max(0, round(y0 - STRIP_MARGIN * height)), min(image.shape[0], round(y1 + STRIP_MARGIN * height))
        left, right = round(x1), min(image.shape[1], round(min([x1 + STRIP_LENGTH * height, *after])))
        if right - left < height:
            continue
        strip = np.ascontiguousarray(image[top:bottom, left:right])
        for line in engine.read(strip, use_cls=False, line_height=height):
            moved = line.model_copy(update={"polygon": [(x + left, y + top) for x, y in line.polygon]})
            if moved.bbox[0] < x1 + VALUE_GAP * height and not any(_overlap(moved.bbox, o.bbox) for o in lines):
                found.append(moved)
    return found


def _read_unturned(image: np.ndarray, line: OcrLine, engine: OcrEngine) -> OcrLine:
    """A line read poorly where the per-line direction classifier decided is read again as it lies on the
    upright page; the surer reading is kept. The classifier turned a photocopied card's number line
    upside down (330110… read 240069434 at 0.52, tuning set)."""
    crop = line_crop(image, line)
    if line.confidence >= POOR_READING or crop.size == 0:
        return line
    again = engine.read(_padded(crop), use_cls=False, line_height=crop.shape[0])
    if len(again) != 1 or again[0].confidence <= line.confidence:
        return line
    return line.model_copy(
        update={"text": again[0].text, "confidence": again[0].confidence, "char_confidences": again[0].char_confidences}
    )


def _colon_label(text: str) -> bool:
    return text.endswith(LABEL_ENDS) and len(text) >= 3


def _starts_a_field(text: str, labels: Collection[str]) -> bool:
    bare = "".join(text.split())
    return _colon_label(bare) or any(bare.startswith(label) for label in labels)


def _repeats_read_wider(image: np.ndarray, line: OcrLine, engine: OcrEngine, sure_too: bool = False) -> OcrLine:
    """A line ending in a labelled code is read again stretched WIDER times along the line; the stretched
    reading's code is taken only when it is the first with characters doubled back (5fff → 55ffff): the
    recogniser gives each character a few steps of the line and merges the same character read on
    neighbouring steps, so a run of one character in a narrow font came out shorter (a tuning-set scan's
    check code 55ffff read 5fff at 0.89, stretched 55ffff at 0.98). Any other difference is left alone:
    stretched, look-alike letters go either way (bfaf00 → bfafo0, a1b50e → alb50e, tuning set). A code
    read surely (`_surely_read`) is left as read unless `sure_too`."""
    match = CODE_AT_END.search(line.text)
    if match is None or (not sure_too and _surely_read(line, match.start(1), match.end(1))):
        return line
    code = match.group(1)
    crop = line_crop(image, line)
    if crop.size == 0:
        return line
    wider = cv2.resize(crop, None, fx=WIDER, fy=1.0, interpolation=cv2.INTER_CUBIC)
    again = engine.read(_padded(wider), use_cls=False, line_height=crop.shape[0])
    read = CODE_AT_END.search(again[-1].text) if again else None
    if read is None or len(read.group(1)) <= len(code) or _runs(read.group(1)) != _runs(code):
        return line
    chars, before, after = None, line.char_confidences, again[-1].char_confidences
    if before and after and len(before) == len(line.text) and len(after) == len(again[-1].text):
        chars = [*before[: match.start(1)], *after[read.start(1) : read.end(1)]]
    return line.model_copy(update={"text": line.text[: match.start(1)] + read.group(1), "char_confidences": chars})


def _surely_read(line: OcrLine, start: int, end: int) -> bool:
    """Whether every character of `line.text[start:end]` was read at SURE_CODE or more (False where the
    characters' confidences are not known)."""
    chars = line.char_confidences
    if not chars or len(chars) != len(line.text) or start >= end:
        return False
    return min(chars[start:end]) >= SURE_CODE


def _runs(text: str) -> list[str]:
    """The characters of `text` with each run of one character counted once ("55ffff" → 5, f)."""
    return [char for char, _ in itertools.groupby(text)]


def _padded(part: np.ndarray) -> np.ndarray:
    """`part` of a line on white, half its height above and below and its height either side: the
    recogniser reads a piece of a line best with paper round it, as on the page."""
    height = part.shape[0]
    border = (height // 2, height // 2, height, height)
    return np.ascontiguousarray(cv2.copyMakeBorder(part, *border, cv2.BORDER_CONSTANT, value=(255, 255, 255)))


def _same_row(a: BBox, b: BBox) -> bool:
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _overlap(a: BBox, b: BBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _reading_confidence(lines: list[OcrLine]) -> float:
    """Mean confidence per character: how well the page read (0 with nothing read)."""
    chars = sum(len(ln.text) for ln in lines)
    return sum(ln.confidence * len(ln.text) for ln in lines) / chars if chars else 0.0


def _sideways(lines: list[OcrLine]) -> bool:
    """True when the engine left the lines unread as standing on end, or most lines of three or more
    characters are taller than wide."""
    if any(not ln.text for ln in lines):
        return True
    long = [ln for ln in lines if len(ln.text.strip()) >= 3]
    tall = sum(1 for ln in long if (ln.bbox[3] - ln.bbox[1]) > (ln.bbox[2] - ln.bbox[0]))
    return bool(long) and tall > len(long) / 2


def _box(line: OcrLine) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = line.bbox
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def _to_original(line: OcrLine, transform: object) -> OcrLine:
    points = np.asarray(line.polygon, dtype=np.float64)
    mapped = transform(points)  # type: ignore[operator]
    return line.model_copy(update={"polygon": [(round(float(x), 1), round(float(y), 1)) for x, y in mapped]})
