"""Small inline SVG charts (no JavaScript, no CDN): horizontal grouped bars, accessible."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b4f9c", "#8a1c1c", "#1d6b35", "#7a4b00")


def bar_chart(
    *,
    title: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[float]]],
    width: int = 720,
) -> SafeString:
    """One group of bars per row (label), one bar per series, with the value printed."""
    label_w, bar_h, gap, top = 190, 12, 10, 28
    plot_w = width - label_w - 60
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(rows) + 10
    peak = max((v for _label, values in rows for v in values), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    x = label_w
    for i, name in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="15" font-size="11">{escape(name)}</text>')
        x += 14 + 8 * len(name) + 16
    for r, (label, values) in enumerate(rows):
        y0 = top + r * group_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + bar_h * len(series) / 2 + 4:.0f}" '
            f'font-size="11" text-anchor="end">{escape(label)}</text>'
        )
        for i, value in enumerate(values):
            w = plot_w * (value / peak)
            y = y0 + i * bar_h
            color = PALETTE[i % len(PALETTE)]
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{color}">'
                f"<title>{escape(label)} · {escape(series[i])}: {value:g}</title></rect>"
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" '
                f'font-size="10">{value:g}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
