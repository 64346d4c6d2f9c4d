#!/usr/bin/env python3
"""The PyTorch side of LabelNoise's TorchScript tests (tests/LabelNoise.Tests/Models/TorchScriptModelTests.cs).

One JSON argument, one JSON line out. Modes:
  make     {"kind", "model", "data", "n", "seed", "probes", "probe_file"}: builds the module of "kind"
           (convgn: conv + GroupNorm net on 1×8×8 images, 3 classes; transformer: one attention + LayerNorm block on 4×6
           sequences, 3 classes; tiny: a 2-4-3 tanh net on 2 features; regression: a 3-5-1 tanh net with a float target),
           seeded, scripts it with torch.jit.script and saves it to "model"; saves {"x", "y"} (n examples) with torch.save to
           "data"; writes "probes" Rademacher vectors (in named_parameters order, one per line, comma-separated) to
           "probe_file"; prints the parameter names, and in float64 and float32 the loss, the gradient norm and the
           Hutchinson trace with those probes (double backward), and for tiny the dense Hessian's trace
           (torch.autograd.functional.hessian). A kind ending in "-traced" saves torch.jit.trace's module instead;
           two-arguments: a module whose forward takes two tensors.
  outputs  {"model", "state_dict", "data"}: loads "model", then "state_dict" (e.g. written by `labelnoise export`) into
           it, and prints its outputs on the data's x (float64, flattened).
Loss: mean cross entropy for int64 labels; mean 1/2 (f(x) - y)^2 for float targets.
"""
import json
import sys

import torch
import torch.nn as nn


class ConvGroupNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.norm = nn.GroupNorm(2, 4)
        self.head = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        h = torch.relu(self.norm(self.conv(x)))
        h = nn.functional.avg_pool2d(h, 2)
        return self.head(h.flatten(1))


class TransformerBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = nn.MultiheadAttention(6, 2, batch_first=True)
        self.norm1 = nn.LayerNorm(6)
        self.mlp = nn.Sequential(nn.Linear(6, 8), nn.GELU(), nn.Linear(8, 6))
        self.norm2 = nn.LayerNorm(6)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        a, _ = self.attention(x, x, x, need_weights=False)
        h = self.norm1(x + a)
        h = self.norm2(h + self.mlp(h))
        return self.head(h.mean(1))


class Tiny(nn.Module):
    def __init__(self, inputs=2, hidden=4, outputs=3):
        super().__init__()
        self.hidden = nn.Linear(inputs, hidden)
        self.out = nn.Linear(hidden, outputs)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


class TwoArguments(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 3)

    def forward(self, x, y):
        return self.linear(x) + y


def build(kind, n, generator):
    if kind == "convgn":
        return ConvGroupNorm(), torch.rand(n, 1, 8, 8, generator=generator), torch.randint(0, 3, (n,), generator=generator)
    if kind == "transformer":
        return TransformerBlock(), torch.randn(n, 4, 6, generator=generator), torch.randint(0, 3, (n,), generator=generator)
    if kind == "tiny":
        return Tiny(), torch.randn(n, 2, generator=generator), torch.randint(0, 3, (n,), generator=generator)
    if kind == "regression":
        return Tiny(3, 5, 1), torch.randn(n, 3, generator=generator), torch.randn(n, generator=generator)
    if kind == "two-arguments":
        return TwoArguments(), torch.randn(n, 2, generator=generator), torch.randint(0, 3, (n,), generator=generator)
    raise ValueError(f"unknown kind {kind}")


def loss_of(model, x, y):
    out = model(x)
    if y.dtype == torch.int64:
        return nn.functional.cross_entropy(out, y)
    return 0.5 * ((out.reshape(-1) - y) ** 2).mean()


def measure(model, x, y, probes):
    params = list(model.parameters())
    loss = loss_of(model, x, y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in grads])
    samples = []
    for v in probes:
        v = v.to(flat.dtype)
        vg = (flat * v).sum()
        hv = torch.autograd.grad(vg, params, retain_graph=True)
        samples.append(float((torch.cat([h.reshape(-1) for h in hv]) * v).sum()))
    return float(loss), float(flat.norm()), sum(samples) / len(samples)


def dense_trace(model, x, y):
    names = [name for name, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]
    flat0 = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def f(flat):
        offset, values = 0, {}
        for name, shape, size in zip(names, shapes, sizes):
            values[name] = flat[offset:offset + size].reshape(shape)
            offset += size
        out = torch.nn.utils.stateless.functional_call(model, values, (x,))
        return nn.functional.cross_entropy(out, y)

    return float(torch.autograd.functional.hessian(f, flat0).diagonal().sum())


def make(request):
    generator = torch.Generator().manual_seed(request["seed"])
    torch.manual_seed(request["seed"])
    model, x, y = build(request["kind"].removesuffix("-traced"), request["n"], generator)
    scripted = torch.jit.trace(model, x[:2]) if request["kind"].endswith("-traced") else torch.jit.script(model)
    scripted.save(request["model"])
    torch.save({"x": x, "y": y}, request["data"])
    count = sum(p.numel() for p in model.parameters())
    probes = [torch.randint(0, 2, (count,), generator=generator).double() * 2 - 1 for _ in range(request["probes"])]
    with open(request["probe_file"], "w") as f:
        for v in probes:
            f.write(",".join(str(int(a)) for a in v.tolist()) + "\n")
    result = {"names": [name for name, _ in model.named_parameters()], "parameters": count}
    if request["kind"] == "two-arguments":
        print(json.dumps(result))
        return
    for dtype, suffix in ((torch.float64, "64"), (torch.float32, "32")):
        m = torch.jit.load(request["model"]).to(dtype)
        xx = x.to(dtype)
        yy = y if y.dtype == torch.int64 else y.to(dtype)
        loss, grad_norm, trace = measure(m, xx, yy, probes)
        result["loss" + suffix], result["grad_norm" + suffix], result["trace" + suffix] = loss, grad_norm, trace
    if request["kind"] == "tiny":
        result["dense_trace"] = dense_trace(model.double(), x.double(), y)
    print(json.dumps(result))


def outputs(request):
    model = torch.jit.load(request["model"])
    model.load_state_dict(torch.load(request["state_dict"]))
    x = torch.load(request["data"])["x"]
    with torch.no_grad():
        out = model(x.to(next(model.parameters()).dtype)).double().reshape(-1)
    print(json.dumps({"outputs": out.tolist()}))


if __name__ == "__main__":
    request = json.loads(sys.argv[1])
    {"make": make, "outputs": outputs}[request.pop("mode")](request)
