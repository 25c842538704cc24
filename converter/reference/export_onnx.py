#!/usr/bin/python3
"""Exports the synthetic Inception V3 (pixel_model.py) to ONNX for the peer benchmarks. Dev-only:
   /usr/bin/python3 converter/reference/export_onnx.py OUT.onnx
Input 'pixels' [batch, 299, 299, 3] float32 in [0, 255], output 'logits' [batch, 1000]; the batch
axis is dynamic so one file serves every batch size.
"""
import sys

import torch

from pixel_model import pixel_model


def main(out):
    model = pixel_model()
    example = torch.zeros(1, 299, 299, 3)
    with torch.no_grad():
        torch.onnx.export(model, example, out, input_names=["pixels"], output_names=["logits"],
                          dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
