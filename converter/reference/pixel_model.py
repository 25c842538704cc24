"""The synthetic Inception V3 behind the input contract of the converted TF.js model.

TF.js graphs take NHWC pixels in [0, 255] and normalise inside the graph; torchvision's model takes
normalised NCHW. Peers (ONNX Runtime, PyTorch) get this wrapper so every stack is handed the same
array and does the same work.
"""
import torch

from synthetic_inception import build_model


class PixelInception(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixels):
        # contiguous(): the anchor runs PyTorch's default NCHW kernels, not channels_last ones.
        x = pixels.permute(0, 3, 1, 2).contiguous()
        return self.model(x / 127.5 - 1.0)


def pixel_model():
    """NHWC float pixels [N, 299, 299, 3] in [0, 255] -> logits [N, 1000], eval mode."""
    model, _ = build_model()
    return PixelInception(model).eval()
