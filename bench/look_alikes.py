"""Can a code's letter that prints like a digit (l and 1, I and 1, o and 0, O and 0) be told from that digit
by reading its glyph again alone? (prints, never asserts)

Codes of six characters (hex digits with l, I, o, O and extra 1s and 0s mixed in) are rendered after
「校验码：」 in the generator's fonts at four sizes, blurred and JPEG-compressed at random, and read as a
line by the engine. Where the line reads a look-alike letter, the glyph (a run of inked columns; the
last six of the line) is read again alone. The table counts, per confidence the alone reading must
reach, the true letters it would turn into their digit and the true digits it would mend. Rendered
from their own seeds: no generated split, no real document.

This is why the reader does not decide these letters (README, "What changed 2026-11-28 evening"): a
check code has no check digit, real ones hold such letters (6oV401), and the extractor sends a code
holding one to a clerk.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import cv2
import numpy as np

from intake.settings import Settings
from ocr.engine import get_engine
from ocr.reader import CODE_AT_END, _line_crop, _padded
from synth.canvas import font

DIGIT_OF = {"l": "1", "I": "1", "o": "0", "O": "0"}
ALPHABET = "0123456789abcdef" + "lIoO" * 2 + "10" * 2
FONTS = ("sans", "serif", "hei")
SIZES = (22, 26, 30, 34)
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98)


def glyph_columns(grey: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns holding ink (darker than Otsu's threshold of the line), left to right."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = np.concatenate([[False], (ink > 0).any(axis=0), [False]])
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def rendered(rng: random.Random) -> tuple[str, np.ndarray]:
    from PIL import Image, ImageDraw

    code = "".join(rng.choice(ALPHABET) for _ in range(6))
    size = rng.choice(SIZES)
    image = Image.new("RGB", (40 + size * 12, size * 2), "white")
    ImageDraw.Draw(image).text(
        (20, size // 2), f"校验码：{code}", font=font(rng.choice(FONTS), size), fill=(rng.randint(0, 90),) * 3
    )
    page = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), rng.uniform(0.3, 1.1))
    _, jpeg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(50, 95)])
    return code, np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.look_alikes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=500, help="codes rendered and read")
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args(argv)
    engine = get_engine(Settings().ocr)
    rng = random.Random(args.seed)
    alone: list[tuple[str, str, float]] = []  # (true character, read alone, confidence)
    in_line: Counter[tuple[bool, bool]] = Counter()  # (truly a letter, the line read it a letter)
    for _ in range(args.codes):
        code, image = rendered(rng)
        lines = engine.read(image, use_cls=False)
        match = CODE_AT_END.search(lines[0].text) if len(lines) == 1 else None
        if match is None or len(match.group(1)) != len(code):
            continue
        crop = _line_crop(image, lines[0])
        glyphs = glyph_columns(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY))[-len(code) :]
        if len(glyphs) < len(code) or any(right - left > crop.shape[0] for left, right in glyphs):
            continue
        for truth, read, (left, right) in zip(code, match.group(1), glyphs, strict=True):
            if truth not in "lIoO10" or read not in "lIoO10":
                continue
            in_line[truth in DIGIT_OF, read in DIGIT_OF] += 1
            if read in DIGIT_OF:
                again = engine.read(_padded(crop[:, left:right]), use_cls=False)
                alone.append((truth, *((again[0].text, again[0].confidence) if len(again) == 1 else ("", 0.0))))
    letters = sum(1 for truth, _, _ in alone if truth in DIGIT_OF)
    digits = len(alone) - letters
    print(f"# Look-alike letters in codes: {args.codes} rendered codes (seed {args.seed}), read as a line")
    print("line's reading of l I o O 1 0 (truly letter / digit → read letter / digit):")
    print(f"  letter → letter {in_line[True, True]}, letter → digit {in_line[True, False]}", end="")
    print(f", digit → letter {in_line[False, True]}, digit → digit {in_line[False, False]}")
    print(f"\nglyphs the line read as a letter, read again alone: {letters} truly letters, {digits} truly digits")
    print(f"{'alone at least':>15}  {'letters turned to their digit':>30}  {'digits mended':>14}")
    for threshold in THRESHOLDS:
        turned = sum(1 for t, r, c in alone if t in DIGIT_OF and r == DIGIT_OF[t] and c >= threshold)
        mended = sum(1 for t, r, c in alone if t not in DIGIT_OF and r == t and c >= threshold)
        print(f"{threshold:>15.2f}  {turned:>23}/{letters:<6}  {mended:>7}/{digits:<6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
