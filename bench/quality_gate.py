"""The quality gate's measures per variant, and what the gate decided (prints, never asserts).

This is how the thresholds in `PreprocessSettings` were chosen: on the tuning sets (seeds 100000+,
template families 300000+) and the real samples, good pages must be used and the degraded variants
caught; the same table on the evaluation set (seeds 900000+) shows how the choice holds on pages it
never saw. A page the page rules refuse is read, as `read_page` does, and judged again on the text the
detector found (size, sharpness, ink contrast in its boxes) and on how confidently it was read; a page
the page rules call cut off is read and kept so only when a detected text line reaches the frame's edge.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.results import recorded
from bench.sets import REAL, ROOT, SETS
from intake.models import Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings, Settings
from ocr.base import OcrEngine
from ocr.engine import get_engine
from ocr.loader import InputError, load_pages
from ocr.preprocess import assess_quality
from ocr.reader import blocking, read_page


@dataclass(frozen=True)
class Decision:
    page_rule: Quality  # the page rules' first look
    final: Quality  # after the text found was judged (the same when the page rules raised nothing blocking)
    expected: str | None

    @property
    def caught(self) -> bool:
        """The expected code refuses the page (page_cut_off: is noted; it never refuses)."""
        if self.expected == Code.page_cut_off.value:
            return self.expected in self.final.issues
        return self.expected in [c.value for c in blocking(self.final)]


def decide(files: list[tuple[Path, str, str | None]], gate: PreprocessSettings, engine: OcrEngine) -> None:
    limits = Settings().limits
    rows: dict[str, list[Decision]] = defaultdict(list)
    for path, variant, expected in files:
        try:
            pages = load_pages(path.read_bytes(), limits)
        except InputError:
            continue
        for raw in pages:
            if raw.text_lines:  # born-digital: no image to judge
                continue
            first = assess_quality(raw.image, gate)
            final = first
            doubted = blocking(first) and Code.page_blank not in blocking(first)
            if doubted or Code.page_cut_off.value in first.issues:
                final = read_page(raw, path.name, engine, gate).quality or first
            rows[variant].append(Decision(first, final, expected))
    width = max([26, *(len(v) + 1 for v in rows)])
    head = f"{'variant':<{width}}{'pages':>6}{'blur min–max':>14}{'bright':>10}{'range':>10}{'short':>7}"
    print(
        head + f"{'page rule refused':>19}{'refused':>9}{'noted':>7}{'caught/should':>15}{'false alarms':>14}"
        "  page rule's codes → after the text was judged"
    )
    for variant in sorted(rows):
        r = rows[variant]
        blur = f"{min(x.page_rule.blur for x in r):.0f}–{max(x.page_rule.blur for x in r):.0f}"
        bright = f"{min(x.page_rule.brightness for x in r):.0f}–{max(x.page_rule.brightness for x in r):.0f}"
        contrast = f"{min(x.page_rule.contrast for x in r):.0f}–{max(x.page_rule.contrast for x in r):.0f}"
        should = [x for x in r if x.expected]
        caught = sum(1 for x in should if x.caught)
        refused_first = sum(1 for x in r if blocking(x.page_rule))
        refused = sum(1 for x in r if blocking(x.final))
        noted = sum(1 for x in r if x.final.issues and not blocking(x.final))
        false_alarms = sum(1 for x in r if not x.expected and blocking(x.final))
        short = min(x.page_rule.short_side_px for x in r)
        row = (
            f"{variant:<{width}}{len(r):>6}{blur:>14}{bright:>10}{contrast:>10}{short:>7}"
            f"{refused_first:>19}{refused:>9}{noted:>7}{f'{caught} / {len(should)}':>15}{false_alarms:>14}  {_codes(r)}"
        )
        print(row.rstrip())


def _codes(rows: list[Decision]) -> str:
    """How often each code was raised by the page rules, and kept once the text found was judged."""
    first = Counter(i for x in rows for i in x.page_rule.issues)
    final = Counter(i for x in rows for i in x.final.issues)
    return ", ".join(f"{code} {first[code]}→{final[code]}" for code in sorted(first | final))


def truth_files(folder: Path, by_family: bool = False) -> list[tuple[Path, str, str | None]]:
    """(file, row name, expected code) from a set's truth: the row is the variant, or for a template-family
    set the document type, family and variant (`id_card_back_crop300_clean_300024.jpg` → its stem's words
    before the seed)."""
    docs = folder / "documents"
    truth_dir = folder / "truth" / "documents" if (folder / "truth" / "documents").is_dir() else folder / "truth"
    out = []
    for truth_file in sorted(truth_dir.glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        row = truth["file"].rsplit("_", 1)[0] if by_family else truth["variant"]
        out.append((docs / truth["file"], row, truth["expected_quality"]))
    return out


@recorded("quality_gate")
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--split",
        nargs="+",
        default=["tune", "eval"],
        help=f"{', '.join(SETS)}, or a set made by `python -m synth generate --out generated/NAME`: NAME",
    )
    args = parser.parse_args()
    settings = Settings()
    gate = settings.preprocess
    engine = get_engine(settings.ocr)
    print(
        f"Quality gate: blur_min {gate.blur_min}, dark_max {gate.dark_max}, contrast_min {gate.contrast_min}, "
        f"min_short_side {gate.min_short_side}, min_text_height {gate.min_text_height}; on the text found: "
        f"min_box_height {gate.min_box_height}, box_sharpness_min {gate.box_sharpness_min}, "
        f"box_contrast_min {gate.box_contrast_min}, box_paper_min {gate.box_paper_min}, box_ink_max {gate.box_ink_max}"
    )
    for split in args.split:
        title, folder = SETS.get(
            split, (f"generated set {split} (per type, family and variant)", ROOT / "generated" / split)
        )
        if not folder.is_dir():
            print(f"\n{title}: missing ({folder}); run `make generated`")
            continue
        print(f"\n{title}")
        decide(truth_files(folder, by_family=split not in SETS), gate, engine)
    if REAL.is_dir():
        print("\nreal samples (../shared/real-samples), per file; invoice_04 is a photo whose right edge cuts the text")
        real = [p for p in sorted(REAL.iterdir()) if p.suffix not in (".json", ".md")]
        decide([(p, p.stem, "page_cut_off" if p.stem == "invoice_04" else None) for p in real], gate, engine)


if __name__ == "__main__":
    main()
