#!/usr/bin/env python3
"""Turns PrologueBenchmark's JMH JSON into an SVG bar chart of ratios to native (lower is better).

    bench/chart/chart.py result.json out.svg

One group of bars per workload x variant: isthmus / clang -O3 and isthmus / gcc -O3, with a dashed line at 1.0
(native speed) and one at 1.3 (the engine's target). Python 3 standard library only; the SVG has no external
resources.
"""
import sys
from xml.sax.saxutils import escape

from jmh_ratios import load_scores, ratios

BAR_WIDTH = 26
GROUP_GAP = 30
PLOT_HEIGHT = 300
LEFT, TOP, BOTTOM = 60, 50, 90
COLOURS = {"clang": "#4c78a8", "gcc": "#f58518"}


def svg(rows, title):
    """The chart as SVG text."""
    top_ratio = max(2.0, max(max(r[2], r[3]) for r in rows) * 1.1)
    group_width = 2 * BAR_WIDTH + GROUP_GAP
    right = 90   # room for the reference-line labels
    width = max(LEFT + len(rows) * group_width + right, 560)
    height = TOP + PLOT_HEIGHT + BOTTOM

    def y(ratio):
        return TOP + PLOT_HEIGHT - ratio / top_ratio * PLOT_HEIGHT

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>']
    step = 0.5 if top_ratio <= 4 else 1.0
    tick = 0.0
    while tick <= top_ratio:
        out.append(f'<line x1="{LEFT}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.1f}x</text>')
        tick += step
    for level, label in ((1.0, "native"), (1.3, "target 1.3x")):
        out.append(f'<line x1="{LEFT}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                   f'stroke="#c00" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{width - right + 4}" y="{y(level) - 3:.1f}" fill="#c00">{label}</text>')
    for i, (workload, variant, to_clang, to_gcc, _) in enumerate(rows):
        x = LEFT + 15 + i * group_width
        for j, (name, ratio) in enumerate((("clang", to_clang), ("gcc", to_gcc))):
            bx = x + j * BAR_WIDTH
            out.append(f'<rect x="{bx}" y="{y(ratio):.1f}" width="{BAR_WIDTH - 3}" '
                       f'height="{TOP + PLOT_HEIGHT - y(ratio):.1f}" fill="{COLOURS[name]}">'
                       f'<title>{escape(workload)} ({escape(variant)}): isthmus / {name} = {ratio:.2f}x</title></rect>')
            out.append(f'<text x="{bx + BAR_WIDTH / 2 - 1.5:.1f}" y="{y(ratio) - 3:.1f}" text-anchor="middle" '
                       f'font-size="9">{ratio:.2f}</text>')
        label_x = x + BAR_WIDTH
        out.append(f'<text x="{label_x}" y="{TOP + PLOT_HEIGHT + 16}" text-anchor="middle">{escape(workload)}</text>')
        out.append(f'<text x="{label_x}" y="{TOP + PLOT_HEIGHT + 30}" text-anchor="middle" fill="#666">'
                   f'{escape(variant)}</text>')
    legend_y = height - 25
    for j, name in enumerate(("clang", "gcc")):
        lx = LEFT + j * 250
        out.append(f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS[name]}"/>')
        out.append(f'<text x="{lx + 18}" y="{legend_y}">isthmus / {name} -O3 (lower is better)</text>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows = ratios(load_scores(argv[0]))
    if not rows:
        print("no complete workload (gcc, clang and isthmus) in " + argv[0], file=sys.stderr)
        return 1
    with open(argv[1], "w", encoding="utf-8") as f:
        f.write(svg(rows, "PrologueBenchmark: Isthmus time / native time"))
    print(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
