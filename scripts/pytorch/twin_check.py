#!/usr/bin/env python3
"""The PyTorch side of LabelNoise's state_dict tests (tests/LabelNoise.Tests/Models/PyTorchStateDictTests.cs).

One JSON argument, one JSON line out. Modes:
  layout  {"models": [{"spec", "shape", "outputs"}, ...]}: each twin's state_dict names and shapes, in order.
  save    {"spec", "csv", "seed", "probes", "model", "probe_file"}: builds the twin for the regression data
          in csv (a header, then features and target per row), seeded; saves its state_dict to "model", "probes" Rademacher
          vectors (in state_dict order) to "probe_file"; prints its loss, gradient norm and Hutchinson trace
          (and with "not_state_dict": a path, saves there a list of the tensors: a .pt that is not a state_dict).
  load    {"spec", "csv", "model", "probe_file"}: loads "model" (e.g. written by `labelnoise export`) into the
          twin and prints the same three numbers with the probes of "probe_file".
Loss: L = mean 1/2 (f(x) - y)^2; trace: mean over the probes of v^T (Hessian of L) v, by double backward.
"""
import json
import sys

import numpy as np
import torch

import labelnoise_models


def measure(model, x, y, probes):
    params = [p for p in model.parameters()]
    loss = 0.5 * ((model(x).reshape(-1) - y) ** 2).mean()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in grads])
    values = []
    for v in probes:
        v = torch.as_tensor(v, dtype=flat.dtype)
        hv = torch.autograd.grad(flat @ v, params, retain_graph=True)
        values.append(float(torch.cat([h.reshape(-1) for h in hv]).double() @ v.double()))
    return {"loss": float(loss), "grad_norm": float(flat.detach().double().norm()),
            "trace": float(np.mean(values)) if values else None, "probe_values": values}


def data(path, dtype):
    table = np.loadtxt(path, delimiter=",", ndmin=2, skiprows=1)
    return torch.as_tensor(table[:, :-1], dtype=dtype), torch.as_tensor(table[:, -1], dtype=dtype)


def main(request):
    torch.set_num_threads(1)
    mode = request["mode"]
    if mode == "layout":
        layouts = []
        for m in request["models"]:
            state = labelnoise_models.build(m["spec"], m["shape"], m["outputs"]).state_dict()
            layouts.append({"names": list(state.keys()), "shapes": [list(t.shape) for t in state.values()]})
        return {"layouts": layouts}
    torch.manual_seed(request.get("seed", 0))
    features = len(open(request["csv"]).readline().split(",")) - 1
    model = labelnoise_models.build(request["spec"], [features], 1)
    dtype = next(model.parameters()).dtype
    x, y = data(request["csv"], dtype)
    count = sum(p.numel() for p in model.parameters())
    if mode == "save":
        generator = torch.Generator().manual_seed(request.get("seed", 0) + 1)
        probes = (torch.randint(0, 2, (request["probes"], count), generator=generator) * 2 - 1).double()
        np.savetxt(request["probe_file"], probes.numpy(), fmt="%d", delimiter=",")
        torch.save(model.state_dict(), request["model"])
        if "not_state_dict" in request:
            torch.save([t for t in model.state_dict().values()], request["not_state_dict"])
    else:
        model.load_state_dict(torch.load(request["model"]))
        probes = torch.as_tensor(np.loadtxt(request["probe_file"], delimiter=",", ndmin=2))
    result = measure(model, x, y, probes)
    result["parameters"] = count
    return result


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
