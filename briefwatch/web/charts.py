"""A casualty series as a step chart, drawn on the server as SVG (no chart code in the page):
one line per claimant, each figure holding until that claimant's next one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from briefwatch.web.queries import Point

WIDTH, HEIGHT, PAD = 640, 220, 40
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


@dataclass(frozen=True)
class Line:
    claimant: str
    colour: str
    points: list[tuple[float, float]]  # SVG coordinates
    last: int


def _lines(points: Sequence[Point], until: datetime) -> list[Line]:
    start = points[0].published
    span = max((until - start).total_seconds(), 1.0)
    top = max(p.count for p in points) or 1

    def xy(when: datetime, count: int) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * (when - start).total_seconds() / span
        return (round(x, 1), round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * count / top, 1))

    by_claimant: dict[str, list[Point]] = {}
    for point in points:
        by_claimant.setdefault(point.claimant, []).append(point)
    lines = []
    for n, (claimant, own) in enumerate(by_claimant.items()):
        steps: list[tuple[float, float]] = []
        for i, point in enumerate(own):
            if i:
                steps.append(xy(point.published, own[i - 1].count))  # held until this figure
            steps.append(xy(point.published, point.count))
        steps.append(xy(until, own[-1].count))
        lines.append(Line(claimant, COLOURS[n % len(COLOURS)], steps, own[-1].count))
    return lines


def step_chart(points: Sequence[Point], title: str) -> Markup:
    """The SVG of ``points`` (time-ordered); every text in it escaped. The last figures are
    drawn on a little past the last one (a tenth of the span, a day at least), not to today:
    a war's toll read years later stays readable."""
    if not points:
        return Markup("<p class='empty'>No dated figures yet.</p>")
    span = points[-1].published - points[0].published
    until = points[-1].published + max(span / 10, timedelta(days=1))
    lines = _lines(points, until)
    parts = [
        f'<svg class="step-chart" viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(lines)}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#888"/>',
        f'<text x="{PAD}" y="{HEIGHT - PAD + 16}" font-size="11">'
        f"{points[0].published:%Y-%m-%d}</text>",
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - PAD + 16}" font-size="11" text-anchor="end">'
        f"{until:%Y-%m-%d}</text>",
    ]
    for n, line in enumerate(lines):
        path = " ".join(f"{x},{y}" for x, y in line.points)
        parts.append(
            f'<polyline class="series" data-claimant="{escape(line.claimant)}" points="{path}" '
            f'fill="none" stroke="{line.colour}" stroke-width="2"/>'
        )
        y = HEIGHT + 20 * n
        parts.append(
            f'<rect x="{PAD}" y="{y - 9}" width="10" height="10" fill="{line.colour}"/>'
            f'<text x="{PAD + 16}" y="{y}" font-size="12">{escape(line.claimant)}: '
            f"{line.last:,}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
