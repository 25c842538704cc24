#!/usr/bin/python3
"""Regenerates test/fixtures/seedA/ (test images + PyTorch logits). Dev-only:
   /usr/bin/python3 converter/reference/make_seed_fixtures.py [--weights DIR]
With --weights, also writes PyTorch's own inception_v3_synth.pth (zip) and
inception_v3_synth_legacy.pth (pre-1.6 format) there, to convert by hand (95 MB each).
"""
import json
import os
import sys

import numpy as np
import torch

from synthetic_inception import build_model, to_model_input, uniform

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "seedA")
SIZE = 299


def test_images():
    """Four 299x299 images with integer-only formulas: noise, stripes, a radial ramp, flat blue."""
    y, x, c = np.meshgrid(np.arange(SIZE), np.arange(SIZE), np.arange(3), indexing="ij")
    noise = (np.floor((uniform("image/noise", SIZE * SIZE * 3) + 1) * 2**23).astype(np.int64) >> 16).reshape(SIZE, SIZE, 3)
    stripes = np.where(((x + y) // 8 + c) % 3 == 0, 255, 0)
    radial = (((x - 149) ** 2 + (y - 149) ** 2) * 255) // 44402 + 0 * c
    blue = np.where(c == 2, 220, 30)
    return np.stack([im.astype(np.uint8) for im in (noise, stripes, radial, blue)])


def main():
    torch.set_num_threads(2)
    model, state = build_model()
    images = test_images()
    with torch.inference_mode():
        logits = model(to_model_input(images))
    os.makedirs(OUT, exist_ok=True)
    images.tofile(os.path.join(OUT, "images_u8_nhwc_4x299x299x3.bin"))
    logits.numpy().astype("<f4").tofile(os.path.join(OUT, "logits_f32_4x1000.bin"))
    summary = {"images": ["noise", "diag_stripes", "radial", "flat_blue"],
               "top5": logits.topk(5, 1).indices.tolist(), "torch": torch.__version__}
    with open(os.path.join(OUT, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    if "--weights" in sys.argv:
        target = sys.argv[sys.argv.index("--weights") + 1]
        torch.save(state, os.path.join(target, "inception_v3_synth.pth"))
        torch.save(state, os.path.join(target, "inception_v3_synth_legacy.pth"), _use_new_zipfile_serialization=False)
    print("top-5 per image:", summary["top5"])


if __name__ == "__main__":
    main()
