"""Can a code's letter that prints like a digit (l and 1, I and 1, o and 0, O and 0) be told from that digit?
(prints, never asserts)

Codes of six characters (hex digits with l, I, o, O and extra 1s and 0s mixed in) are rendered after
「校验码：」, under a line 「票据号码：」 of sixteen digits in the same font, at five sizes, blurred and
JPEG-compressed at random, and read by the engine. Where the code's line reads a look-alike letter or
its digit, two ways of deciding are counted:
- the glyph read again alone (the recogniser on the glyph's columns), per confidence it must reach;
- the glyph compared with the page's own surely read digits (`ocr/glyphs.py`: not taller than they are
  and at most a pixel shorter, "as tall", and no further from their median glyph than a limit, the
  largest mean difference over a 5-pixel square of glyphs 32 pixels high), per limit, for l I o O or for
  l and o only, with and without the height test; the reader's rule is l and o, as tall, at `LIKENESS`.
Fonts: the generator's three (Noto Sans CJK, Noto Serif CJK, WenQuanYi Zen Hei) and four it never prints
with (DejaVu Sans, DejaVu Serif, DejaVu Sans Mono, WenQuanYi Micro Hei), counted apart. Rendered from
their own seeds: no generated split, no real document.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from intake.settings import Settings
from ocr.base import OcrEngine
from ocr.engine import get_engine
from ocr.glyphs import (
    CODE_AT_END,
    DIGIT_OF,
    LIKENESS,
    as_tall,
    ink_runs,
    last_glyphs,
    likeness,
    line_crop,
    of_its_size,
    references,
)
from ocr.reader import _padded
from synth.canvas import font

LOOK_ALIKE = {**DIGIT_OF, "I": "1", "O": "0"}
ALPHABET = "0123456789abcdef" + "lIoO" * 2 + "10" * 2
FONTS = {  # name: (file, index in the collection, one the generator prints with)
    "Noto Sans CJK": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, True),
    "Noto Serif CJK": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, True),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, True),
    "DejaVu Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0, False),
    "DejaVu Serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0, False),
    "DejaVu Sans Mono": ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0, False),
    "WenQuanYi Micro Hei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, False),
}
SIZES = (18, 22, 26, 30, 34)
THRESHOLDS = (0.5, 0.9, 0.98)
LIMITS = (0.2, 0.28, 0.35, 0.45)
READER = "page digits, l o, as tall"
RULES = {  # which glyphs a way of comparing with the page's digits decides
    "page digits, lIoO, any height": lambda row: True,
    "page digits, l o, any height": lambda row: row[5],
    READER: lambda row: row[4] and row[5],
}


def rendered(rng: random.Random, name: str) -> tuple[str, np.ndarray]:
    path, index, _ = FONTS[name]
    code = "".join(rng.choice(ALPHABET) for _ in range(6))
    number = "".join(rng.choice("0123456789" + "10" * 3) for _ in range(16))
    size = rng.choice(SIZES)
    latin, label = ImageFont.truetype(path, size, index=index), font("sans", size)
    image = Image.new("RGB", (40 + size * 16, size * 4), "white")
    draw, ink = ImageDraw.Draw(image), (rng.randint(0, 90),) * 3
    for row, (words, value) in enumerate((("票据号码：", number), ("校验码：", code))):
        y = size // 2 + row * size * 2
        draw.text((20, y), words, font=label, fill=ink)
        draw.text((20 + label.getlength(words), y), value, font=latin, fill=ink)
    page = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), rng.uniform(0.3, 1.1))
    _, jpeg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(50, 95)])
    return code, np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR))


def read_alone(engine: OcrEngine, crop: np.ndarray, column: tuple[int, int]) -> tuple[str, float]:
    again = engine.read(_padded(crop[:, column[0] : column[1]]), use_cls=False)
    return (again[0].text, again[0].confidence) if len(again) == 1 else ("", 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.look_alikes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=700, help="codes rendered and read (spread over the fonts)")
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args(argv)
    engine = get_engine(Settings().ocr)
    rng = random.Random(args.seed)
    fonts = [name for name, (path, _, _) in FONTS.items() if Path(path).exists()]
    in_line: Counter[tuple[bool, bool]] = Counter()  # (truly a letter, the line read it a letter)
    # per glyph the line read as a look-alike letter: font, truly a letter, read alone, distance to the page's
    # digits (likeness), as tall as they are, a letter the reader decides (l, o)
    letters_read: list[tuple[str, bool, tuple[str, float], float | None, bool, bool]] = []
    for number in range(args.codes):
        name = fonts[number % len(fonts)]
        code, image = rendered(rng, name)
        lines = engine.read(image, use_cls=False)
        match = CODE_AT_END.search(lines[-1].text) if len(lines) == 2 else None
        if match is None or len(match.group(1)) != len(code):
            continue
        crop = line_crop(image, lines[-1])
        glyphs = last_glyphs(crop, len(code))
        if glyphs is None or None in glyphs:  # characters printed touching: their columns are not theirs
            continue
        columns = ink_runs(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY))[-len(code) :]
        refs = references(image, lines)
        for truth, read, glyph, column in zip(code, match.group(1), glyphs, columns, strict=True):
            if truth not in "lIoO10" or read not in "lIoO10" or glyph is None:  # (None: for the type checker)
                continue
            in_line[truth in LOOK_ALIKE, read in LOOK_ALIKE] += 1
            if read in LOOK_ALIKE:
                digit_refs = of_its_size(glyph, refs[LOOK_ALIKE[read]])
                alone = read_alone(engine, crop, column)
                tall = as_tall(glyph, digit_refs)
                row = (name, truth in LOOK_ALIKE, alone, likeness(glyph, digit_refs), tall, read in DIGIT_OF)
                letters_read.append(row)
    print(f"# Look-alike letters in codes: {args.codes} rendered codes (seed {args.seed}), read as a line")
    print("line's reading of l I o O 1 0 (truly letter / digit → read letter / digit):")
    print(f"  letter → letter {in_line[True, True]}, letter → digit {in_line[True, False]}", end="")
    print(f", digit → letter {in_line[False, True]}, digit → digit {in_line[False, False]}")
    for generator in (True, False):
        group = [row for row in letters_read if FONTS[row[0]][2] is generator]
        letters = sum(1 for row in group if row[1])
        digits = len(group) - letters
        title = "the generator's fonts" if generator else "fonts the generator never prints with"
        print(f"\n## {title}: glyphs the line read as a letter: {letters} truly letters, {digits} truly digits")
        print(f"{'way of deciding':>34}  {'letters turned to their digit':>30}  {'digits mended':>14}")
        for threshold in THRESHOLDS:
            kept = [row for row in group if row[2][0] in ("1", "0") and row[2][1] >= threshold]
            turned = sum(1 for row in kept if row[1])
            mended = len(kept) - turned
            print(f"{f'read alone at {threshold:.2f}+':>34}  {turned:>23}/{letters:<6}  {mended:>7}/{digits:<6}")
        for rule, keep in RULES.items():
            for limit in LIMITS:
                kept = [row for row in group if keep(row) and row[3] is not None and row[3] <= limit]
                turned = sum(1 for row in kept if row[1])
                mended = len(kept) - turned
                way = f"{rule}, {limit:.2f}" + (" (the reader)" if rule == READER and limit == LIKENESS else "")
                print(f"{way:>34}  {turned:>23}/{letters:<6}  {mended:>7}/{digits:<6}")
        print("the reader's rule per font (letters turned / digits mended):", end="")
        for name in sorted({row[0] for row in group}):
            kept = [row for row in group if row[0] == name and RULES[READER](row) and (row[3] or 99) <= LIKENESS]
            print(f" {name} {sum(1 for row in kept if row[1])}/{sum(1 for row in kept if not row[1])}", end=";")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
