#!/usr/bin/python3
"""Regenerates test/fixtures/probe/: the self-check's probe image (shared/probe-image.ts, written
again here independently) and PyTorch's logits and embedding for it on the seedA weights. Dev-only:
   /usr/bin/python3 converter/reference/make_probe_fixture.py
The test compares the bytes with the TypeScript probe, so the two definitions cannot drift apart.
"""
import os

import numpy as np
import torch

from synthetic_inception import build_model, to_model_input

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "probe")
SIZE = 299
M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def hash3(x, y, c):
    h = imul(x, 0x27D4EB2D) ^ imul(y, 0x165667B1) ^ imul(c + 1, 0x9E3779B1)
    h = imul(h ^ (h >> 15), 0x85EBCA6B)
    return h ^ (h >> 13)


def probe_value(x, y, c):
    gradient = x if c == 0 else y if c == 1 else (x + y) >> 1
    dx, dy = x - 150, y - 120
    rings = ((dx * dx + dy * dy) >> 5) & 63
    block = 48 if ((x >> 5) + (y >> 5) + c) % 3 == 0 else 0
    noise = hash3(x, y, c) & 15
    return max(0, min(255, ((gradient * 3) >> 2) + rings + block + noise - 8))


def probe_image():
    image = np.zeros((SIZE, SIZE, 3), dtype=np.uint8)
    for y in range(SIZE):
        for x in range(SIZE):
            for c in range(3):
                image[y, x, c] = probe_value(x, y, c)
    return image


def main():
    torch.set_num_threads(2)
    model, _ = build_model()
    image = probe_image()
    features = {}
    model.avgpool.register_forward_hook(lambda _m, _i, out: features.setdefault("embedding", out.flatten(1)))
    with torch.inference_mode():
        logits = model(to_model_input(image[None]))
    os.makedirs(OUT, exist_ok=True)
    image.tofile(os.path.join(OUT, "probe_u8_299x299x3.bin"))
    logits.numpy().astype("<f4").tofile(os.path.join(OUT, "logits_f32_1000.bin"))
    features["embedding"].numpy().astype("<f4").tofile(os.path.join(OUT, "embedding_f32_2048.bin"))
    print("top-5:", logits.topk(5, 1).indices.tolist())


if __name__ == "__main__":
    main()
