#!/usr/bin/env python3
"""PyTorch peer of `labelnoise bench`'s quadratic workloads: quadratic-step (one step of Algorithm 1
on f = <u⊙u − v⊙v, x>, d = 100, n = 40, B = 1, float64, ±σ label noise) and quadratic-run (that many
steps end to end: data, model, the loop, the final recovery error).

Written as a PyTorch user would: autograd for the gradient, an in-place SGD update, Python's
`random` for the index and the noise sign (cheaper per call than torch.randint on one element).
"""
import random

import common


def main(request):
    import torch

    torch.set_num_threads(request["threads"])
    seed = request["seed"]
    d, n, r = request["features"], request["examples"], request["support"]
    lr, sigma = request["learning_rate"], request["noise_std"]
    plans = request["plans"]
    truth = torch.zeros(d, dtype=torch.float64)
    truth[:r] = 1

    class Problem:
        def __init__(self):
            generator = torch.Generator().manual_seed(seed + 1)
            self.x = torch.randn(n, d, generator=generator, dtype=torch.float64)
            self.y = self.x @ truth
            self.u = torch.ones(d, dtype=torch.float64, requires_grad=True)
            self.v = torch.zeros(d, dtype=torch.float64, requires_grad=True)
            self.random = random.Random(seed)

        def step(self):
            i = self.random.randrange(n)
            noisy = self.y[i] + (sigma if self.random.random() < 0.5 else -sigma)
            f = torch.dot(self.u * self.u - self.v * self.v, self.x[i])
            loss = 0.5 * (f - noisy) ** 2
            grad_u, grad_v = torch.autograd.grad(loss, (self.u, self.v))
            with torch.no_grad():
                self.u.sub_(grad_u, alpha=lr)
                self.v.sub_(grad_v, alpha=lr)
            return loss

        def recovery_error(self):
            with torch.no_grad():
                return ((self.u * self.u - self.v * self.v - truth) ** 2).sum().item()

        def train_loss(self):
            with torch.no_grad():
                return (0.5 * (self.x @ (self.u * self.u - self.v * self.v) - self.y) ** 2).mean().item()

    def quadratic_step():
        problem = Problem()
        samples = common.timed(problem.step, plans["quadratic-step"])
        if not problem.recovery_error() < float("inf"):
            raise RuntimeError("the quadratic steps diverged")
        return {"samples_ms": samples}

    def quadratic_run():
        outcome = {}

        def run():
            problem = Problem()
            for _ in range(request["run_steps"]):
                problem.step()
            outcome["recovery_error"] = problem.recovery_error()
            outcome["train_loss"] = problem.train_loss()

        samples = common.timed(run, plans["quadratic-run"])
        return dict(outcome, samples_ms=samples)

    return {
        "environment": common.environment(torch),
        "workloads": common.run_workloads(request["workloads"], {"quadratic-step": quadratic_step, "quadratic-run": quadratic_run}),
    }


if __name__ == "__main__":
    common.main(main)
