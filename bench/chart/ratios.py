#!/usr/bin/env python3
"""Prints PrologueBenchmark's ratios to native from a JMH JSON file, one line per workload x variant.

    bench/chart/ratios.py result.json            # plain lines (what scripts/quick-bench.sh prints)
    bench/chart/ratios.py --markdown result.json  # a Markdown table (docs/prologue-variants.md)
"""
import sys

from jmh_ratios import load_scores, ratios


def main(argv):
    markdown = "--markdown" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows = ratios(load_scores(paths[0]))
    if not rows:
        print("no complete workload (gcc, clang and isthmus) in " + paths[0], file=sys.stderr)
        return 1
    if markdown:
        print("| workload | variant | isthmus | clang -O3 | gcc -O3 | isthmus / clang | isthmus / gcc |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for workload, variant, to_clang, to_gcc, s in rows:
            unit = s["isthmus"][2]
            print(f"| {workload} | {variant} | {s['isthmus'][0]:.1f} {unit} | {s['clang'][0]:.1f} {unit} "
                  f"| {s['gcc'][0]:.1f} {unit} | {to_clang:.2f}x | {to_gcc:.2f}x |")
    else:
        for workload, variant, to_clang, to_gcc, s in rows:
            print(f"{workload:<14} {variant:<12} isthmus/clang {to_clang:5.2f}x   isthmus/gcc {to_gcc:5.2f}x   "
                  f"({s['isthmus'][0]:.1f} vs {s['clang'][0]:.1f} / {s['gcc'][0]:.1f} {s['isthmus'][2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
