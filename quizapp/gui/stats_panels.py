"""The statistics window's text panels: today, the true retention table, exercises."""

from __future__ import annotations

from html import escape

from quizapp.gui.theme import Colors
from quizapp.services.statistics import Statistics
from quizapp.services.statistics_figures import RETENTION_WINDOWS, Retention

# The weakest families are listed beside the mistakes; the chart shows them all.
FAMILIES_LISTED = 8


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def today_html(stats: Statistics, colors: Colors) -> str:
    """Today's figures, large."""
    today = stats.today

    def figure(value: str, caption: str, color: str = colors.text) -> str:
        return (
            f"<td style='padding: 0 18px 0 0'><span style='font-size: 24px; font-weight: 600; "
            f"color: {color}'>{value}</span><br><span style='color: {colors.muted}'>"
            f"{caption}</span></td>"
        )

    return (
        "<span style='font-size: 15px; font-weight: 600'>Today</span><table><tr>"
        + figure(f"{today.studied:,}", "cards studied")
        + figure(f"{today.minutes:.0f} min", "spent")
        + figure(f"{today.again:,}", "Again", colors.again)
        + figure(_percent(today.true_retention), "true retention", colors.good)
        + "</tr></table>"
    )


def _cell(value: Retention, desired: float, colors: Colors) -> str:
    retention = value.retention
    if retention is None:
        return f"<td align='right' style='color: {colors.muted}'>–</td>"
    color = colors.good if retention >= desired else colors.again
    total = value.passed + value.failed
    return (
        f"<td align='right' style='padding: 2px 10px'><span style='color: {color}; "
        f"font-weight: 600'>{retention:.1%}</span> <span style='color: {colors.muted}'>"
        f"({total:,})</span></td>"
    )


def retention_html(stats: Statistics, colors: Colors) -> str:
    """True retention of review answers, young / mature × today … year, against the goal."""
    header = "".join(
        f"<th align='right' style='padding: 2px 10px; color: {colors.muted}'>{name.capitalize()}"
        "</th>"
        for name, _ in RETENTION_WINDOWS
    )
    rows = "".join(
        f"<tr><td style='padding: 2px 10px 2px 0'>{group.capitalize()}</td>"
        + "".join(
            _cell(stats.true_retention[group][window], stats.desired_retention, colors)
            for window, _ in RETENTION_WINDOWS
        )
        + "</tr>"
        for group in ("young", "mature", "all")
    )
    return (
        "<span style='font-size: 15px; font-weight: 600'>True retention</span> "
        f"<span style='color: {colors.muted}'>desired {stats.desired_retention:.0%}; "
        "(answers)</span>"
        f"<table cellspacing='0'><tr><th></th>{header}</tr>{rows}</table>"
    )


def _trend(points: tuple[tuple[int, int, float], ...]) -> str:
    if len(points) < 2:
        return ""
    change = (points[-1][2] - points[-2][2]) * 100
    arrow = "↑" if change > 0.5 else "↓" if change < -0.5 else "→"
    return f"{arrow} {change:+.0f} points on the week before"


def mistakes_html(stats: Statistics, colors: Colors) -> str:
    """The most frequent named mistakes, and each exercise family's accuracy and trend."""
    period = "in all" if stats.period_days is None else f"in the last {stats.period_days} days"
    title = "<span style='font-size: 15px; font-weight: 600'>Mistakes you keep making</span>"
    if stats.mistakes:
        items = "".join(
            f"<li><b>{escape(m.mistake)}</b> — {m.count} time{'s' if m.count != 1 else ''} "
            f"{period} <span style='color: {colors.muted}'>({escape(m.template_id)})</span></li>"
            for m in stats.mistakes
        )
        mistakes = f"<ul style='margin: 4px 0'>{items}</ul>"
    else:
        mistakes = (
            f"<p style='color: {colors.muted}'>No named mistake {period}: a wrong exercise "
            "answer that a known slip explains (forgetting the biases…) is listed here.</p>"
        )
    families = "".join(
        f"<tr><td style='padding: 1px 12px 1px 0'>{escape(f.name)}</td>"
        f"<td align='right' style='padding: 1px 12px'>{f.accuracy:.0%}</td>"
        f"<td align='right' style='color: {colors.muted}; padding: 1px 12px'>{f.answers:,} "
        f"answers</td><td style='color: {colors.muted}'>{_trend(f.trend)}</td></tr>"
        for f in stats.exercises[:FAMILIES_LISTED]
    )
    table = (
        "<p style='font-weight: 600; margin-top: 8px'>Weakest exercise families</p>"
        f"<table>{families}"
        "</table>"
        if families
        else ""
    )
    return title + mistakes + table
