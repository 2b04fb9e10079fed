#!/usr/bin/env python3
"""Prints the prologue variants' ratios to native from one JMH JSON file (PrologueBenchmark + NativeBenchmark).

    bench/chart/ratios.py result.json            # one line per workload x variant (what quick-bench.sh prints)
    bench/chart/ratios.py --markdown result.json  # the tables of docs/prologue-variants.md

Each ratio is Isthmus's time / clang -O3's (and gcc -O3's) for the same workload; with several code layouts per
variant, the median over layouts and its min-max spread.
"""
import sys

from jmh_ratios import alignment_table, load, rows


def main(argv):
    markdown = "--markdown" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    natives, isthmus = load(paths[0])
    rs = rows(natives, isthmus)
    if not rs:
        print("no workload with gcc, clang and isthmus results in " + paths[0], file=sys.stderr)
        return 1
    if markdown:
        print_markdown(natives, rs)
    else:
        for r in rs:
            spread = f"  layouts {r.low:.2f}-{r.high:.2f} ({len(r.to_clang)})" if len(r.to_clang) > 1 else ""
            print(f"{r.workload:<14} {r.variant:<21} isthmus/clang {r.median:5.2f}x   isthmus/gcc {r.median_gcc:5.2f}x"
                  f"{spread}   ({r.median_time:.1f} vs {r.native['clang'][0]:.1f} / {r.native['gcc'][0]:.1f} "
                  f"{r.unit})")
    return 0


def print_markdown(natives, rs):
    workloads = list(dict.fromkeys(r.workload for r in rs))
    variants = list(dict.fromkeys(r.variant for r in rs))
    by_key = {(r.workload, r.variant): r for r in rs}
    print("Ratio to clang -O3 native (median over code layouts, min-max in brackets); lower is better.\n")
    print("| variant | " + " | ".join(workloads) + " |")
    print("|---|" + "---:|" * len(workloads))
    for v in variants:
        cells = []
        for w in workloads:
            r = by_key.get((w, v))
            cells.append(f"**{r.median:.2f}** ({r.low:.2f}-{r.high:.2f})" if r else "")
        print(f"| {v} | " + " | ".join(cells) + " |")
    print("\nRatio to gcc -O3 native (median over layouts):\n")
    print("| variant | " + " | ".join(workloads) + " |")
    print("|---|" + "---:|" * len(workloads))
    for v in variants:
        cells = [f"{by_key[(w, v)].median_gcc:.2f}" if (w, v) in by_key else "" for w in workloads]
        print(f"| {v} | " + " | ".join(cells) + " |")
    print("\nNative times (JMH score ± error):\n")
    print("| workload | clang -O3 | gcc -O3 |")
    print("|---|---:|---:|")
    for w in workloads:
        n = natives[w]
        print(f"| {w} | {n['clang'][0]:.1f} ± {n['clang'][1]:.1f} {n['clang'][2]} "
              f"| {n['gcc'][0]:.1f} ± {n['gcc'][1]:.1f} {n['gcc'][2]} |")
    table = alignment_table(rs)
    if len(table) > 1:
        print("\nCode layout (FUNCTION+PADDING:LOOP): ratio to clang, median over all variants:\n")
        print("| layout | " + " | ".join(workloads) + " |")
        print("|---|" + "---:|" * len(workloads))
        for a, ws in table.items():
            print(f"| {a} | " + " | ".join(f"{ws[w]:.2f}" if w in ws else "" for w in workloads) + " |")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
