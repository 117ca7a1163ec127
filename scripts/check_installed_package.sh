#!/usr/bin/env bash
# Prove the package works installed, not only from the repository: a fresh venv in a temporary folder,
# `pip install .` (not editable), then from /tmp read a sample ID card with the default settings, which
# make the int8 models from the calibration pages shipped in the package. Exits non-zero on failure.
# Takes a few minutes (dependencies from the registry, int8 models made once, ~40 s).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3.11}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
# Built from a copy of the files git knows (committed or not, never ignored ones), so the build leaves
# nothing (build/, *.egg-info) in the repository.
mkdir "$work/src"
(cd "$repo" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$work/src"
"$work/venv/bin/pip" install --quiet "$work/src"
rm -rf "$work/src"
echo "installed in $(( $(date +%s) - started )) s"

cd /tmp
export ORT_DISABLE_TELEMETRY=1
INTAKE_OCR__INT8_DIR="$work/int8" "$work/venv/bin/python" - "$repo/samples/documents/id_front_card_photo.jpg" <<'PY'
import sys
from pathlib import Path

import ocr
from intake.settings import Settings
from ocr.engine import get_engine
from ocr.loader import load_pages
from ocr.reader import read_page

assert "site-packages" in ocr.__file__, f"not the installed package: {ocr.__file__}"
settings = Settings()
assert settings.ocr.kind == "rapidocr" and settings.ocr.model_precision == "int8-rec", settings.ocr
path = Path(sys.argv[1])
raw = load_pages(path.read_bytes(), settings.limits)[0]
page = read_page(raw, path.name, get_engine(settings.ocr), settings.preprocess)
print(f"lines: {len(page.lines)}")
sys.exit(0 if len(page.lines) >= 5 else 1)
PY
echo "checked in $(( $(date +%s) - started )) s"
