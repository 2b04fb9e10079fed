"""Reads a JMH JSON result of PrologueBenchmark and computes each workload x variant's ratio to native.

The JSON holds one entry per (benchmark method, params): methods gcc, clang and isthmus; params workload and
variant. A ratio is isthmus's average time divided by the native one's for the same workload and variant
(lower is better, 1.0 means as fast as native). Python 3 standard library only.
"""
import json
from collections import OrderedDict


def load_scores(path):
    """{(workload, variant): {"gcc": (score, error, unit), "clang": ..., "isthmus": ...}} in file order."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    scores = OrderedDict()
    for entry in entries:
        method = entry["benchmark"].rsplit(".", 1)[1]
        params = entry.get("params", {})
        key = (params.get("workload", "?"), params.get("variant", "default"))
        metric = entry["primaryMetric"]
        scores.setdefault(key, {})[method] = (metric["score"], metric.get("scoreError", 0.0), metric["scoreUnit"])
    return scores


def ratios(scores):
    """[(workload, variant, isthmus/clang, isthmus/gcc, scores)] for every key that has all three methods."""
    rows = []
    for (workload, variant), by_method in scores.items():
        if not all(m in by_method for m in ("gcc", "clang", "isthmus")):
            continue
        isthmus = by_method["isthmus"][0]
        rows.append((workload, variant, isthmus / by_method["clang"][0], isthmus / by_method["gcc"][0], by_method))
    return rows
