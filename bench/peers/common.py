"""Helpers shared by the PyTorch peers of `labelnoise bench` (bench/peers/<family>.py).

A peer script gets one JSON argument (the request written by the C# side, PeerRequest.For) and prints
one JSON line: {"environment": {...}, "workloads": {name: {"samples_ms": [...], "peak_mb": ..., ...}}}.
Timing follows the C# side exactly: `warmups` untimed repeats (and more until `min_warmup_seconds`
have passed), then `repeats` timed repeats of
`iterations` iterations; a sample is a repeat's milliseconds divided by its iterations.
"""
import json
import os
import platform
import sys
import time
import traceback


def request():
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 %s '<json request>'" % os.path.basename(sys.argv[0]))
    return json.loads(sys.argv[1])


def timed(function, plan):
    """Milliseconds per iteration of each timed repeat, after the warm-up repeats (and more of them
    until min_warmup_seconds have passed, as the C# side does)."""
    iterations = plan.get("iterations", 1)
    warmup_start, done = time.perf_counter(), 0
    while done < plan["warmups"] or time.perf_counter() - warmup_start < plan.get("min_warmup_seconds", 0):
        for _ in range(iterations):
            function()
        done += 1
    samples = []
    for _ in range(plan["repeats"]):
        start = time.perf_counter()
        for _ in range(iterations):
            function()
        samples.append((time.perf_counter() - start) * 1000.0 / iterations)
    return samples


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def reset_peak():
    """Resets VmHWM (Linux), so that the peak after a workload is that workload's."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def peak_mb():
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def loaded_libraries(*fragments):
    """Real paths of the shared libraries mapped into this process whose file name contains a fragment."""
    found = set()
    try:
        with open("/proc/self/maps") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 6 and fields[5].startswith("/"):
                    name = os.path.basename(fields[5]).lower()
                    if any(fragment in name for fragment in fragments):
                        found.add(os.path.realpath(fields[5]))
    except OSError:
        pass
    return sorted(found)


def environment(torch):
    info = {"python": platform.python_version(), "torch": torch.__version__, "threads": torch.get_num_threads()}
    try:
        import numpy
        info["numpy"] = numpy.__version__
    except ImportError:
        pass
    return info


def run_workloads(names, workloads):
    """Runs each requested workload (name -> function returning a dict), recording errors per workload."""
    results = {}
    for name in names:
        if name not in workloads:
            results[name] = {"error": "this peer has no workload '%s'" % name}
            continue
        reset_peak()
        try:
            result = workloads[name]()
            result["peak_mb"] = peak_mb()
        except Exception as error:  # one failing workload must not hide the others
            result = {"error": "%s: %s" % (type(error).__name__, error)}
            traceback.print_exc()
        results[name] = result
    return results


def main(body):
    """Runs body(request) -> dict and prints it as one JSON line; an exception prints {"error": ...} and exits 1."""
    try:
        output = body(request())
    except Exception as error:
        traceback.print_exc()
        print(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))
        sys.exit(1)
    print(json.dumps(output))
