"""The quality gate's measures per variant, and what the gate decided (prints, never asserts).

This is how the thresholds in `PreprocessSettings` were chosen: on the tuning set (seeds 100000+)
and the real samples, good pages must pass and the degraded variants must be caught; the same
table on the evaluation set (seeds 900000+) shows how the choice holds on pages it never saw.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bench.results import recorded
from bench.sets import REAL, SETS
from intake.settings import PreprocessSettings, Settings
from ocr.loader import InputError, load_pages
from ocr.preprocess import assess_quality


def measure(files: list[tuple[Path, str, str | None]], gate: PreprocessSettings) -> None:
    limits = Settings().limits
    rows: dict[str, list[tuple[float, float, float, int, list[str], str | None]]] = defaultdict(list)
    for path, variant, expected in files:
        try:
            pages = load_pages(path.read_bytes(), limits)
        except InputError:
            continue
        for page in pages:
            if page.text_lines:  # born-digital: no image to judge
                continue
            q = assess_quality(page.image, gate)
            rows[variant].append((q.blur, q.brightness, q.contrast, q.short_side_px, q.issues, expected))
    head = f"{'variant':<22}{'pages':>6}{'blur min–max':>18}{'bright min–max':>17}{'range min–max':>16}"
    print(head + f"{'short side min':>16}  {'caught / should':>16}  {'false alarms':>12}")
    for variant in sorted(rows):
        r = rows[variant]
        blur = f"{min(x[0] for x in r):.0f}–{max(x[0] for x in r):.0f}"
        bright = f"{min(x[1] for x in r):.0f}–{max(x[1] for x in r):.0f}"
        contrast = f"{min(x[2] for x in r):.0f}–{max(x[2] for x in r):.0f}"
        should = [x for x in r if x[5]]
        caught = sum(1 for x in should if x[5] in x[4])
        false_alarms = sum(1 for x in r if not x[5] and x[4])
        print(
            f"{variant:<22}{len(r):>6}{blur:>18}{bright:>17}{contrast:>16}{min(x[3] for x in r):>16}"
            f"  {f'{caught} / {len(should)}':>16}  {false_alarms:>12}"
        )


def truth_files(folder: Path) -> list[tuple[Path, str, str | None]]:
    docs = folder / "documents"
    truth_dir = folder / "truth" / "documents" if (folder / "truth" / "documents").is_dir() else folder / "truth"
    out = []
    for truth_file in sorted(truth_dir.glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        out.append((docs / truth["file"], truth["variant"], truth["expected_quality"]))
    return out


@recorded("quality_gate")
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=list(SETS), nargs="+", default=["tune", "eval"])
    args = parser.parse_args()
    gate = PreprocessSettings()
    print(
        f"Quality gate: blur_min {gate.blur_min}, dark_max {gate.dark_max}, contrast_min {gate.contrast_min}, "
        f"min_short_side {gate.min_short_side}, min_text_height {gate.min_text_height}"
    )
    for split in args.split:
        title, folder = SETS[split]
        if not folder.is_dir():
            print(f"\n{title}: missing ({folder}); run `make generated`")
            continue
        print(f"\n{title}")
        measure(truth_files(folder), gate)
    if REAL.is_dir():
        print("\nreal samples (../shared/real-samples), per file; invoice_04 is a photo whose right edge cuts the text")
        real = [p for p in sorted(REAL.iterdir()) if p.suffix not in (".json", ".md")]
        measure([(p, p.stem, "page_cut_off" if p.stem == "invoice_04" else None) for p in real], gate)


if __name__ == "__main__":
    main()
