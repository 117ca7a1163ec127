"""`python -m synth samples` rewrites the committed sample set; `python -m synth generate --split
tune|eval` writes a larger set into the ignored `generated/` folder; `--split familytune|heldout` a set of
the template families rules may be tuned on, or of the held-out ones (synth/families/split.yaml)."""

from __future__ import annotations

import argparse
from pathlib import Path

from synth.sets import SPLIT_SEEDS, build_generated, build_samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth", description="合成医保材料样例（确定性，按种子）")
    sub = parser.add_subparsers(dest="command", required=True)
    samples = sub.add_parser("samples", help="the committed demo cases and single documents")
    samples.add_argument("--out", type=Path, default=Path("samples"))
    generate = sub.add_parser("generate", help="a larger set for tuning or evaluation")
    generate.add_argument("--split", choices=[s for s in SPLIT_SEEDS if s != "samples"], required=True)
    generate.add_argument("--repeat", type=int, default=2, help="documents per kind (family, side) and variant")
    generate.add_argument("--out", type=Path)
    generate.add_argument("--first", type=int, default=0, help="the first repeat written (seeds as in the whole set)")
    generate.add_argument(
        "--kinds", default="", help="comma-separated kinds (invoice,…; family sets: document types); all if empty"
    )
    args = parser.parse_args(argv)
    if args.command == "samples":
        build_samples(args.out)
        print(f"samples written to {args.out}")
    else:
        out = args.out or Path("generated") / args.split
        n = build_generated(out, args.split, args.repeat, args.first, [k for k in args.kinds.split(",") if k])
        print(f"{n} documents written to {out} (split {args.split}, seeds from {SPLIT_SEEDS[args.split]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
