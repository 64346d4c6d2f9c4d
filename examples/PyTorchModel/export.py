#!/usr/bin/env python3
"""Your own PyTorch model in LabelNoise: a small conv net with GroupNorm, scripted, and its data as tensors.

    python3 export.py OUT_FOLDER [N]

writes OUT_FOLDER/model.pt (TorchScript) and OUT_FOLDER/data.pt ({"x", "y", "x_test", "y_test"}): N random 1×8×8
images in 3 classes whose label is the brightest third of the image, and as many test images. Then
(run.sh does this):

    labelnoise train   --model torchscript:OUT/model.pt --data tensors:OUT/data.pt --noise flip:0.2 --lr 0.1 --batch 16 --steps 2000 --out OUT/run
    labelnoise measure --checkpoint OUT/run
"""
import os
import sys

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.norm = nn.GroupNorm(2, 8)
        self.head = nn.Linear(8 * 4 * 4, 3)

    def forward(self, x):
        h = torch.relu(self.norm(self.conv(x)))
        return self.head(nn.functional.avg_pool2d(h, 2).flatten(1))


def images(n, generator):
    x = torch.rand(n, 1, 8, 8, generator=generator)
    thirds = x[:, 0, :, :].tensor_split(3, dim=1)                         # rows 0–2, 3–5, 6–7
    y = torch.stack([part.mean((1, 2)) for part in thirds], 1).argmax(1)   # the brightest third of the rows
    return x, y


if __name__ == "__main__":
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    x, y = images(n, generator)
    x_test, y_test = images(n, generator)
    torch.jit.script(Net()).save(os.path.join(out, "model.pt"))                            # the model
    torch.save({"x": x, "y": y, "x_test": x_test, "y_test": y_test}, os.path.join(out, "data.pt"))  # its data
    print(f"wrote {out}/model.pt and {out}/data.pt ({n} training and {n} test images)")
