"""Reads one JMH JSON result of PrologueBenchmark + NativeBenchmark and computes ratios to native code.

The JSON holds one entry per (benchmark method, params):
  NativeBenchmark.gcc / .clang         params: workload
  PrologueBenchmark.isthmus            params: workload, variant, alignment
A ratio is Isthmus's average time divided by a native one for the same workload (lower is better, 1.0 means as
fast as native). Each variant is measured at several code layouts (alignment); a variant's figure is the median
over layouts, with the min and max beside it. Python 3 standard library only.
"""
import json
from collections import OrderedDict
from statistics import median


def load(path):
    """(natives, isthmus): natives {workload: {"gcc": (score, error, unit), "clang": ...}},
    isthmus {(workload, variant): {alignment: (score, error, unit)}}, both in file order."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    natives, isthmus = OrderedDict(), OrderedDict()
    for entry in entries:
        method = entry["benchmark"].rsplit(".", 1)[1]
        params = entry.get("params", {})
        metric = entry["primaryMetric"]
        score = (metric["score"], metric.get("scoreError", 0.0) or 0.0, metric["scoreUnit"])
        workload = params.get("workload", "?")
        if method in ("gcc", "clang"):
            natives.setdefault(workload, {})[method] = score
        elif method == "isthmus":
            key = (workload, params.get("variant", "default"))
            isthmus.setdefault(key, OrderedDict())[params.get("alignment", "default")] = score
    return natives, isthmus


class Row:
    """One workload x variant: ratios over the layouts measured."""

    def __init__(self, workload, variant, by_alignment, native):
        self.workload, self.variant = workload, variant
        self.by_alignment = by_alignment                      # {alignment: (score, error, unit)}
        self.native = native                                  # {"gcc": ..., "clang": ...}
        clang, gcc = native["clang"][0], native["gcc"][0]
        self.to_clang = {a: s[0] / clang for a, s in by_alignment.items()}
        self.to_gcc = {a: s[0] / gcc for a, s in by_alignment.items()}
        values = list(self.to_clang.values())
        self.median = median(values)
        self.low, self.high = min(values), max(values)
        self.median_gcc = median(self.to_gcc.values())
        self.median_time = median(s[0] for s in by_alignment.values())
        self.unit = next(iter(by_alignment.values()))[2]


def rows(natives, isthmus):
    """[Row] for every workload x variant whose workload has both native results."""
    out = []
    for (workload, variant), by_alignment in isthmus.items():
        native = natives.get(workload, {})
        if "gcc" in native and "clang" in native and by_alignment:
            out.append(Row(workload, variant, by_alignment, native))
    return out


def alignment_table(rs):
    """{alignment: {workload: median over variants of the ratio to clang}}: how each layout policy fares."""
    table = OrderedDict()
    for r in rs:
        for a, ratio in r.to_clang.items():
            table.setdefault(a, OrderedDict()).setdefault(r.workload, []).append(ratio)
    return OrderedDict((a, OrderedDict((w, median(v)) for w, v in ws.items())) for a, ws in table.items())
