"""Charts as inline SVG, drawn on the server from the monitoring figures (pure: data in, markup out).

No script and no style attribute is needed, so the strict Content-Security-Policy holds. Each
chart is an image with a name (``role="img"`` and a ``<title>``); the page puts the same figures
in a table beside it for screen readers and for anyone who wants the numbers.
Colours keep 3:1 contrast against white (WCAG 1.4.11); segments are also told apart by white
separators and the legend's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#1d4f91", "#a34b00", "#2b6a2f", "#6a3d9a", "#b00020", "#00695c", "#595959", "#6b5d00")
WIDTH = 640
FONT = 13


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str


def _svg(chart_id: str, title: str, height: int, body: list[str]) -> Markup:
    # Every piece is built here from numbers, fixed colours and escape()d text.
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], 0
    for s in series:
        parts.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(f'<text x="{x + 17}" y="{y}">{escape(s.name)}</text>')
        x += 30 + 8 * len(s.name)
    return parts


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, float]], fmt: str = "{:g}") -> Markup:
    """Horizontal bars, one per row, each label above its bar (long labels stay readable)."""
    return stacked_bar_chart(
        chart_id, title, [label for label, _ in rows], [Series("", [v for _, v in rows], PALETTE[0])], fmt=fmt
    )


def stacked_bar_chart(
    chart_id: str, title: str, categories: Sequence[str], series: Sequence[Series], fmt: str = "{:g}"
) -> Markup:
    """One horizontal bar per category, split into the series' segments, total at the end."""
    legend = [s for s in series if s.name]
    top = 28 if legend else 4
    row = 40
    height = top + row * max(len(categories), 1) + 4
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    scale = (WIDTH - 70) / max(max(totals, default=0), 1)
    body = _legend(legend, 14) if legend else []
    for i, category in enumerate(categories):
        y = top + i * row
        body.append(f'<text x="0" y="{y + 13}">{escape(_shorten(category, 90))}</text>')
        x = 0.0
        for s in series:
            width = s.values[i] * scale
            if width > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 18}" width="{width:.1f}" height="16" fill="{s.colour}" '
                    'stroke="#ffffff" stroke-width="1"/>'
                )
            x += width
        body.append(f'<text x="{x + 6:.1f}" y="{y + 31}">{escape(fmt.format(totals[i]))}</text>')
    return _svg(chart_id, title, height, body)


def column_chart(chart_id: str, title: str, categories: Sequence[str], series: Sequence[Series]) -> Markup:
    """Vertical columns per category (months, delay buckets), series side by side, with a y axis."""
    legend = [s for s in series if s.name]
    top, bottom, left = (36 if legend else 12), 40, 44
    height = 280
    plot = height - top - bottom
    peak = max((v for s in series for v in s.values), default=0)
    step = _nice_step(peak)
    ceiling = max(step * 4, 1)
    band = (WIDTH - left) / max(len(categories), 1)
    bar = max(min((band - 8) / max(len(series), 1), 40), 2)
    body = _legend(legend, 14) if legend else []
    for tick in range(5):
        value = tick * ceiling / 4
        y = top + plot - plot * value / ceiling
        body.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="#767676" stroke-width="0.5"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    label_every = max(1, round(len(categories) / 12))
    for i, category in enumerate(categories):
        x0 = left + i * band + (band - bar * len(series)) / 2
        for j, s in enumerate(series):
            h = plot * s.values[i] / ceiling
            body.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{top + plot - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"/>'
            )
        if i % label_every == 0:
            body.append(
                f'<text x="{left + i * band + band / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
                f"{escape(category)}</text>"
            )
    return _svg(chart_id, title, height, body)


def _nice_step(peak: float) -> float:
    """A round tick step so that four ticks cover ``peak`` (1, 2 or 5 times a power of ten)."""
    raw = max(peak, 1) / 4
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= raw:
            return float(magnitude * factor)
    return float(magnitude * 10)
