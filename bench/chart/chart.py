#!/usr/bin/env python3
"""Turns one JMH JSON of PrologueBenchmark + NativeBenchmark into an SVG chart of ratios to clang -O3 native.

    bench/chart/chart.py result.json out.svg

One group per workload, one bar per variant at its median over code layouts, a whisker from the fastest to the
slowest layout, a dashed line at 1.0 (clang -O3 native) and a tick per workload at gcc -O3's time. Python 3
standard library only; the SVG has no external resources.
"""
import sys
from xml.sax.saxutils import escape

from jmh_ratios import load, rows

BAR = 16
GROUP_GAP = 28
PLOT_HEIGHT = 320
LEFT, TOP, BOTTOM = 60, 50, 110
PALETTE = ["#4c78a8", "#9ecae9", "#f58518", "#ffbf79", "#54a24b", "#88d27a", "#e45756", "#ff9d98",
           "#79706e", "#bab0ac"]


def svg(rs, title):
    workloads = list(dict.fromkeys(r.workload for r in rs))
    variants = list(dict.fromkeys(r.variant for r in rs))
    colour = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(variants)}
    by_key = {(r.workload, r.variant): r for r in rs}
    top_ratio = max(1.5, max(r.high for r in rs) * 1.08)
    group_width = len(variants) * BAR + GROUP_GAP
    right = 110
    width = max(LEFT + len(workloads) * group_width + right, 640)
    height = TOP + PLOT_HEIGHT + BOTTOM + 16 * ((len(variants) + 3) // 4)

    def y(ratio):
        return TOP + PLOT_HEIGHT - ratio / top_ratio * PLOT_HEIGHT

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>']
    tick = 0.0
    while tick <= top_ratio:
        out.append(f'<line x1="{LEFT}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.2f}x</text>')
        tick += 0.25
    out.append(f'<line x1="{LEFT}" x2="{width - right}" y1="{y(1.0):.1f}" y2="{y(1.0):.1f}" stroke="#c00" '
               f'stroke-dasharray="4 3"/>')
    out.append(f'<text x="{width - right + 4}" y="{y(1.0) + 4:.1f}" fill="#c00">clang -O3 native</text>')
    for i, w in enumerate(workloads):
        x0 = LEFT + 12 + i * group_width
        gcc_ratio = None
        for j, v in enumerate(variants):
            r = by_key.get((w, v))
            if r is None:
                continue
            gcc_ratio = r.native["gcc"][0] / r.native["clang"][0]
            bx = x0 + j * BAR
            out.append(f'<rect x="{bx}" y="{y(r.median):.1f}" width="{BAR - 2}" '
                       f'height="{TOP + PLOT_HEIGHT - y(r.median):.1f}" fill="{colour[v]}">'
                       f'<title>{escape(w)} {escape(v)}: {r.median:.2f}x clang (layouts {r.low:.2f}-{r.high:.2f})'
                       f'</title></rect>')
            cx = bx + (BAR - 2) / 2
            out.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(r.low):.1f}" y2="{y(r.high):.1f}" stroke="#222"/>')
            for level in (r.low, r.high):
                out.append(f'<line x1="{cx - 3:.1f}" x2="{cx + 3:.1f}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                           f'stroke="#222"/>')
        if gcc_ratio is not None:
            gx1, gx2 = x0 - 4, x0 + len(variants) * BAR + 2
            out.append(f'<line x1="{gx1}" x2="{gx2}" y1="{y(gcc_ratio):.1f}" y2="{y(gcc_ratio):.1f}" stroke="#555" '
                       f'stroke-dasharray="2 2"><title>gcc -O3 native: {gcc_ratio:.2f}x clang</title></line>')
            out.append(f'<text x="{gx2}" y="{y(gcc_ratio) - 3:.1f}" text-anchor="end" font-size="9" fill="#555">'
                       f'gcc</text>')
        out.append(f'<text x="{x0 + len(variants) * BAR / 2:.1f}" y="{TOP + PLOT_HEIGHT + 16}" '
                   f'text-anchor="middle">{escape(w)}</text>')
    legend_y = TOP + PLOT_HEIGHT + 42
    for j, v in enumerate(variants):
        lx = LEFT + (j % 4) * 170
        ly = legend_y + (j // 4) * 16
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour[v]}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly}">{escape(v)}</text>')
    note_y = legend_y + 16 * ((len(variants) + 3) // 4) + 8
    out.append(f'<text x="{LEFT}" y="{note_y}" fill="#555">bar: median over code layouts; whisker: fastest to '
               f'slowest layout; lower is better</text>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    natives, isthmus = load(argv[0])
    rs = rows(natives, isthmus)
    if not rs:
        print("no workload with gcc, clang and isthmus results in " + argv[0], file=sys.stderr)
        return 1
    with open(argv[1], "w", encoding="utf-8") as f:
        f.write(svg(rs, "Prologue variants: Isthmus time / clang -O3 native time"))
    print(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
