#!/usr/bin/env python3
"""Whole-process mode of the kernel suite: per kernel, the median wall time of N runs of each command, its output
checked against bench/kernels/expected.tsv ("NAME SIZE CHECKSUM"); one line per kernel with the ratios to gcc.

    bench/chart/kernel_process.py [--runs N] [--isthmus CMD] [KERNEL ...]

Run from the repository root (scripts/kernel-bench.sh --process does). Each run is a fresh process: Isthmus's
figure includes JVM start-up and compilation (./isthmus run uses the jar's AOT cache when it has one); the column
"start" is Isthmus's median at the kernel's tiny test size, i.e. roughly that fixed cost.
"""
import math
import statistics
import subprocess
import sys
import time

DIR = "bench/kernels/"


def table(name):
    with open(DIR + name, encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]


def timed(cmd):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-300:]}")
    return elapsed, p.stdout.strip()


def main(argv):
    runs, isthmus, only = 5, "./isthmus", []
    i = 0
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1]); i += 1
        elif argv[i] == "--isthmus":
            isthmus = argv[i + 1]; i += 1
        else:
            only.append(argv[i])
        i += 1
    expected = {(r[0], r[1]): r[2] for r in table("expected.tsv")}
    kernels = [r for r in table("kernels.tsv") if not only or r[0] in only]
    print(f"{'kernel':<18} {'n':>6} {'gcc':>9} {'clang':>9} {'isthmus':>9}  {'isthmus/gcc':>11} {'clang/gcc':>9}  "
          f"{'start':>8}  checksum   (median of {runs} runs, whole process)")
    ratios, status = [], 0
    for name, test_size, _, size, *_ in kernels:
        base = name[:-5] if name.endswith("-bulk") else name
        want = f"{base} {size} {expected.get((name, size), '?')}"
        cmds = {"gcc": [DIR + "build/gcc/" + base, size], "clang": [DIR + "build/clang/" + base, size],
                "isthmus": isthmus.split() + ["run", DIR + "wasm/" + name + ".wasm", size],
                "start": isthmus.split() + ["run", DIR + "wasm/" + name + ".wasm", test_size]}
        times, ok = {k: [] for k in cmds}, True
        for _ in range(runs):                       # interleaved, so load changes hit every side alike
            for side, cmd in cmds.items():
                t, out = timed(cmd)
                times[side].append(t)
                ok &= out == want or (side == "start" and out.endswith(f" {expected.get((name, test_size))}"))
        med = {k: statistics.median(v) for k, v in times.items()}
        r_i, r_c = med["isthmus"] / med["gcc"], med["clang"] / med["gcc"]
        ratios.append((r_i, r_c))
        status |= not ok
        print(f"{name:<18} {size:>6} {med['gcc'] * 1e3:7.0f}ms {med['clang'] * 1e3:7.0f}ms {med['isthmus'] * 1e3:7.0f}ms"
              f"  {r_i:10.2f}x {r_c:8.2f}x {med['start'] * 1e3:6.0f}ms  {'ok' if ok else 'MISMATCH'}", flush=True)
    gm = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
    print(f"{'geometric mean':<18} {'':>6} {'':>9} {'':>9} {'':>9}  {gm([r[0] for r in ratios]):10.2f}x "
          f"{gm([r[1] for r in ratios]):8.2f}x")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
