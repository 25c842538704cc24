#!/usr/bin/python3
"""Writes the small checkpoints the reader tests compare against, with real PyTorch.

Usage: /usr/bin/python3 converter/reference/make_reader_fixtures.py   (Debian python3-torch)
Output: test/fixtures/torch-written/
  small_zip.pth          torch.save default (zip) of a state_dict covering every reader case
  small_legacy.pth       the same with _use_new_zipfile_serialization=False (pre-1.6 layout)
  small_wrapped.pth      {'epoch', 'state_dict': DataParallel-style 'module.' keys}
  small_deflated.pth     small_zip.pth re-zipped with DEFLATE entries
  small_zip64.pth        small_zip.pth re-zipped with zip64 extra fields (sizes/offsets above 16 bytes)
  small_state.safetensors  the same tensors, contiguous, in safetensors written by hand
  small_expected.json    per tensor: dtype, shape and the float32 bit patterns of its values
  malicious.pth          zip checkpoint whose pickle calls os.system (must be refused)
  malicious_legacy.pth   legacy checkpoint whose pickle calls os.system via a __reduce__
"""
import json, os, struct, zipfile
from collections import OrderedDict
import numpy as np
import torch, torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "torch-written")
SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
                      torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
                      torch.uint8: "U8", torch.bool: "BOOL"}
DTYPE_NAMES = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
               torch.float64: "float64", torch.int64: "int64", torch.int32: "int32", torch.int16: "int16",
               torch.int8: "int8", torch.uint8: "uint8", torch.bool: "bool"}


def state_dict():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(2, 4, 3), nn.BatchNorm2d(4), nn.Linear(3, 2))
    net[1].running_mean.uniform_(-1, 1)
    net[1].num_batches_tracked.fill_(7)
    sd = net.state_dict(keep_vars=True)  # Parameters stay nn.Parameter; _metadata comes along
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 7
    grid = torch.arange(30, dtype=torch.float32).reshape(5, 6) - 15
    shared = torch.linspace(-1, 1, 7)
    sd["extra.half"] = torch.tensor([[0.5, -2.0, 65504.0], [6e-8, -0.0, 1 / 3]], dtype=torch.float16)
    sd["extra.bfloat16"] = torch.tensor([1.0, -3.140625, 1e30, -1e-30, 0.1], dtype=torch.bfloat16)
    sd["extra.double"] = torch.tensor([[0.1, -1e-40], [1e300, 2.5]], dtype=torch.float64)
    sd["extra.special"] = torch.tensor([float("inf"), float("-inf"), float("nan"), -0.0])
    sd["extra.transposed"] = base.t()                      # strides (1, 4): not contiguous
    sd["extra.slice"] = grid[1:4, 2:5]                     # storage offset 8, strides (6, 1)
    sd["extra.shared_a"] = shared[:3]                       # both views share one storage
    sd["extra.shared_b"] = shared[3:].view(2, 2)
    sd["extra.scalar"] = torch.tensor(2.75)
    sd["extra.empty"] = torch.zeros(0, 3)
    sd["extra.int32"] = torch.tensor([-2147483648, 2147483647, 5], dtype=torch.int32)
    sd["extra.int16"] = torch.tensor([-32768, 32767], dtype=torch.int16)
    sd["extra.int8"] = torch.tensor([-128, 127], dtype=torch.int8)
    sd["extra.uint8"] = torch.tensor([0, 255], dtype=torch.uint8)
    sd["extra.bool"] = torch.tensor([True, False, True])
    sd["extra.int64"] = torch.tensor([-(2 ** 40), 2 ** 53], dtype=torch.int64)
    return sd


def expected(sd):
    out = {}
    for k, v in sd.items():
        t = v.detach()
        bits = t.contiguous().to(torch.float32).reshape(-1).numpy().view(np.uint32)
        out[k] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "f32_bits": [int(b) for b in bits]}
    return out


def write_safetensors(path, sd):
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for k, v in sd.items():
        t = v.detach().contiguous()
        b = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[k] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# GLOBAL 'os system', then REDUCE with ('echo pwned',): what a hostile checkpoint looks like.
EVIL_PICKLE = b"\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def fixed_time(name, compression=zipfile.ZIP_STORED):
    """A ZipInfo dated like PyTorch's entries, so rerunning this script gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    return info


def write_malicious_zip(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(fixed_time("malicious/data.pkl"), EVIL_PICKLE)
        z.writestr(fixed_time("malicious/version"), "3\n")


def rezip(src, dst, compression, zip64_limit=None):
    """Copies a torch zip entry by entry; a tiny ZIP64_LIMIT makes zipfile emit zip64 extra fields."""
    saved = zipfile.ZIP64_LIMIT
    if zip64_limit is not None:
        zipfile.ZIP64_LIMIT = zip64_limit
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
            for info in zin.infolist():
                zout.writestr(fixed_time(info.filename, compression), zin.read(info.filename))
    finally:
        zipfile.ZIP64_LIMIT = saved


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = state_dict()
    torch.save(sd, os.path.join(OUT, "small_zip.pth"))
    torch.save(sd, os.path.join(OUT, "small_legacy.pth"), _use_new_zipfile_serialization=False)
    rezip(os.path.join(OUT, "small_zip.pth"), os.path.join(OUT, "small_deflated.pth"), zipfile.ZIP_DEFLATED)
    rezip(os.path.join(OUT, "small_zip.pth"), os.path.join(OUT, "small_zip64.pth"), zipfile.ZIP_STORED, zip64_limit=16)
    wrapped = OrderedDict(("module." + k, v) for k, v in list(sd.items())[:6])
    torch.save({"epoch": 3, "best_acc": 0.5, "state_dict": wrapped}, os.path.join(OUT, "small_wrapped.pth"))
    write_safetensors(os.path.join(OUT, "small_state.safetensors"), sd)
    write_malicious_zip(os.path.join(OUT, "malicious.pth"))
    torch.save({"x": Evil()}, os.path.join(OUT, "malicious_legacy.pth"), _use_new_zipfile_serialization=False)
    rows = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in expected(sd).items())
    unwrapped = json.dumps([k[len("module."):] for k in wrapped])
    with open(os.path.join(OUT, "small_expected.json"), "w") as f:  # one tensor per line, for diffs
        f.write(f'{{\n "wrapped": {unwrapped},\n "tensors": {{\n{rows}\n }}\n}}\n')
    # Check the fixtures load back in PyTorch itself (the malicious ones are not loaded).
    # small_zip64.pth is valid ZIP (Python reads it) but miniz refuses zip64 fields on tiny entries.
    for name in ["small_zip.pth", "small_legacy.pth", "small_deflated.pth"]:
        back = torch.load(os.path.join(OUT, name))
        assert all(torch.equal(back[k].detach(), v.detach()) or k == "extra.special" for k, v in sd.items()), name
    sizes = {n: os.path.getsize(os.path.join(OUT, n)) for n in sorted(os.listdir(OUT))}
    print(json.dumps(sizes, indent=1), "total", sum(sizes.values()))


if __name__ == "__main__":
    main()
