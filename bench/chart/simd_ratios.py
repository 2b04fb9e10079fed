#!/usr/bin/env python3
"""Ratios of a SimdKernelBenchmark JMH run (JSON): per kernel, every side's time over native gcc -O3
-march=x86-64-v2 (lower is better), the AVX on/off ratio of the SIMD wasm under Isthmus, and the scalar/SIMD
speed-up of Isthmus against native's -march=native/-march=x86-64-v2. With --markdown a table for docs/."""
import json
import math
import sys

SIDES = ["isthmus-simd", "isthmus-simd-noavx", "isthmus-scalar", "gcc-native", "clang-v2", "clang-native"]


def main(argv):
    markdown = "--markdown" in argv
    path = [a for a in argv if not a.startswith("--")][0]
    times = {}
    for r in json.load(open(path)):
        p = r["params"]
        times.setdefault(p["kernel"], {})[p["side"]] = r["primaryMetric"]["score"]
    head = ["kernel", "gcc-v2 µs"] + [s + "/gcc-v2" for s in SIDES] + ["avx off/on", "scalar/simd"]
    rows = []
    logs = {s: [] for s in SIDES}
    for kernel, t in times.items():
        base = t.get("gcc-v2")
        if not base:
            continue
        row = [kernel, "%.1f" % base]
        for s in SIDES:
            if s in t:
                ratio = t[s] / base
                logs[s].append(math.log(ratio))
                row.append("%.2f" % ratio)
            else:
                row.append("-")
        simd, noavx, scalar = t.get("isthmus-simd"), t.get("isthmus-simd-noavx"), t.get("isthmus-scalar")
        row.append("%.2f" % (noavx / simd) if simd and noavx else "-")
        row.append("%.2f" % (scalar / simd) if simd and scalar else "-")
        rows.append(row)
    geo = ["geomean", ""] + ["%.2f" % math.exp(sum(v) / len(v)) if v else "-" for v in logs.values()] + ["", ""]
    rows.append(geo)
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
        for r in [head] + rows:
            print("  ".join(str(x).rjust(w) for x, w in zip(r, widths)))


if __name__ == "__main__":
    main(sys.argv[1:])
