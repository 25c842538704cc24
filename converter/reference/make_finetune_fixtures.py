#!/usr/bin/python3
"""Writes fine-tuned-style Inception V3 checkpoints, saved the way training scripts save them, with
real PyTorch/torchvision, plus PyTorch's outputs for the seedA test images. Dev-only:
  /usr/bin/python3 converter/reference/make_finetune_fixtures.py   (Debian python3-torch)
Output: test/fixtures/finetune/
  ft7.pth              7 classes, {'state_dict': {'module.' + k}, 'epoch', 'best_acc'}, AuxLogits kept
  ft7_class_to_idx.json  its labels as ImageFolder's class_to_idx, keys NOT in index order
  binary.pth           2 classes, {'model': state_dict, 'classes': [...]}
  imagenet_norm.pth    5 classes trained with transform_input=False on ImageNet mean/std inputs,
                       {'model_state_dict', 'args': {'transform_input': False}, 'idx_to_class'}
  ema_compiled.pth     3 classes, torch.compile keys ('_orig_mod.') under 'state_dict' and
                       'state_dict_ema' (different weights: the EMA ones must be used), 'class_to_idx'
  embedding.pth        fc replaced by Identity: no fc.* keys, a plain state_dict
  whole_module.pth     torch.save(model) of a small nn.Module: must be refused
  expected.json        per case: labels, normalisation and logits (or embeddings) for the 4 seedA images

The real Inception V3 architecture at about 500 KB per file: every conv weight after the first is
a strided view onto one shared bank of 8192 random numbers (see compact_weights), which torch.save
stores once. The first conv (which sees the per-channel normalisation) and the fc are dense.
BatchNorm statistics come from the images themselves, so activations stay in a sane range through
all 94 convs and the outputs depend on the image; float32 vs float64 PyTorch differ by ~2e-4.
"""
import json
import os
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torchvision

from make_seed_fixtures import test_images

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "finetune")
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
BANK = 8192


def imagenet_input(u8_nhwc):
    """torchvision's ToTensor + Normalize(ImageNet mean/std), NCHW float32."""
    x = (u8_nhwc.astype(np.float32) / np.float32(255) - MEAN) / STD
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def compact_weights(model, generator):
    """Makes every conv weight after the first a strided window onto one shared bank of random
    numbers, w[o, i, y, x] = bank[offset + 3o + i + 2y + x]: zero-mean, different for every output
    and input channel, and saved by torch.save as the one bank. BN statistics are calibrated later."""
    bank = torch.randn(BANK, generator=generator)
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d) and name != "Conv2d_1a_3x3.conv":
            out_ch, in_ch, kh, kw = module.weight.shape
            span = 3 * (out_ch - 1) + (in_ch - 1) + 2 * (kh - 1) + kw
            offset = int(torch.randint(0, BANK - span, (1,), generator=generator))
            module.weight = nn.Parameter(bank.as_strided((out_ch, in_ch, kh, kw), (3, 1, 2, 1), offset))
        elif isinstance(module, nn.BatchNorm2d):
            module.weight.data.uniform_(0.5, 1.5, generator=generator)
            module.bias.data.uniform_(-0.2, 0.4, generator=generator)
            module.momentum = None  # cumulative average: the calibration pass sets the statistics


def calibrate(model, images):
    model.train()
    with torch.no_grad():
        model(images)
    return model.eval()


def build(num_classes, transform_input, images, seed, aux_logits=False, embedding_only=False):
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = torchvision.models.inception_v3(weights=None, num_classes=num_classes, aux_logits=aux_logits,
                                            transform_input=transform_input, init_weights=True)
    compact_weights(model, generator)
    if embedding_only:
        model.fc = nn.Identity()
    with torch.no_grad():
        if not embedding_only:
            model.fc.weight.normal_(0, 0.1, generator=generator)
            model.fc.bias.normal_(0, 0.1, generator=generator)
    return calibrate(model, images)


def state_dict(model):
    """The model's tensors, keeping the expanded views (state_dict() would too; this just says so)."""
    return OrderedDict((k, v.detach()) for k, v in model.state_dict().items())


def outputs(model, images):
    with torch.inference_mode():
        out = model(images)
    return out.logits if hasattr(out, "logits") else out


def prefixed(sd, prefix):
    return OrderedDict((prefix + k, v) for k, v in sd.items())


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    u8 = test_images()
    x_imagenet = imagenet_input(u8)
    expected = {}

    def record(case, labels, normalization, values, kind="logits"):
        expected[case] = {"labels": labels, "normalization": normalization, kind: values.numpy().astype(np.float32).tolist()}

    # 7 classes from a torchvision fine-tune (transform_input=True, as the ImageNet weights have it).
    ft7 = build(7, True, x_imagenet, 7, aux_logits=True)
    class_to_idx = OrderedDict([("tulip", 6), ("beach", 0), ("mountain", 4), ("dog", 2), ("cat", 1), ("forest", 3), ("snow", 5)])
    torch.save({"state_dict": prefixed(state_dict(ft7), "module."), "epoch": 12, "best_acc": 93.25}, os.path.join(OUT, "ft7.pth"))
    with open(os.path.join(OUT, "ft7_class_to_idx.json"), "w") as f:
        json.dump(class_to_idx, f, indent=1)
    record("ft7", sorted(class_to_idx, key=class_to_idx.get), "inception", outputs(ft7, x_imagenet))

    binary = build(2, True, x_imagenet, 2)
    torch.save({"model": state_dict(binary), "classes": ["no_cat", "cat"]}, os.path.join(OUT, "binary.pth"))
    record("binary", ["no_cat", "cat"], "inception", outputs(binary, x_imagenet))

    plain = build(5, False, x_imagenet, 5)
    idx_to_class = {i: name for i, name in enumerate(["red", "green", "blue", "cyan", "white"])}
    torch.save({"model_state_dict": state_dict(plain), "args": {"transform_input": False, "lr": 0.01},
                "idx_to_class": idx_to_class}, os.path.join(OUT, "imagenet_norm.pth"))
    record("imagenet_norm", list(idx_to_class.values()), "imagenet", outputs(plain, x_imagenet))

    ema = build(3, True, x_imagenet, 3)
    live = build(3, True, x_imagenet, 33)
    ema_classes = OrderedDict([("c", 2), ("a", 0), ("b", 1)])
    torch.save({"state_dict": prefixed(state_dict(live), "_orig_mod."), "state_dict_ema": prefixed(state_dict(ema), "_orig_mod."),
                "class_to_idx": ema_classes, "epoch": 40}, os.path.join(OUT, "ema_compiled.pth"))
    record("ema_compiled", ["a", "b", "c"], "inception", outputs(ema, x_imagenet))

    backbone = build(1000, True, x_imagenet, 11, embedding_only=True)
    torch.save(state_dict(backbone), os.path.join(OUT, "embedding.pth"))
    record("embedding", [], "inception", outputs(backbone, x_imagenet), kind="embedding")

    torch.save(nn.Sequential(nn.Linear(2, 2)), os.path.join(OUT, "whole_module.pth"))

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "cases": expected}, f)
    for case, value in expected.items():
        first = np.array(value.get("logits", value.get("embedding")))[:, :4]
        print(case, first.round(3).tolist())


if __name__ == "__main__":
    main()
