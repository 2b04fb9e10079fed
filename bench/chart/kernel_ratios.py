#!/usr/bin/env python3
"""Ratios of the kernel suite from one JMH JSON of KernelBenchmark (params kernel and side: isthmus, gcc, clang).

    bench/chart/kernel_ratios.py result.json                      # one line per kernel + geometric mean
    bench/chart/kernel_ratios.py --fallbacks F.txt result.json    # ... with KernelFallbacks' counts per kernel
    bench/chart/kernel_ratios.py --markdown result.json           # the table of docs/performance.md
    bench/chart/kernel_ratios.py --svg out.svg result.json        # a bar chart (ratio to gcc -O3 native)

A ratio is a side's average time per call divided by gcc -O3 native's for the same kernel (lower is better). The
checksums were compared in the benchmark's setup (a mismatch fails the setup, and JMH then drops that kernel's
benchmarks: the kernel appears as missing here). Python 3 standard library only.
"""
import json
import math
import sys
from collections import OrderedDict
from xml.sax.saxutils import escape


def load(path):
    """{kernel: {"isthmus"|"gcc"|"clang": (score, error, unit)}} in file order."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    out = OrderedDict()
    for e in entries:
        if ".KernelBenchmark." not in e["benchmark"] or "side" not in e.get("params", {}):
            continue
        side = e["params"]["side"]
        m = e["primaryMetric"]
        out.setdefault(e["params"]["kernel"], {})[side] = (m["score"], m.get("scoreError") or 0.0, m["scoreUnit"])
    return out


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def rows(results):
    rs = []
    for kernel, sides in results.items():
        if not all(s in sides for s in ("isthmus", "gcc", "clang")):
            rs.append((kernel, None, None, sides))
            continue
        gcc = sides["gcc"][0]
        rs.append((kernel, sides["isthmus"][0] / gcc, sides["clang"][0] / gcc, sides))
    return rs


def read_fallbacks(path):
    """KernelFallbacks' output: {kernel: 'D of N'}."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[2] == "of":
                out[parts[0]] = (int(parts[1]), int(parts[3]), line.split("declined", 1)[1].strip())
    return out


def svg(rs, title):
    good = [r for r in rs if r[1] is not None]
    bar, gap, plot_h, left, top, bottom = 12, 14, 300, 60, 50, 120
    top_ratio = max(1.5, max(max(r[1], r[2]) for r in good) * 1.08)
    width = left + len(good) * (2 * bar + gap) + 140
    height = top + plot_h + bottom

    def y(v):
        return top + plot_h - min(v, top_ratio) / top_ratio * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11">', f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>']
    step = 0.5 if top_ratio <= 4 else (1.0 if top_ratio <= 10 else 5.0)
    t = 0.0
    while t <= top_ratio:
        out.append(f'<line x1="{left}" x2="{width - 140}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:.1f}x</text>')
        t += step
    out.append(f'<line x1="{left}" x2="{width - 140}" y1="{y(1):.1f}" y2="{y(1):.1f}" stroke="#c00" '
               f'stroke-dasharray="4 3"/>')
    out.append(f'<text x="{width - 136}" y="{y(1) + 4:.1f}" fill="#c00">gcc -O3 native</text>')
    for i, (kernel, iso, clang, _) in enumerate(good):
        x0 = left + 8 + i * (2 * bar + gap)
        for j, (v, colour, who) in enumerate(((iso, "#4c78a8", "Isthmus"), (clang, "#f58518", "clang -O3"))):
            out.append(f'<rect x="{x0 + j * bar}" y="{y(v):.1f}" width="{bar - 1}" height="{top + plot_h - y(v):.1f}" '
                       f'fill="{colour}"><title>{escape(kernel)} {who}: {v:.2f}x gcc</title></rect>')
            if v > top_ratio:
                out.append(f'<text x="{x0 + j * bar}" y="{top - 4}" font-size="9">{v:.0f}x</text>')
        cx = x0 + bar
        out.append(f'<text x="{cx}" y="{top + plot_h + 10}" transform="rotate(60 {cx} {top + plot_h + 10})">'
                   f'{escape(kernel)}</text>')
    for j, (colour, who) in enumerate((("#4c78a8", "Isthmus (default options)"), ("#f58518", "clang-14 -O3 native"))):
        out.append(f'<rect x="{width - 136}" y="{top + 30 + 18 * j}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{width - 122}" y="{top + 39 + 18 * j}">{escape(who)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def main(argv):
    markdown = "--markdown" in argv
    fallbacks, svg_out, paths = {}, None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--fallbacks":
            fallbacks = read_fallbacks(argv[i + 1])
            i += 1
        elif a == "--svg":
            svg_out = argv[i + 1]
            i += 1
        elif not a.startswith("--"):
            paths.append(a)
        i += 1
    if len(paths) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rs = rows(load(paths[0]))
    if not rs:
        print("no KernelBenchmark results in " + paths[0], file=sys.stderr)
        return 1
    good = [r for r in rs if r[1] is not None]
    missing = [r[0] for r in rs if r[1] is None]
    gm_i, gm_c = geomean([r[1] for r in good]), geomean([r[2] for r in good])
    if svg_out:
        with open(svg_out, "w", encoding="utf-8") as f:
            f.write(svg(rs, f"Kernel suite: time / gcc -O3 native (lower is better); geomean Isthmus {gm_i:.2f}x, "
                            f"clang {gm_c:.2f}x"))
    if markdown:
        print("| kernel | gcc -O3 | clang -O3 | Isthmus | Isthmus / gcc | clang / gcc | baseline-tier functions |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for kernel, iso, clang, sides in good:
            fb = fallbacks.get(kernel)
            fbs = f"{fb[0]} of {fb[1]}" if fb else ""
            unit = sides["gcc"][2].replace("us/op", "µs").replace("ms/op", "ms").replace("ns/op", "ns")
            print(f"| {kernel} | {sides['gcc'][0]:,.0f} {unit} | {sides['clang'][0]:,.0f} {unit} | "
                  f"{sides['isthmus'][0]:,.0f} {unit} | **{iso:.2f}×** | {clang:.2f}× | {fbs} |")
        print(f"| **geometric mean** | | | | **{gm_i:.2f}×** | {gm_c:.2f}× | |")
    else:
        print(f"{'kernel':<18} {'isthmus/gcc':>11} {'clang/gcc':>9}  checksum  baseline-tier functions")
        for kernel, iso, clang, _ in good:
            fb = fallbacks.get(kernel)
            fbs = f"  {fb[0]}/{fb[1]} {fb[2]}" if fb else ""
            print(f"{kernel:<18} {iso:10.2f}x {clang:8.2f}x  ok{fbs}")
        print(f"{'geometric mean':<18} {gm_i:10.2f}x {gm_c:8.2f}x  ({len(good)} kernels)")
    for m in missing:
        print(f"{m}: results missing (setup failed? checksum mismatch?)", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
