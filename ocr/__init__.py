"""Reading documents: page images to text lines (preprocessing, PP-OCR engines, second looks).

Layers, lowest first (checked by import-linter, "ocr internal layers"): `base` (types, reading order);
`models` and `loader` (model files, input pages); `preprocess`, `recognition`, `glyphs`; `ppocr` (the
networks' stages); the engines and `numerals`; `reader` (a page read); `provision` and `paddle_models`
(making model files); `engine` (the factory keyed by the options' `kind`).
"""

import os

# onnxruntime queues telemetry from native code at import; it must be off before any module imports it.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
