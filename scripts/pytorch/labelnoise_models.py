"""PyTorch twins of the LabelNoise model zoo, with the same state_dict names and shapes.

A state_dict saved from one of these loads into `labelnoise train --init FILE.pt`,
`measure --params FILE.pt` and `measure --checkpoint FILE.pt`; one written by
`labelnoise export RUN --format pt` loads with `model.load_state_dict(torch.load(FILE))`.

    model           names (shapes)
    linear          theta (d)                                                  float64
    quadratic       u (d), v (d)                   f = <u*u - v*v, x>           float64
    mlp:W1,...,Wk   layers.linear{i}.weight (W_i, W_{i-1}), layers.linear{i}.bias (W_i),
                    layers.head.weight (C, W_k), layers.head.bias (C)
    cnn[:w]         layers.conv1.*, layers.conv2.*, layers.fc.*, layers.head.*
    resnet18        body.conv1.weight, body.norm1.{weight,bias},
                    body.layer{s}_{b}.{conv1,norm1,conv2,norm2}.*, body.layer{s}_0.shortcut.{0,1}.* (s > 1),
                    body.fc.{weight,bias}   (GroupNorm, 32 channels per group: no running statistics)
"""
from collections import OrderedDict

import torch
from torch import nn


class Linear(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.theta = nn.Parameter(torch.zeros(features, dtype=torch.float64))

    def forward(self, x):
        return x @ self.theta


class Quadratic(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.u = nn.Parameter(torch.ones(features, dtype=torch.float64))
        self.v = nn.Parameter(torch.zeros(features, dtype=torch.float64))

    def forward(self, x):
        return x @ (self.u * self.u - self.v * self.v)


class Mlp(nn.Module):
    def __init__(self, inputs, widths, outputs, activation="relu"):
        super().__init__()
        act = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh}[activation]
        layers = [("flatten", nn.Flatten())]
        previous = inputs
        for i, width in enumerate(widths):
            layers += [(f"linear{i}", nn.Linear(previous, width)), (f"act{i}", act())]
            previous = width
        layers.append(("head", nn.Linear(previous, outputs)))
        self.layers = nn.Sequential(OrderedDict(layers))

    def forward(self, x):
        return self.layers(x)


class SmallCnn(nn.Module):
    def __init__(self, channels, height, width, classes, base_width=32):
        super().__init__()
        flat = 2 * base_width * (height // 4) * (width // 4)
        self.layers = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(channels, base_width, 3, padding=1)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(base_width, 2 * base_width, 3, padding=1)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(flat, 4 * base_width)), ("relu3", nn.ReLU()),
            ("head", nn.Linear(4 * base_width, classes))]))

    def forward(self, x):
        return self.layers(x)


def _norm(channels):
    return nn.GroupNorm(channels // 32, channels)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.norm1 = _norm(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.norm2 = _norm(planes)
        self.shortcut = None
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False), _norm(planes))

    def forward(self, x):
        y = torch.relu(self.norm1(self.conv1(x)))
        y = self.norm2(self.conv2(y))
        return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet18(nn.Module):
    """The paper's CIFAR variant: 3x3 stride-1 first conv, no max-pool, GroupNorm."""

    def __init__(self, channels, classes):
        super().__init__()
        modules = [("conv1", nn.Conv2d(channels, 64, 3, stride=1, padding=1, bias=False)), ("norm1", _norm(64)), ("relu", nn.ReLU())]
        in_planes = 64
        for stage, planes in enumerate([64, 128, 256, 512]):
            for block in range(2):
                stride = 2 if stage > 0 and block == 0 else 1
                modules.append((f"layer{stage + 1}_{block}", BasicBlock(in_planes, planes, stride)))
                in_planes = planes
        modules += [("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(512, classes))]
        self.body = nn.Sequential(OrderedDict(modules))

    def forward(self, x):
        return self.body(x)


def build(spec, sample_shape, outputs):
    """The twin of `--model SPEC` for samples of `sample_shape` (features, or channels x height x width)."""
    kind, _, args = spec.partition(":")
    features = 1
    for s in sample_shape:
        features *= s
    if kind == "linear":
        return Linear(features)
    if kind == "quadratic":
        return Quadratic(features)
    if kind == "mlp":
        parts = [a.strip() for a in args.split(",")]
        activation = next((a for a in parts if a in ("relu", "gelu", "tanh")), "relu")
        return Mlp(features, [int(a) for a in parts if a not in ("relu", "gelu", "tanh")], outputs, activation)
    if kind == "cnn":
        return SmallCnn(sample_shape[0], sample_shape[1], sample_shape[2], outputs, int(args) if args else 32)
    if kind == "resnet18":
        return ResNet18(sample_shape[0], outputs)
    raise ValueError(f"unknown model {spec}")
