"""The daily spend as a stacked bar chart (PNG), drawn with Pillow (already a dependency).

Matplotlib would be 40+ MB of dependency for one picture; the chart needs bars, a scale, a few
labels and a legend. Colours are the Okabe-Ito palette, which stays readable with colour blindness.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from infra.cost.explorer import DailySpend

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]
WIDTH, HEIGHT = 1100, 560
LEFT, RIGHT, TOP, BOTTOM = 80, 300, 60, 70


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round tick interval (1, 2 or 5 × 10^k) covering ``maximum`` in about ``ticks`` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def render(spend: DailySpend, path: Path, title: str, top: int = 6) -> Path:
    series = spend.top(top)
    totals = spend.day_totals()
    step = nice_step(max(totals, default=0.0))
    y_max = step * max(1, math.ceil(max(totals, default=0.0) / step))
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=12)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h - value / y_max * plot_h

    draw.text((LEFT, 20), title, fill="black", font=font)
    for tick in range(round(y_max / step) + 1):
        value = tick * step
        draw.line([(LEFT, y(value)), (LEFT + plot_w, y(value))], fill="#dddddd")
        draw.text((LEFT - 8, y(value)), f"{value:.2f}", fill="black", font=small, anchor="rm")
    draw.text((14, TOP - 24), spend.unit, fill="black", font=small)

    slot = plot_w / max(1, len(spend.days))
    label_every = max(1, math.ceil(len(spend.days) / 10))
    for i, day in enumerate(spend.days):
        x0, x1 = LEFT + i * slot + slot * 0.15, LEFT + (i + 1) * slot - slot * 0.15
        base = 0.0
        for colour, amounts in zip(PALETTE, series.values(), strict=False):
            if amounts[i] > 0:
                draw.rectangle([(x0, y(base + amounts[i])), (x1, y(base))], fill=colour)
            base += amounts[i]
        if i % label_every == 0:
            label_at = ((x0 + x1) / 2, TOP + plot_h + 8)
            draw.text(label_at, day.strftime("%m-%d"), fill="black", font=small, anchor="ma")
    draw.line([(LEFT, TOP), (LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)], fill="black")

    legend_x = LEFT + plot_w + 24
    for row, (colour, (service, amounts)) in enumerate(zip(PALETTE, series.items(), strict=False)):
        top_y = TOP + row * 26
        draw.rectangle([(legend_x, top_y), (legend_x + 14, top_y + 14)], fill=colour)
        label = f"{service[:30]} {sum(amounts):.2f}"
        draw.text((legend_x + 22, top_y), label, fill="black", font=small)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
    return path
