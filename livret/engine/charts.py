"""Server-side SVG charts as plain data: points of a line chart in a fixed viewBox. No Django."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]  # one value per x step, between 0 and 100 (a percentage)
    points: str  # "x,y x,y …" for <polyline points=…>
    last: float


def percent_series(label: str, values: list[float], width=600, height=200) -> Series:
    """A percentage series scaled to a width × height box (y grows downwards in SVG)."""
    n = max(len(values) - 1, 1)
    pts = " ".join(
        f"{round(i * width / n, 1)},{round(height - min(max(v, 0), 100) * height / 100, 1)}"
        for i, v in enumerate(values)
    )
    return Series(label, values, pts, values[-1] if values else 0.0)


def cumulative_share(events_by_step: list[int], total: int) -> list[float]:
    """Cumulative share (in %) of `total` reached at each step, from counts of new events."""
    out, running = [], 0
    for count in events_by_step:
        running += count
        out.append(round(100 * running / total, 1) if total else 0.0)
    return out
