#!/usr/bin/python3
"""Regenerates test/fixtures/photos/: small freely licensed photos, torchvision's PIL preprocessing
of each, and the synthetic-weights Inception V3 logits of each crop.

Usage (dev only; needs Debian python3-torchvision python3-skimage icc-profiles-free):
    /usr/bin/python3 converter/reference/pil_preprocess_fixtures.py

Outputs, all under test/fixtures/photos/:
  <photo files>                       inputs, metadata and ICC profiles stripped so that every decoder
                                      (PIL, sharp, browsers) sees the same pixels without colour management,
                                      except chelsea_adobergb.jpg, which embeds a profile on purpose
  LICENSES.md                         source and licence of each photo
  expected/<name>.png                 uint8 299x299 RGB = Compose([Resize(342), CenterCrop(299)])(
                                      Image.open(f).convert('RGB')); PNG because raw crops would break the
                                      fixture size budget, and PNG is lossless
  expected/synthetic_*.png            the same for formula images the tests regenerate (see SYNTHETIC)
  expected/logits_f32.bin             float32 little-endian [N,1000], row i = photo i of index.json
  expected/index.json                 names, files, sizes, modes, logits shape, synthetic cases
"""
import json
from pathlib import Path

import numpy as np
import skimage.data
import torch
from PIL import Image
from torchvision import transforms

from synthetic_inception import build_model, to_model_input

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "photos"
SKIMAGE = Path(skimage.data.__file__).parent
RESIZE, CROP = 342, 299


def clean(im: Image.Image) -> Image.Image:
    """Copy the pixels only: no ICC profile (sharp would colour-convert it, PIL would not), no EXIF."""
    return Image.fromarray(np.asarray(im))


def with_alpha(im: Image.Image) -> Image.Image:
    """RGBA whose alpha varies (including 0) so a decoder that composites instead of dropping it shows."""
    rgb = np.asarray(im.convert("RGB"))
    h, w = rgb.shape[:2]
    y, x = np.mgrid[0:h, 0:w]
    radius = np.hypot(x / w - 0.5, y / h - 0.5)
    alpha = (255 * np.clip(1.6 * (1 - 2 * radius), 0, 1)).astype(np.uint8)
    return Image.fromarray(np.dstack([rgb, alpha]), "RGBA")


# A wide-gamut profile: a browser that colour-manages the JPEG moves its pixels far from PIL's.
ADOBE_RGB_ICC = Path("/usr/share/color/icc/compatibleWithAdobeRGB1998.icc")


def source(file: str) -> Image.Image:
    return Image.open(SKIMAGE / file)


# name, output file, make(), save options, what it exercises, origin, licence
PHOTOS = [
    ("astronaut", "astronaut.jpg", lambda: clean(source("astronaut.png")), {"quality": 90},
     "JPEG, square 512x512, downscale x1.50",
     "scikit-image `astronaut.png` (Eileen Collins, NASA Great Images database, https://flic.kr/p/r9qvLn)",
     "Public domain (NASA; \"no known copyright restrictions\")"),
    ("hubble_portrait", "hubble_portrait.jpg",
     lambda: clean(source("hubble_deep_field.jpg")).crop((250, 0, 750, 872)), {"quality": 88},
     "JPEG, portrait 500x872 (center crop of the original), downscale x1.46",
     "scikit-image `hubble_deep_field.jpg` (NASA/HubbleSite, release 2012-37)",
     "Public domain (NASA media guidelines)"),
    ("camera_gray", "camera_gray.png", lambda: clean(source("camera.png")), {"optimize": True},
     "PNG grayscale (mode L) 512x512, downscale x1.50, expanded to RGB",
     "scikit-image `camera.png` (photograph by Lav Varshney)", "CC0 1.0"),
    ("chelsea_rgba", "chelsea_rgba.png", lambda: with_alpha(clean(source("chelsea.png"))), {"optimize": True},
     "PNG RGBA 451x300 with a synthetic radial alpha (0..255), upscale x1.14, alpha must be dropped",
     "scikit-image `chelsea.png` (photograph by Stefan van der Walt); alpha channel added by this script",
     "CC0 1.0"),
    ("coffee_small", "coffee_small.png",
     lambda: clean(source("coffee.png")).resize((200, 133), Image.LANCZOS), {"optimize": True},
     "PNG RGB 200x133, upscale x2.57",
     "scikit-image `coffee.png` (photograph by Rachel Michetti), reduced to 200x133 by this script",
     "CC0 1.0"),
    ("rocket_strip", "rocket_strip.jpg", lambda: clean(source("rocket.jpg")).crop((0, 170, 640, 250)),
     {"quality": 90},
     "JPEG 640x80 (extreme aspect 8:1), upscale x4.28, crop offset far from 0",
     "scikit-image `rocket.jpg` (DSCOVR launch, SpaceX Photos), horizontal strip cut by this script",
     "Public domain (released by SpaceX)"),
    ("chelsea_adobergb", "chelsea_adobergb.jpg", lambda: clean(source("chelsea.png")),
     {"quality": 90, "icc_profile": ADOBE_RGB_ICC.read_bytes()},
     "JPEG 451x300 with an embedded ICC profile (Adobe RGB 1998 compatible, icc-profiles-free, zlib licence) "
     "that PIL ignores and browsers apply to <img>; the tests also show it downsized by CSS",
     "scikit-image `chelsea.png` (photograph by Stefan van der Walt); ICC profile embedded by this script",
     "CC0 1.0"),
]


# Formula images (regenerated by the tests, only the PIL output is stored) for what the photos
# cannot reach within the size budget: shrinking ~27x (55-tap filters) and a long thin image.
# name, width, height, Resize, CenterCrop
SYNTHETIC = [
    ("synthetic_2600x1750_r64_c56", 2600, 1750, 64, 56),
    ("synthetic_400x3000_r100_c90", 400, 3000, 100, 90),
]
SYNTHETIC_FORMULA = "v(x, y, c) = (x*(c+2) + 3*y + ((x ^ y) & 63)) & 255, uint8 HWC RGB"


def synthetic_image(width: int, height: int) -> Image.Image:
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(3), indexing="ij")
    return Image.fromarray(((x * (c + 2) + 3 * y + ((x ^ y) & 63)) & 255).astype(np.uint8))


def write_synthetic():
    for name, width, height, resize, crop in SYNTHETIC:
        pipeline = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(crop)])
        pipeline(synthetic_image(width, height)).save(OUT / "expected" / f"{name}.png", optimize=True)


def write_photos():
    for name, file, make, options, *_ in PHOTOS:
        make().save(OUT / file, **options)


def pil_reference(file: str) -> np.ndarray:
    pipeline = transforms.Compose([transforms.Resize(RESIZE), transforms.CenterCrop(CROP)])
    return np.asarray(pipeline(Image.open(OUT / file).convert("RGB")))


def logits_of(crops: np.ndarray) -> np.ndarray:
    model, _ = build_model()  # the same synthetic weights as every other fixture
    with torch.inference_mode():
        return model(to_model_input(crops)).numpy().astype("<f4")


def write_licenses():
    lines = ["# Test photos: sources and licences", "",
             "Generated by `converter/reference/pil_preprocess_fixtures.py` from images shipped with",
             "scikit-image 0.19 (Debian `python3-skimage`, `skimage/data/`); licences as stated in",
             "`skimage/data/_fetchers.py`. Metadata and ICC profiles were stripped, except where stated.", "",
             "| File | Exercises | Source | Licence |", "| --- | --- | --- | --- |"]
    lines += [f"| `{file}` | {what} | {origin} | {licence} |" for _, file, _, _, what, origin, licence in PHOTOS]
    (OUT / "LICENSES.md").write_text("\n".join(lines) + "\n")


def main():
    (OUT / "expected").mkdir(parents=True, exist_ok=True)
    write_photos()
    write_licenses()
    write_synthetic()
    crops = np.stack([pil_reference(file) for _, file, *_ in PHOTOS])
    for (name, *_), crop in zip(PHOTOS, crops):
        Image.fromarray(crop).save(OUT / "expected" / f"{name}.png", optimize=True)
    logits = logits_of(crops)
    logits.tofile(OUT / "expected" / "logits_f32.bin")
    index = {
        "pipeline": f"Compose([Resize({RESIZE}), CenterCrop({CROP})]) on Image.open(f).convert('RGB')",
        "model_input": "x = pixel/127.5 - 1, NCHW float32; synthetic weights of converter/reference/synthetic_inception.py",
        "logits": {"file": "logits_f32.bin", "dtype": "float32-le", "shape": [len(PHOTOS), 1000]},
        "photos": [{"name": name, "file": file, "size": list(Image.open(OUT / file).size),
                    "mode": Image.open(OUT / file).mode, "expected": f"{name}.png",
                    "top1": int(logits[i].argmax())}
                   for i, (name, file, *_) in enumerate(PHOTOS)],
        "synthetic_formula": SYNTHETIC_FORMULA,
        "synthetic": [{"name": name, "size": [width, height], "resize": resize, "crop": crop, "expected": f"{name}.png"}
                      for name, width, height, resize, crop in SYNTHETIC],
    }
    (OUT / "expected" / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    for p in index["photos"]:
        print(p)


if __name__ == "__main__":
    main()
