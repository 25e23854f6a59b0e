"""PyTorch side of `deno task bench training`: the same two workloads, timed.

The networks, batch sizes, losses and optimisers are those of
tasks/bench/training.ts (the paper's MNIST net with SGD and momentum; the
discovery INR at the paper's batch of 4096 with Adamax). The data are random
tensors of the same shapes: a step's time does not depend on the values.

Usage: python3 tasks/bench/pytorch_training.py --threads N [--steps S]
Prints one JSON object per workload: {"workload", "threads", "torch",
"blas", "msPerStep"}, the median over S timed steps after 5 warm-up steps.
"blas" names the BLAS library the process loaded: Debian's torch calls the
system's libblas.so.3, which is the slow reference BLAS unless an optimised
one (apt-get install libopenblas0-pthread) is installed; it decides the
matrix products' speed tenfold.
"""

import argparse
import json
import statistics
import time

import torch
from torch import nn


class Sine(nn.Module):
    def forward(self, x):
        return torch.sin(x)


def mnist_net():
    return nn.Sequential(
        nn.Conv2d(1, 10, 5), nn.AvgPool2d(2), nn.Tanh(),
        nn.Conv2d(10, 20, 5), nn.AvgPool2d(2), nn.Tanh(),
        nn.Flatten(), nn.Linear(320, 50), nn.Tanh(), nn.Linear(50, 10),
    )


def inr():
    return nn.Sequential(
        nn.Linear(2, 64), Sine(), nn.Linear(64, 64), Sine(),
        nn.Linear(64, 64), Sine(), nn.Linear(64, 1),
    )


WORKLOADS = {
    "mnist": lambda: (
        mnist_net(),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
        nn.CrossEntropyLoss(),
        torch.rand(64, 1, 28, 28),
        torch.randint(0, 10, (64,)),
    ),
    "inr": lambda: (
        inr(),
        lambda p: torch.optim.Adamax(p, lr=0.001),
        nn.MSELoss(),
        torch.rand(4096, 2) * 2 - 1,
        torch.rand(4096, 1),
    ),
}


def time_steps(name, steps):
    torch.manual_seed(0)
    net, make_opt, loss_fn, x, y = WORKLOADS[name]()
    opt = make_opt(net.parameters())

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(5):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def blas_library():
    """Which BLAS this process loaded: openblas, mkl or the reference one."""
    torch.rand(64, 64) @ torch.rand(64, 64)
    with open("/proc/self/maps") as maps:
        text = maps.read().lower()
    for name in ("openblas", "mkl", "blis"):
        if name in text:
            return name
    return "reference BLAS" if "libblas" in text else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    blas = blas_library()
    for name in WORKLOADS:
        ms = time_steps(name, args.steps)
        print(json.dumps({"workload": name, "threads": args.threads,
                          "torch": torch.__version__, "blas": blas,
                          "msPerStep": ms}))


if __name__ == "__main__":
    main()
