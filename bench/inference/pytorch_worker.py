"""PyTorch as a benchmarked stack (the native anchor), speaking protocol.ts as marked JSON lines:
   python3 bench/inference/pytorch_worker.py [--device cpu|cuda] [--threads N] [--cuda-graph]
Runs converter/reference/pixel_model.py, the synthetic network behind the same NHWC [0, 255] input
as the converted TF.js model, in fp32: TF32 is switched off on CUDA, since WebGPU computes in fp32.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "converter", "reference"))
from pixel_model import pixel_model  # noqa: E402

SEED_A = os.path.join(HERE, "..", "..", "test", "fixtures", "seedA", "images_u8_nhwc_4x299x299x3.bin")
MARKER = "@@bench "
MB = 1e6


class Stack:
    def __init__(self, args):
        self.device = torch.device(args.device)
        self.graph = args.cuda_graph
        self.model = None
        self.inputs = {}
        self.graphs = {}
        seed = np.fromfile(SEED_A, dtype=np.uint8).reshape(4, 299, 299, 3)
        self.seed = torch.from_numpy(seed.astype(np.float32))

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    def input(self, batch):
        if batch not in self.inputs:
            picks = [self.seed[i % 4] for i in range(batch)]
            self.inputs[batch] = torch.stack(picks).to(self.device)
        return self.inputs[batch]

    def captured(self, batch):
        """A CUDA graph of one forward pass at `batch`, replayed on a static input."""
        if batch not in self.graphs:
            static_in = self.input(batch)
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side), torch.inference_mode():
                for _ in range(3):
                    self.model(static_in)
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph), torch.inference_mode():
                static_out = self.model(static_in)
            self.graphs[batch] = (graph, static_out)
        return self.graphs[batch]

    def infer(self, batch):
        """One forward pass, the logits read back to the host as the browser stacks do."""
        if self.graph:
            graph, out = self.captured(batch)
            graph.replay()
            return out.cpu().numpy()
        with torch.inference_mode():
            return self.model(self.input(batch)).cpu().numpy()

    def info(self):
        name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        return {"stack": "PyTorch", "torch": torch.__version__, "backend": self.device.type, "device": name,
                "threads": torch.get_num_threads(), "cudaGraph": self.graph, "tf32": False}

    def load(self):
        started = time.perf_counter()
        self.model = pixel_model().to(self.device)
        built = time.perf_counter()
        self.infer(1)
        self.sync()
        cold = time.perf_counter() - built
        # The weights are generated in process, so there is no load to compare with the others.
        return {"loads": [], "coldFirstMs": cold * 1e3, "detail": {"buildMs": (built - started) * 1e3}}

    def logits(self):
        return self.infer(1)[0].tolist()

    def run(self, batch):
        self.input(batch)
        self.sync()
        started = time.perf_counter()
        self.infer(batch)
        return (time.perf_counter() - started) * 1e3

    def peakBackendMB(self, batch):
        if self.device.type != "cuda":
            return None
        torch.cuda.reset_peak_memory_stats(self.device)
        self.infer(batch)
        return torch.cuda.max_memory_allocated(self.device) / MB

    def memory(self):
        # ru_maxrss is in KiB on Linux.
        return {"rssPeakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB}


def serve(stack, request):
    try:
        method = getattr(stack, request["op"])
        value = method(request.get("batch", 1)) if request["op"] in ("run", "peakBackendMB") else method()
        return {"ok": True, "value": value}
    except Exception as error:  # the driver reports it with the stack's name
        return {"ok": False, "error": repr(error)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cuda-graph", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    stack = Stack(args)
    for line in sys.stdin:
        if line.startswith(MARKER):
            print(MARKER + json.dumps(serve(stack, json.loads(line[len(MARKER):]))), flush=True)


if __name__ == "__main__":
    main()
