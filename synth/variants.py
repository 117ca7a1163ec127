"""How paper reaches the office: scanned, photocopied, photographed, turned, and the failures
the quality gate must catch. Each variant maps a clean RGB render to what a clerk receives."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

Array = np.ndarray


@dataclass(frozen=True)
class Variant:
    name: str
    group: str  # the benchmark group it reports under
    is_copy: bool
    colour: bool  # whether the file keeps colour (a grey scan cannot show a red seal as red)
    rotation: int  # degrees the page is turned clockwise in the file
    expected_quality: str | None  # the quality-gate code it must trigger, if any


def to_array(img: Image.Image) -> Array:
    return cv2.cvtColor(np.asarray(img.convert("RGB")), cv2.COLOR_RGB2BGR)


def to_image(arr: Array) -> Image.Image:
    if arr.ndim == 2:
        return Image.fromarray(arr)
    return Image.fromarray(cv2.cvtColor(arr, cv2.COLOR_BGR2RGB))


def _noise(arr: Array, rng: np.random.Generator, sigma: float) -> Array:
    noisy = arr.astype(np.float32) + rng.normal(0, sigma, arr.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _rotate(arr: Array, degrees: float, border: tuple[int, int, int] | int) -> Array:
    h, w = arr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def clean(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    return arr


def scan_colour(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A flatbed colour scan: slight skew, sensor noise, a touch of softness."""
    out = _rotate(arr, r.uniform(-1.5, 1.5), (250, 250, 250))
    out = cv2.GaussianBlur(out, (3, 3), 0.6)
    return _noise(out, g, 1.5)


def scan_grey(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A greyscale office scan: skew up to 3 degrees, noise, uneven gain."""
    grey = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
    grey = _rotate(grey, r.uniform(-3.0, 3.0), 245)
    w = grey.shape[1]
    gain = np.linspace(r.uniform(0.92, 1.0), r.uniform(0.97, 1.03), w, dtype=np.float32)[None, :]
    grey = np.clip(grey.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    grey = cv2.GaussianBlur(grey, (3, 3), 0.7)
    return _noise(grey, g, 3.0)


def photocopy(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A photocopy: no colour, hard contrast, toner specks, grey borders, slight skew."""
    grey = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    grey = np.clip((grey - 95) * 1.6 + 95, 0, 255)
    grey = _rotate(grey.astype(np.uint8), r.uniform(-1.2, 1.2), 200)
    h, w = grey.shape
    specks = g.random((h, w)) < 0.0015
    grey[specks] = g.integers(40, 140, int(specks.sum()))
    edge = np.ones((h, w), np.float32)
    band = max(8, w // 60)
    edge[:, :band] = np.linspace(0.6, 1.0, band)[None, :]
    edge[:, -band:] = np.linspace(1.0, 0.6, band)[None, :]
    grey = np.clip(grey * edge, 0, 255).astype(np.uint8)
    return _noise(cv2.GaussianBlur(grey, (3, 3), 0.8), g, 3.5)


def photocopy_colour_scan(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A photocopy put on a colour scanner (or under a phone): the capture keeps colour, the page has none
    left: toner on white paper, the scanner's own per-channel noise and a faint lamp tint."""
    copy = cv2.cvtColor(photocopy(arr, r, g), cv2.COLOR_GRAY2BGR).astype(np.float32)
    copy *= np.array([r.uniform(0.985, 1.0), r.uniform(0.99, 1.0), 1.0], np.float32)  # B, G, R
    return _noise(np.clip(copy, 0, 255).astype(np.uint8), g, 1.5)


def _table(shape: tuple[int, int], r: random.Random, g: np.random.Generator) -> Array:
    h, w = shape
    base = np.array([r.randint(60, 120), r.randint(70, 120), r.randint(80, 140)], np.float32)
    coarse = g.normal(0, 10, (h // 8 + 1, w // 8 + 1)).astype(np.float32)
    grain = np.asarray(cv2.resize(coarse, (w, h)), np.float32)[..., None]
    return np.clip(base[None, None, :] + grain, 0, 255).astype(np.uint8)


def phone_photo(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A phone photo on a desk: the page in perspective, a shadow falling across it, warm light,
    soft focus, JPEG-like noise."""
    h, w = arr.shape[:2]
    margin = 0.12
    out_w, out_h = int(w * (1 + 2 * margin)), int(h * (1 + 2 * margin))
    jitter = 0.06
    dst = np.array(
        [
            [out_w * (margin + r.uniform(-jitter, jitter) * 0.5), out_h * (margin + r.uniform(-jitter, jitter) * 0.5)],
            [
                out_w * (1 - margin + r.uniform(-jitter, jitter) * 0.5),
                out_h * (margin + r.uniform(-jitter, jitter) * 0.5),
            ],
            [
                out_w * (1 - margin + r.uniform(-jitter, jitter) * 0.5),
                out_h * (1 - margin + r.uniform(-jitter, 0) * 0.5),
            ],
            [out_w * (margin + r.uniform(-jitter, jitter) * 0.5), out_h * (1 - margin + r.uniform(-jitter, 0) * 0.5)],
        ],
        np.float32,
    )
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    page = cv2.warpPerspective(arr, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (out_w, out_h))
    table = _table((out_h, out_w), r, g)
    out = np.where(mask[..., None] > 0, page, table).astype(np.float32)
    # Shadow: a soft darker band from one side, and warm light.
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    angle = r.uniform(0, np.pi)
    ramp = np.cos(angle) * xx / out_w + np.sin(angle) * yy / out_h
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    shade = 1.0 - r.uniform(0.15, 0.35) * np.clip((ramp - 0.55) * 3, 0, 1)
    warm = np.array([0.93, 0.98, 1.04], np.float32)[None, None, :]
    out = out * shade[..., None] * warm
    soft = cv2.GaussianBlur(np.clip(out, 0, 255).astype(np.uint8), (3, 3), 0.9)
    return _noise(soft, g, 2.5)


def rotated(degrees: int) -> Callable[[Array, random.Random, np.random.Generator], Array]:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}

    def turn(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
        return cv2.rotate(scan_colour(arr, r, g), codes[degrees])

    return turn


def blurred(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """Camera shake: a strong motion blur no OCR can be trusted on."""
    k = max(9, arr.shape[1] // 70) | 1
    kernel = np.zeros((k, k), np.float32)
    kernel[k // 2, :] = 1.0 / k
    turned = cv2.warpAffine(kernel, cv2.getRotationMatrix2D((k / 2, k / 2), r.uniform(0, 180), 1.0), (k, k))
    kernel = np.asarray(turned, np.float32) / max(float(turned.sum()), 1e-6)
    return cv2.GaussianBlur(cv2.filter2D(arr, -1, kernel), (0, 0), 3)


def dark(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A photo taken in a dim room."""
    out = arr.astype(np.float32) * r.uniform(0.18, 0.25)
    return _noise(np.clip(out, 0, 255).astype(np.uint8), g, 2.5)


def overexposed(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """Flash glare: the ink washes out towards the paper white."""
    out = arr.astype(np.float32) * r.uniform(0.2, 0.35) + r.uniform(195, 210)
    return np.clip(out, 0, 255).astype(np.uint8)


def tiny(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """A thumbnail forwarded instead of the photo."""
    h, w = arr.shape[:2]
    scale = 160 / max(h, w)
    return cv2.resize(arr, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)


def cut_off(arr: Array, r: random.Random, g: np.random.Generator) -> Array:
    """The page's right part outside the frame: text runs into the image edge."""
    w = arr.shape[1]
    return scan_colour(arr[:, : int(w * r.uniform(0.62, 0.7))].copy(), r, g)


VARIANTS: dict[str, tuple[Variant, Callable[[Array, random.Random, np.random.Generator], Array]]] = {
    "clean": (Variant("clean", "clean_scan", False, True, 0, None), clean),
    "scan": (Variant("scan", "clean_scan", False, True, 0, None), scan_colour),
    "scanned_grey": (Variant("scanned_grey", "degraded_scan", False, False, 0, None), scan_grey),
    "photocopy": (Variant("photocopy", "photocopy", True, False, 0, None), photocopy),
    "photocopy_colour": (Variant("photocopy_colour", "photocopy", True, True, 0, None), photocopy_colour_scan),
    "photo": (Variant("photo", "phone_photo", False, True, 0, None), phone_photo),
    "rotated90": (Variant("rotated90", "rotated", False, True, 90, None), rotated(90)),
    "rotated180": (Variant("rotated180", "rotated", False, True, 180, None), rotated(180)),
    "rotated270": (Variant("rotated270", "rotated", False, True, 270, None), rotated(270)),
    "blurred": (Variant("blurred", "quality_fail", False, True, 0, "image_blurred"), blurred),
    "dark": (Variant("dark", "quality_fail", False, True, 0, "image_too_dark"), dark),
    "overexposed": (Variant("overexposed", "quality_fail", False, True, 0, "image_overexposed"), overexposed),
    "tiny": (Variant("tiny", "quality_fail", False, True, 0, "image_too_small"), tiny),
    "cut_off": (Variant("cut_off", "quality_fail", False, True, 0, "page_cut_off"), cut_off),
}


def apply(name: str, img: Image.Image, seed: int) -> tuple[Variant, Image.Image]:
    variant, fn = VARIANTS[name]
    out = fn(to_array(img), random.Random(seed), np.random.default_rng(seed))
    return variant, to_image(out)
