"""Drawing each chart of the statistics window from the figures of one computation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from quizapp.gui.charts import Chart, ChartColors
from quizapp.services.statistics import Statistics
from quizapp.services.statistics_figures import Bin

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _date(stats: Statistics, day: int) -> datetime:
    return (stats.today_start + timedelta(days=day)).astimezone()


def _day_label(stats: Statistics, day: int) -> str:
    return _date(stats, day).strftime("%b %d").replace(" 0", " ")


def _day_ticks(chart: Chart, stats: Statistics, first: int, last: int) -> None:
    span = last - first + 1
    every = max(1, span // 6)
    ticks = [(day, _day_label(stats, day)) for day in range(last, first - 1, -every)]
    chart.getPlotItem().getAxis("bottom").setTicks([ticks])
    chart.getPlotItem().setXRange(first - 0.6, last + 0.6, padding=0)


def _near(x: float, first: int, last: int) -> int | None:
    day = round(x)
    return day if first <= day <= last else None


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def draw_forecast(chart: Chart, stats: Statistics) -> None:
    """Cards due per day from today, stacked learning / young / mature."""
    c = chart.colors
    days = [day.day for day in stats.forecast]
    chart.stacked_bars(
        days,
        [
            ("Learning", [d.learning for d in stats.forecast], c.learning),
            ("Young", [d.young for d in stats.forecast], c.young),
            ("Mature", [d.mature for d in stats.forecast], c.mature),
        ],
    )
    last = max(days[-1] if days else 0, (stats.period_days or 365) - 1, 6)
    _day_ticks(chart, stats, 0, min(last, 364))
    by_day = {d.day: d for d in stats.forecast}

    def describe(x: float, y: float) -> str:
        day = by_day.get(round(x))
        if day is None:
            return ""
        when = "Today (with overdue cards)" if day.day == 0 else _day_label(stats, day.day)
        total = day.learning + day.young + day.mature
        return (
            f"<b>{when}</b>: {total} due<br>learning {day.learning}, young {day.young}, "
            f"mature {day.mature}"
        )

    chart.describe = describe


def draw_reviews(chart: Chart, minutes: Chart, stats: Statistics) -> None:
    """Answers per day stacked by category, and the minutes spent per day."""
    c = chart.colors
    rows = stats.reviews_per_day
    x = [row.day for row in rows]
    chart.stacked_bars(
        x,
        [
            ("Learning", [r.learning for r in rows], c.learning),
            ("Young", [r.young for r in rows], c.young),
            ("Mature", [r.mature for r in rows], c.mature),
            ("Relearning", [r.relearning for r in rows], c.relearning),
        ],
    )
    minutes.stacked_bars(x, [("Minutes", [r.minutes for r in rows], c.line)])
    for target in (chart, minutes):
        _day_ticks(target, stats, stats.first_day, 0)
    by_day = {row.day: row for row in rows}

    def describe(x: float, y: float) -> str:
        row = by_day.get(round(x))
        if row is None:
            return ""
        return (
            f"<b>{_day_label(stats, row.day)}</b>: {row.total} answers in {row.minutes:.0f} min"
            f"<br>learning {row.learning}, young {row.young}, mature {row.mature}, "
            f"relearning {row.relearning}"
        )

    chart.describe = describe
    minutes.describe = describe


def draw_calendar(chart: Chart, stats: Statistics) -> None:
    """The last year's answers per day, one square a day, weeks as columns."""
    c = chart.colors
    peak = max(stats.calendar.values(), default=0)
    today = _date(stats, 0)
    cells: list[tuple[float, float, str]] = []
    positions: dict[tuple[int, int], int] = {}
    first = -364 - today.weekday()  # the Monday of the first week shown
    for day in range(first, 1):
        count = stats.calendar.get(day, 0)
        level = 0 if not count else 1 + min(3, int(4 * count / (peak + 1)))
        column, row = (day - first) // 7, (day - first) % 7
        cells.append((column, row, c.heat[level]))
        positions[(column, row)] = day
    chart.heatmap(cells)
    chart.setMinimumHeight(230)
    chart.setMaximumHeight(230)
    months = []
    for column in range(0, (0 - first) // 7 + 1):
        start = _date(stats, first + column * 7)
        if start.day <= 7:
            months.append((column, start.strftime("%b")))
    plot = chart.getPlotItem()
    plot.getAxis("bottom").setTicks([months])
    plot.getAxis("left").setTicks([[(-row, WEEKDAYS[row]) for row in (0, 2, 4, 6)]])
    plot.setXRange(-0.7, (0 - first) // 7 + 0.7, padding=0)
    plot.setYRange(-6.7, 0.7, padding=0)

    def describe(x: float, y: float) -> str:
        day = positions.get((round(x), round(-y)))
        if day is None:
            return ""
        return f"<b>{_date(stats, day):%a %b %d %Y}</b>: {stats.calendar.get(day, 0)} answers"

    chart.describe = describe


def draw_bins(chart: Chart, bins: Sequence[Bin], color: str, unit: str) -> None:
    """A distribution: one bar per bin, labelled on the axis."""
    chart.stacked_bars(range(len(bins)), [(unit, [b.count for b in bins], color)])
    chart.legend.clear()
    # The bins' lower bounds fit under narrow bars; the tooltip names the whole range.
    chart.category_axis([f"{b.low:g}" for b in bins])
    total = sum(b.count for b in bins) or 1

    def describe(x: float, y: float) -> str:
        index = round(x)
        if not 0 <= index < len(bins):
            return ""
        found = bins[index]
        return f"<b>{found.label}</b>: {found.count} cards ({found.count / total:.0%})"

    chart.describe = describe


def draw_card_counts(chart: Chart, stats: Statistics) -> None:
    """Cards by category, as bars in the category's colour."""
    c = chart.colors
    colors = {
        "new": c.new,
        "learning": c.learning,
        "relearning": c.relearning,
        "young": c.young,
        "mature": c.mature,
        "suspended": c.suspended,
        "buried": c.buried,
    }
    names = list(stats.card_counts)
    for index, name in enumerate(names):
        heights = [0.0] * len(names)
        heights[index] = stats.card_counts[name]
        chart.stacked_bars(range(len(names)), [(name.capitalize(), heights, colors[name])])
    chart.legend.clear()
    top = max(stats.card_counts.values(), default=0)
    chart.getPlotItem().setYRange(0, max(1, top) * 1.12)
    chart.category_axis([name.capitalize() for name in names])
    total = sum(stats.card_counts.values()) or 1

    def describe(x: float, y: float) -> str:
        index = round(x)
        if not 0 <= index < len(names):
            return ""
        count = stats.card_counts[names[index]]
        return f"<b>{names[index].capitalize()}</b>: {count:,} cards ({count / total:.0%})"

    chart.describe = describe


def draw_knowledge(chart: Chart, stats: Statistics) -> None:
    """The estimated number of cards known (sum of retrievability) over the period."""
    days = [day for day, _ in stats.knowledge]
    values = [value for _, value in stats.knowledge]
    chart.line(days, values, "Cards known", chart.colors.line)
    chart.legend.clear()
    _day_ticks(chart, stats, stats.first_day, 0)
    top = max(values, default=0.0)
    chart.getPlotItem().setYRange(0, max(1.0, top) * 1.12)
    known = dict(stats.knowledge)

    def describe(x: float, y: float) -> str:
        day = min(known, key=lambda d: abs(d - x), default=None)
        if day is None:
            return ""
        return f"<b>{_day_label(stats, day)}</b>: about {known[day]:,.0f} cards known"

    chart.describe = describe


def draw_added(chart: Chart, stats: Statistics) -> None:
    """Cards added per day."""
    days = [day for day, _ in stats.added]
    chart.stacked_bars(days, [("Added", [n for _, n in stats.added], chart.colors.new)])
    chart.legend.clear()
    _day_ticks(chart, stats, stats.first_day, 0)
    added = dict(stats.added)

    def describe(x: float, y: float) -> str:
        day = _near(x, stats.first_day, 0)
        if day is None or day not in added:
            return ""
        return f"<b>{_day_label(stats, day)}</b>: {added[day]:,} cards added"

    chart.describe = describe


def draw_hours(chart: Chart, stats: Statistics) -> None:
    """Success rate by hour of day (bars), the answers at each hour in the tooltip."""
    rates = [(rate.success or 0.0) * 100 for rate in stats.hours]
    chart.stacked_bars(range(24), [("Success %", rates, chart.colors.good)])
    chart.legend.clear()
    chart.category_axis([f"{hour}h" for hour in range(24)], every=3)
    chart.getPlotItem().setYRange(0, 105)

    def describe(x: float, y: float) -> str:
        hour = round(x)
        if not 0 <= hour < 24:
            return ""
        rate = stats.hours[hour]
        right = _percent(rate.success)
        return f"<b>{hour}:00–{hour + 1}:00</b>: {rate.answers} answers, {right} right"

    chart.describe = describe


def draw_buttons(chart: Chart, stats: Statistics) -> None:
    """Again, Hard, Good and Easy presses for learning, young and mature cards."""
    c = chart.colors
    groups = list(stats.buttons)
    colors = (c.again, c.hard, c.good, c.easy)
    for rating, name in enumerate(("Again", "Hard", "Good", "Easy")):
        x = [group + (rating - 1.5) * 0.2 for group in range(len(groups))]
        chart.stacked_bars(
            x, [(name, [stats.buttons[g][rating] for g in groups], colors[rating])], width=0.18
        )
    top = max((max(counts) for counts in stats.buttons.values()), default=0)
    chart.getPlotItem().setYRange(0, max(1, top) * 1.2)
    chart.category_axis([group.capitalize() for group in groups])

    def describe(x: float, y: float) -> str:
        group = round(x)
        if not 0 <= group < len(groups):
            return ""
        counts = stats.buttons[groups[group]]
        total = sum(counts) or 1
        shares = ", ".join(
            f"{name} {count} ({count / total:.0%})"
            for name, count in zip(("Again", "Hard", "Good", "Easy"), counts, strict=True)
        )
        return f"<b>{groups[group].capitalize()}</b>: {shares}"

    chart.describe = describe


def draw_accuracy(chart: Chart, names: Sequence[str], values: Sequence[float], color: str) -> None:
    """Accuracy (%) per name, as horizontal bars from 0 to 100."""
    chart.horizontal_bars(list(names), [value * 100 for value in values], color)
    chart.getPlotItem().setXRange(0, 100, padding=0.02)
    height = max(220, 80 + 20 * len(names))
    chart.setMinimumHeight(height)
    chart.setMaximumHeight(height)

    def describe(x: float, y: float) -> str:
        index = len(names) - 1 - round(y)
        if not 0 <= index < len(names):
            return ""
        return f"<b>{names[index]}</b>: {values[index]:.0%} right"

    chart.describe = describe


def chart_palette(chart: Chart) -> ChartColors:
    """The colours ``chart`` was made with."""
    return chart.colors
