"""Synthetic Inception V3 weights from the project's hash recipe, for PyTorch-side references.

Dev-only (Debian's python3-torchvision; run with /usr/bin/python3). The TypeScript twin is
converter/synthetic/: both derive every value from (tensor name, element index) alone, so they
agree bit for bit. Recipe, per tensor name n and element index j:
  seed(n)   = fmix32(fnv1a32(n) ^ GLOBAL_SEED)
  v(n, j)   = ((fmix32(seed(n) + j * 0x9E3779B9) >> 8) - 2^23) / 2^23        in [-1, 1)
Channels come in +/- pairs (o = 2p + s) so the random network stays close to linear and image
information reaches the logits; see the TypeScript module for the per-tensor formulas.
"""
import math

import numpy as np
import torch
import torchvision

GLOBAL_SEED = 0x1CE92024
M32 = 0xFFFFFFFF


def fnv1a32(text):
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & M32
    return h


def fmix32(h):
    """murmur3's finaliser on a uint32 numpy array."""
    h = np.asarray(h, dtype=np.uint32).copy()
    with np.errstate(over="ignore"):
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h


def uniform(name, count, global_seed=GLOBAL_SEED):
    seed = fmix32(np.array([fnv1a32(name) ^ global_seed], dtype=np.uint32))[0]
    with np.errstate(over="ignore"):
        draws = fmix32(seed + np.arange(count, dtype=np.uint32) * np.uint32(0x9E3779B9))
    return ((draws >> np.uint32(8)).astype(np.float64) - 2.0**23) / 2.0**23


def alternating(n):
    """+1 for even indices, -1 for odd: the sign of a channel inside its pair."""
    return np.where(np.arange(n) % 2 == 0, 1.0, -1.0)


def conv_weight(name, out_ch, in_ch, kh, kw):
    rgb = name == "Conv2d_1a_3x3.conv.weight"
    eff_in = in_ch if rgb else in_ch // 2
    amp = float(np.float32(math.sqrt(3.0 / (eff_in * kh * kw))))
    base = uniform(name, (out_ch // 2) * eff_in * kh * kw).reshape(out_ch // 2, eff_in, kh, kw)
    w = np.repeat(base, 2, axis=0) * alternating(out_ch)[:, None, None, None]
    if not rgb:
        w = np.repeat(w, 2, axis=1) * alternating(in_ch)[None, :, None, None]
    return amp * w


BN_RECIPE = {"weight": (1.0, 0.25, False), "bias": (0.0, 0.1, True),
             "running_mean": (0.0, 0.2, True), "running_var": (1.0, 0.5, False)}


def synth_value(name, shape):
    if name.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.int64)
    if name.endswith("conv.weight"):
        values = conv_weight(name, *shape)
    elif name == "fc.weight":
        classes, feats = shape
        amp = float(np.float32(math.sqrt(3.0 / (feats // 2))))
        values = amp * np.repeat(uniform(name, classes * (feats // 2)).reshape(classes, feats // 2), 2, axis=1) * alternating(feats)[None, :]
    elif name == "fc.bias":
        values = 0.01 * uniform(name, shape[0])
    else:
        offset, scale, antisymmetric = BN_RECIPE[name.rsplit(".", 1)[1]]
        values = offset + scale * np.repeat(uniform(name, shape[0] // 2), 2)
        if antisymmetric:
            values = values * alternating(shape[0])
    return torch.from_numpy(np.asarray(values).astype(np.float32))


def build_model(global_seed=GLOBAL_SEED):
    """torchvision inception_v3 without aux head or transform_input, with synthetic weights."""
    assert global_seed == GLOBAL_SEED, "only the reference seed is wired through"
    model = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False, transform_input=False)
    state = {k: synth_value(k, tuple(v.shape)) for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    return model.eval(), state


def to_model_input(u8_nhwc):
    """uint8 NHWC pixels -> x/127.5 - 1, NCHW float32 (torchvision's transform for these weights)."""
    x = u8_nhwc.astype(np.float32) / np.float32(127.5) - np.float32(1.0)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
