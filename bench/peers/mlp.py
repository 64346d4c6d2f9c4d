#!/usr/bin/env python3
"""PyTorch peer of `labelnoise bench`'s MLP workloads: mlp-step, mlp-hvp (and one gradient),
mlp-trace and slq-regularizer, plus the reference matmul and a report of the BLAS in use.

Each workload is written as a PyTorch user would (PyHessian's Hessian-vector product:
autograd.grad of the retained gradient with grad_outputs=v), float32, with
torch.set_num_threads(threads). The data are random images (timing does not depend on pixel values).
The caller puts OpenBLAS first on LD_LIBRARY_PATH; which BLAS this process really loaded is read
from /proc/self/maps after the matmul and reported with the matmul's GFLOP/s.
"""
import math
import os
import re
import time

import common


def numpy_fromfile(path, dtype):
    import numpy
    return numpy.fromfile(path, dtype=dtype)


def lanczos_run(apply, basis, start, m):
    """m Lanczos steps of the operator `apply` from `start` with full reorthogonalization (twice), the
    vectors kept in the rows of `basis`; returns the Ritz values, T's eigenvectors and the steps taken."""
    import torch
    basis[0] = start / start.norm()
    alphas, betas = [], []
    scale = 0.0
    for j in range(m):
        w = apply(basis[j])
        alpha = torch.dot(basis[j], w).item()
        w -= alpha * basis[j]
        if j > 0:
            w -= betas[j - 1] * basis[j - 1]
        for _ in range(2):
            c = basis[:j + 1] @ w
            w -= basis[:j + 1].T @ c
            alpha += c[j].item()
        alphas.append(alpha)
        beta = w.norm().item()
        scale = max(scale, abs(alpha) + beta + (betas[j - 1] if j > 0 else 0.0))
        if beta <= 1e-10 * scale or j == m - 1:
            break
        betas.append(beta)
        basis[j + 1] = w / beta
    k = len(alphas)
    t = torch.diag(torch.tensor(alphas, dtype=torch.float64))
    if k > 1:
        off = torch.tensor(betas[:k - 1], dtype=torch.float64)
        t += torch.diag(off, 1) + torch.diag(off, -1)
    values, vectors = torch.linalg.eigh(t)
    return values, vectors, k


def regularizer_term(eta, x):
    """r(x) = −log(1 − ηx/2)/(2η), +∞ at and beyond the stability limit."""
    u = eta * x / 2
    return math.inf if u >= 1 else -math.log1p(-u) / (2 * eta)


def main(request):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(request["threads"])
    seed = request["seed"]
    plans = request["plans"]
    generator = torch.Generator().manual_seed(seed)
    n, batch, p = request["examples"], request["batch_size"], request["flip_probability"]
    classes = 10
    images = torch.rand(n, 1, 28, 28, generator=generator)
    labels = torch.arange(n) % classes

    def make_mlp():
        torch.manual_seed(seed)  # this process's own global generator: initialization only
        return torch.nn.Sequential(
            torch.nn.Flatten(),
            torch.nn.Linear(784, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, classes))

    def smoothed_loss(model):
        """Smoothed cross entropy at flip probability p, averaged over the examples (as TorchObjective)."""
        log_p = F.log_softmax(model(images), 1)
        on_true = log_p.gather(1, labels.unsqueeze(1)).squeeze(1)
        other = p / (classes - 1)
        return -((1 - p - other) * on_true + other * log_p.sum(1)).sum() / n

    # The reference matmul, and which BLAS did it.
    size = request["matmul_size"]
    a = torch.rand(size, size, generator=generator) * 2 - 1
    b = torch.rand(size, size, generator=generator) * 2 - 1
    matmul_samples = common.timed(lambda: torch.mm(a, b), plans["matmul"])
    matmul_gflops = 2.0 * size ** 3 / (common.median(matmul_samples) * 1e6)
    libraries = common.loaded_libraries("blas", "lapack", "mkl", "dnnl")
    openblas = [path for path in libraries if "openblas" in path]
    if openblas:
        blas = "OpenBLAS (%s)" % os.path.basename(os.path.dirname(openblas[0]))
    elif any("mkl" in path for path in libraries):
        blas = "MKL"
    elif any("libblas" in path for path in libraries):
        blas = "reference BLAS (netlib)"
    else:
        blas = "unknown"
    config = re.findall(r"\b(?:BLAS_INFO|LAPACK_INFO)=[^,\s]*", torch.__config__.show())
    environment = common.environment(torch)
    environment["blas"] = blas
    environment["blas_libraries"] = libraries
    environment["blas_check"] = (
        "BLAS libraries mapped into the peer process (/proc/self/maps) after a %d×%d float32 matmul at %.1f GFLOP/s: %s; torch.__config__.show(): %s"
        % (size, size, matmul_gflops, ", ".join(libraries) or "none", ", ".join(config) or "no BLAS line"))
    del a, b

    def noisy_batch(batch, step_generator):
        """B indices with replacement and their labels, each flipped with probability p to one of the others."""
        index = torch.randint(n, (batch,), generator=step_generator)
        clean = labels[index]
        flip = torch.rand(batch, generator=step_generator) < p
        other = torch.randint(classes - 1, (batch,), generator=step_generator)
        return index, torch.where(flip, other + (other >= clean).long(), clean)

    def mlp_step(batch=batch, plan="mlp-step"):
        model = make_mlp()
        parameters = list(model.parameters())
        lr = request["learning_rate"]
        step_generator = torch.Generator().manual_seed(seed)

        def step():
            index, noisy = noisy_batch(batch, step_generator)
            loss = F.cross_entropy(model(images[index]), noisy, reduction="sum") / batch
            model.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():
                for parameter in parameters:
                    parameter.add_(parameter.grad, alpha=-lr)
            return loss.item()

        return common.timed(step, plans[plan])

    def fused_step(batch, plan):
        """The same step written out by hand (no autograd): forward with addmm, the cross-entropy signal
        softmax − onehot, and each layer's W.addmm_(gᵀ, a, alpha=−η) done right after the product that
        carries the signal on, so that every update lands in place and nothing is allocated for gradients."""
        model = make_mlp()
        layers = [m for m in model if isinstance(m, torch.nn.Linear)]
        weights = [layer.weight.detach() for layer in layers]
        biases = [layer.bias.detach() for layer in layers]
        lr = request["learning_rate"]
        step_generator = torch.Generator().manual_seed(seed)
        flat = images.view(n, -1)

        def step():
            index, noisy = noisy_batch(batch, step_generator)
            inputs = [flat[index]]
            for w, b in zip(weights[:-1], biases[:-1]):
                inputs.append(torch.addmm(b, inputs[-1], w.t()).relu_())
            logits = torch.addmm(biases[-1], inputs[-1], weights[-1].t())
            log_p = torch.log_softmax(logits, 1)
            loss = -log_p.gather(1, noisy.unsqueeze(1)).sum() / batch
            signal = log_p.exp_()
            signal[torch.arange(batch), noisy] -= 1
            signal /= batch
            for l in range(len(weights) - 1, -1, -1):
                below = torch.mm(signal, weights[l]).mul_(inputs[l] > 0) if l > 0 else None
                weights[l].addmm_(signal.t(), inputs[l], alpha=-lr)
                biases[l].add_(signal.sum(0), alpha=-lr)
                signal = below
            return loss.item()

        return common.timed(step, plans[plan])

    def step_workload(batch, plan):
        return {"samples_ms": fused_step(batch, plan), "method": "hand-fused PyTorch step (no autograd; W.addmm_(gᵀ, a, alpha=−η) per layer)",
                "plain_samples_ms": mlp_step(batch, plan), "plain_method": "plain PyTorch step (autograd backward, then p.add_(p.grad, alpha=−η))"}

    def hessian_at_init():
        model = make_mlp()
        model.eval()
        parameters = list(model.parameters())
        gradient = torch.autograd.grad(smoothed_loss(model), parameters, create_graph=True)

        def hvp(vectors):
            return torch.autograd.grad(gradient, parameters, grad_outputs=vectors, retain_graph=True)
        return model, parameters, hvp

    def mlp_hvp():
        model, parameters, hvp = hessian_at_init()
        vectors = [torch.randn(q.shape, generator=generator) for q in parameters]
        samples = common.timed(lambda: hvp(vectors), plans["mlp-hvp"])
        gradient_samples = common.timed(lambda: torch.autograd.grad(smoothed_loss(model), parameters), plans["gradient"])
        gradient_ms = common.median(gradient_samples)
        return {"samples_ms": samples, "gradient_ms": gradient_ms,
                "gradient_min_ms": min(gradient_samples), "gradient_max_ms": max(gradient_samples),
                "hvp_per_gradient": common.median(samples) / gradient_ms}

    def mlp_trace():
        _, parameters, hvp = hessian_at_init()
        probes = request["trace_probes"]
        estimates = []

        def trace():
            total = 0.0
            for _ in range(probes):
                z = [torch.randint(0, 2, q.shape, generator=generator).float() * 2 - 1 for q in parameters]
                hz = hvp(z)
                total += sum((a * b).sum() for a, b in zip(z, hz)).item()
            estimates.append(total / probes)

        samples = common.timed(trace, plans["mlp-trace"])
        return {"samples_ms": samples, "trace_at_init": estimates[-1]}

    def slq_regularizer():
        """Deflated SLQ for R = Σ r(λ), r(x) = −log(1 − ηx/2)/(2η), doing the products the C# run did:
        a guard Lanczos run, one quadrature per deflation vector, then the same number of probes."""
        slq = request["slq"]
        eta, steps, guard = slq["learning_rate"], slq["lanczos_steps"], slq["guard_steps"]
        _, parameters, hvp = hessian_at_init()
        shapes = [q.shape for q in parameters]
        sizes = [q.numel() for q in parameters]
        dimension = sum(sizes)
        basis = torch.empty(max(steps, guard) + 1, dimension, dtype=torch.float64)
        products = [0]

        def apply(v):
            parts = [piece.view(shape).float() for piece, shape in zip(torch.split(v, sizes), shapes)]
            products[0] += 1
            return torch.cat([h.reshape(-1) for h in hvp(parts)]).double()

        def lanczos(start, m):
            return lanczos_run(apply, basis, start, m)

        r = lambda x: regularizer_term(eta, x)

        def quadrature(start):
            values, vectors, _ = lanczos(start, steps)
            weights = vectors[0] ** 2 * torch.dot(start, start).item()
            return sum(w * r(x) for w, x in zip(weights.tolist(), values.tolist()))

        estimates = []

        def run():
            products[0] = 0
            probe_generator = torch.Generator().manual_seed(seed + 1)
            rademacher = lambda: torch.randint(0, 2, (dimension,), generator=probe_generator).double() * 2 - 1
            values, vectors, k = lanczos(rademacher(), guard)
            count = min(slq["deflation_vectors"], k)
            q = None
            deflated = 0.0
            if count > 0:
                ritz = basis[:k].T @ vectors[:, -count:]
                q, _ = torch.linalg.qr(ritz)
                for column in q.T:
                    deflated += quadrature(column.contiguous())
            samples = []
            for _ in range(slq["probes"]):
                z = rademacher()
                if q is not None:
                    z -= q @ (q.T @ z)
                samples.append(quadrature(z))
            estimates.append(deflated + sum(samples) / max(1, len(samples)))

        samples = common.timed(run, plans["slq-regularizer"])
        # At initialization: the cost of a product does not depend on the point, R does (the C# side
        # measures at the point 1,000 label-flip SGD steps reach).
        return {"samples_ms": samples, "products": products[0], "regularizer_at_init": estimates[-1]}

    def trained_point():
        """The trained MLP and its evaluation set as the C# side wrote them (TrainedMlp.WriteForPeer), and
        PyHessian's Hessian-vector product on them: the gradient graph built once, then
        autograd.grad(gradient, parameters, grad_outputs=v, retain_graph=True)."""
        rse = request["rse"]
        folder = rse["folder"]
        flat = torch.from_numpy(numpy_fromfile(os.path.join(folder, "parameters.f32"), "float32"))
        x = torch.from_numpy(numpy_fromfile(os.path.join(folder, "features.f32"), "float32")).view(-1, 784)
        y = torch.from_numpy(numpy_fromfile(os.path.join(folder, "labels.i64"), "int64"))
        model = make_mlp()
        model.eval()
        parameters = list(model.parameters())
        blocks = [b.split(":") for b in rse["blocks"].split(";")]
        shapes = [tuple(int(d) for d in shape.split("x")) for _, shape in blocks]
        if [tuple(q.shape) for q in parameters] != shapes:
            raise ValueError("the C# parameter blocks %s do not match this MLP's %s" % (shapes, [tuple(q.shape) for q in parameters]))
        offset = 0
        with torch.no_grad():
            for q in parameters:
                q.copy_(flat[offset:offset + q.numel()].view(q.shape))
                offset += q.numel()
        count, flip = x.shape[0], rse["flip_probability"]

        def loss():
            log_p = F.log_softmax(model(x), 1)
            on_true = log_p.gather(1, y.unsqueeze(1)).squeeze(1)
            other = flip / (classes - 1)
            return -((1 - flip - other) * on_true + other * log_p.sum(1)).sum() / count

        gradient = torch.autograd.grad(loss(), parameters, create_graph=True)

        def hvp(vectors):
            return torch.autograd.grad(gradient, parameters, grad_outputs=vectors, retain_graph=True)
        return parameters, hvp, model, x

    def to_target(sample, products_per_sample):
        """Samples until SE <= target*|mean| (at least min_samples), or until the product or time cap; then
        the products and seconds the target would take, extrapolated with SE^2 proportional to 1/products."""
        rse = request["rse"]
        target, minimum = rse["target"], rse["min_samples"]
        values = []
        start = time.perf_counter()
        while True:
            values.append(sample())
            count = len(values)
            mean = sum(values) / count
            se = (sum((v - mean) ** 2 for v in values) / (count - 1) / count) ** 0.5 if count > 1 else math.inf
            seconds = time.perf_counter() - start
            products = count * products_per_sample
            if count >= minimum and se <= target * abs(mean):
                reached = True
                break
            if count >= 2 and (products + products_per_sample > rse["max_products"] or seconds >= rse["max_seconds"]):
                reached = False
                break
        factor = 1.0 if reached else max(1.0, (se / (target * abs(mean))) ** 2)
        return {"samples_ms": [seconds * factor * 1000.0], "estimate": mean, "standard_error": se,
                "relative_standard_error": se / abs(mean), "run_products": products, "run_seconds": seconds,
                "products": products * factor, "seconds": seconds * factor, "reached": 1.0 if reached else 0.0,
                "extrapolated": 0.0 if reached else 1.0}

    def exact_traces(model, x):
        """tr ∇²L = tr G of the ReLU MLP (each layer's diagonal block of ∇²f is zero), two ways, float32 as
        BackPACK computes: the softmax Hessian diag(p) − ppᵀ = SSᵀ per example (S = diag(√p) − p√pᵀ, C
        columns; any label smoothing has the same Hessian in the logits), S pushed back through the network
        as one [C, N, width] signal. diag_ggn: BackPACK's DiagGGNExact, each layer's diagonal
        Σ_{c,n} S²·a² as a matmul of squared signals and squared inputs, then summed. trace_only: the same
        signal, but only per-example squared norms, Σ_n (Σ_{c,i} S²)(Σ_j a²)."""
        layers = [m for m in model if isinstance(m, torch.nn.Linear)]
        count = x.shape[0]

        def signals():
            with torch.no_grad():
                inputs = [x]
                for layer in layers[:-1]:
                    inputs.append(F.linear(inputs[-1], layer.weight, layer.bias).relu_())
                p = F.softmax(F.linear(inputs[-1], layers[-1].weight, layers[-1].bias), 1)  # [N, C]
                root = p.sqrt()
                # S[c, n, :] = column c of diag(√p_n) − p_n √p_nᵀ
                signal = torch.diag_embed(root).sub_(p.unsqueeze(2) * root.unsqueeze(1)).permute(2, 0, 1).contiguous()
                for l in range(len(layers) - 1, -1, -1):
                    yield l, signal, inputs[l]
                    if l > 0:
                        signal = torch.matmul(signal, layers[l].weight).mul_(inputs[l] > 0)

        def diag_ggn():
            total = 0.0
            for _, signal, a in signals():
                squared = signal.square().sum(0)  # [N, out]
                weight_diagonal = squared.t().mm(a.square())  # [out, in]: Σ_n S²·a²
                total += weight_diagonal.sum().item() + squared.sum().item()
            return total / count

        def trace_only():
            total = 0.0
            for _, signal, a in signals():
                per_example = signal.square().sum((0, 2))  # [N]
                total += (per_example * (a.square().sum(1) + 1)).sum().item()
            return total / count
        return diag_ggn, trace_only

    def trace_rse():
        parameters, hvp, model, x = trained_point()
        diag_ggn, trace_only = exact_traces(model, x)
        plan = plans["trace-rse"]
        values = {}
        timings = {name: common.timed(lambda name=name, f=f: values.__setitem__(name, f()), plan)
                   for name, f in (("diag_ggn", diag_ggn), ("trace_only", trace_only))}
        best = min(timings, key=lambda name: common.median(timings[name]))
        result = {"samples_ms": timings[best], "trace": values[best], "diag_ggn_trace": values["diag_ggn"],
                  "trace_only_trace": values["trace_only"], "diag_ggn_ms": common.median(timings["diag_ggn"]),
                  "trace_only_ms": common.median(timings["trace_only"]),
                  "method": ("exact tr G by the GGN factorization, float32: %s (the faster of BackPACK's DiagGGNExact, %.0f ms, "
                             "and its trace-only form, %.0f ms)" % (best.replace("_", "-"), common.median(timings["diag_ggn"]), common.median(timings["trace_only"])))}
        return with_plain(result, lambda: pyhessian_trace(parameters, hvp), "what PyHessian users do: Rademacher Hutchinson to the target")

    def with_plain(result, plain, method):
        """The result with the plain peer's figures (prefixed plain_) when this round runs the plain peers."""
        if request["rse"].get("plain", True):
            result.update({"plain_" + key: value for key, value in plain().items()})
            result["plain_method"] = method
        return result

    def pyhessian_trace(parameters, hvp):
        probe_generator = torch.Generator().manual_seed(seed + 5)

        def sample():
            z = [torch.randint(0, 2, q.shape, generator=probe_generator).float() * 2 - 1 for q in parameters]
            return sum((a * b).sum() for a, b in zip(z, hvp(z))).item()
        return to_target(sample, 1)

    def regularizer_rse():
        """The composed peer (ours in PyTorch): R = tr ∇²L/4 (exact, trace_only) + tr g(∇²L), g(x) = r(x) − x/4,
        after a Lanczos λ_max guard; tr g by plain SLQ (Rademacher probes, full reorthogonalization) until
        SE ≤ target·|R|, stopping by our own rule (from early_samples probes on, the SE inflated by Student's t factor
        until min_samples). Then plain SLQ on r itself, as PyHessian users do."""
        rse = request["rse"]
        eta, steps, guard, target = rse["learning_rate"], rse["lanczos_steps"], rse["guard_steps"], rse["target"]
        parameters, hvp, model, x = trained_point()
        _, trace_only = exact_traces(model, x)
        apply, dimension = flat_operator(parameters, hvp)
        basis = torch.empty(max(steps, guard) + 1, dimension, dtype=torch.float64)
        estimate = {}

        def run():
            probe_generator = torch.Generator().manual_seed(seed + 7)
            rademacher = lambda: torch.randint(0, 2, (dimension,), generator=probe_generator).double() * 2 - 1
            start = time.perf_counter()
            trace = trace_only()
            values, _, k = lanczos_run(apply, basis, rademacher(), guard)
            lambda_max = values[-1].item()
            if eta * lambda_max / 2 >= 1:
                raise ValueError("lambda_max %g is beyond the stability limit 2/eta" % lambda_max)
            g = lambda x: regularizer_term(eta, x) - x / 4
            samples = []
            while True:
                v = rademacher()
                nodes, vectors, _ = lanczos_run(apply, basis, v, steps)
                weights = (vectors[0] ** 2 * dimension).tolist()
                samples.append(sum(w * g(x) for w, x in zip(weights, nodes.tolist())))
                count = len(samples)
                mean = sum(samples) / count
                se = (sum((s - mean) ** 2 for s in samples) / (count - 1) / count) ** 0.5 if count > 1 else math.inf
                value = trace / 4 + mean
                # Ours' rule (CurvatureMeasurer.EarlyRemainderProbes): from early_samples probes on the target may be met, the
                # standard error inflated by Student's t factor (given per probe count) until min_samples.
                early = rse.get("early_samples") or rse["min_samples"]
                if early <= count < rse["min_samples"]:
                    se *= rse["inflation"][str(count)]
                if count >= early and se <= target * abs(value):
                    break
            estimate.update({"estimate": value, "standard_error": se, "relative_standard_error": se / abs(value),
                             "products": k + count * steps, "probes": count, "trace": trace, "largest_eigenvalue": lambda_max,
                             "seconds": time.perf_counter() - start})

        samples = common.timed(run, plans["regularizer-rse"])
        result = dict(estimate, samples_ms=samples,
                      method="composed peer: exact trace/4 (trace-only GGN factorization) + %d-step Lanczos λ_max guard + plain SLQ on r(x) − x/4, stopped by our rule (from %d probes, t-inflated SE)" % (guard, rse.get("early_samples") or rse["min_samples"]))
        return with_plain(result, lambda: plain_slq(parameters, hvp), "what PyHessian users do: plain SLQ on r to the target")

    def flat_operator(parameters, hvp):
        shapes = [q.shape for q in parameters]
        sizes = [q.numel() for q in parameters]

        def apply(v):
            parts = [piece.view(shape).float() for piece, shape in zip(torch.split(v, sizes), shapes)]
            return torch.cat([h.reshape(-1) for h in hvp(parts)]).double()
        return apply, sum(sizes)

    def plain_slq(parameters, hvp):
        """Plain SLQ (Ubaru, Chen, Saad; PyHessian's density code) with full reorthogonalization, for
        R = sum r(lambda), r(x) = -log(1 - eta x/2)/(2 eta), with our Lanczos steps per probe."""
        rse = request["rse"]
        eta, steps = rse["learning_rate"], rse["lanczos_steps"]
        apply, dimension = flat_operator(parameters, hvp)
        probe_generator = torch.Generator().manual_seed(seed + 6)
        r = lambda x: regularizer_term(eta, x)

        basis = torch.empty(steps + 1, dimension, dtype=torch.float64)

        def sample():
            v = torch.randint(0, 2, (dimension,), generator=probe_generator).double() * 2 - 1
            values, vectors, _ = lanczos_run(apply, basis, v, steps)
            weights = (vectors[0] ** 2 * dimension).tolist()
            return sum(w * r(x) for w, x in zip(weights, values.tolist()))
        return to_target(sample, steps)

    workloads = {"mlp-step": lambda: step_workload(batch, "mlp-step"), "mlp-hvp": mlp_hvp, "mlp-trace": mlp_trace,
                 "mlp-step-b32": lambda: step_workload(request["escape_batch_size"], "mlp-step-b32")}
    if "slq" in request:
        workloads["slq-regularizer"] = slq_regularizer
    if "rse" in request:
        workloads["trace-rse"] = trace_rse
        workloads["regularizer-rse"] = regularizer_rse
    return {
        "environment": environment,
        "matmul": {"size": size, "samples_ms": matmul_samples, "gflops": matmul_gflops},
        "workloads": common.run_workloads(request["workloads"], workloads),
    }


if __name__ == "__main__":
    common.main(main)
