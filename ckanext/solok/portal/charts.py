"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def column_chart(points: list[dict[str, Any]], title: str, value_key: str = "total") -> Markup:
    """Vertical columns of ``point[value_key]`` labelled by ``point["label"]``.

    The SVG scales with its container (``viewBox``); its ``<title>`` and each
    column's ``<title>`` give the figures to screen readers and on hover.
    """
    width, height, pad_bottom, pad_top = 640, 260, 40, 24
    count = max(len(points), 1)
    slot = width / count
    bar = min(56.0, slot * 0.7)
    top = max((p[value_key] for p in points), default=0) or 1
    # At most 8 month labels and 12 value labels, so that they never overlap.
    every = -(-count // 8)
    parts = [
        f'<svg class="solok-column-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{height - pad_bottom}" x2="{width}" y2="{height - pad_bottom}" class="axis"/>',
    ]
    for i, point in enumerate(points):
        value = point[value_key]
        h = (height - pad_bottom - pad_top) * value / top
        x = i * slot + (slot - bar) / 2
        y = height - pad_bottom - h
        label = escape(point["label"])
        parts.append(
            f"<g><title>{label}: {value}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="3"/>'
        )
        if count <= 12:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 6:.1f}" class="value">{value}</text>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - pad_bottom + 22}" class="label">{label}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: list[dict[str, Any]], title: str) -> Markup:
    """A line through ``point["value"]`` in order, labelled by ``point["label"]``; ``point["text"]`` is the
    value as the page writes it (shown on hover and to screen readers). Scales with its card (``viewBox``)."""
    width, height, pad_x, pad_top, pad_bottom = 640, 260, 24, 28, 44
    values = [p["value"] for p in points]
    low, high = min(values, default=0), max(values, default=0)
    low = min(low, 0)
    span = (high - low) or 1
    step = (width - 2 * pad_x) / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return pad_x + i * step, height - pad_bottom - (height - pad_bottom - pad_top) * (value - low) / span

    every = -(-len(points) // 8)
    parts = [
        f'<svg class="solok-line-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{height - pad_bottom}" x2="{width}" y2="{height - pad_bottom}" class="axis"/>',
        '<polyline class="line" points="'
        + " ".join("{:.1f},{:.1f}".format(*xy(i, p["value"])) for i, p in enumerate(points))
        + '"/>',
    ]
    for i, point in enumerate(points):
        x, y = xy(i, point["value"])
        label = escape(point["label"])
        parts.append(f'<g><title>{label}: {escape(point["text"])}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="5"/></g>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - pad_bottom + 24}" class="label">{label}</text>')
    if points:
        top = max(range(len(points)), key=lambda i: points[i]["value"])
        x, y = xy(top, points[top]["value"])
        parts.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" class="value">{escape(points[top]["text"])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
