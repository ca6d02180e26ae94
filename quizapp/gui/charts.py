"""Charts of the statistics window, drawn with pyqtgraph in the app's palette.

A :class:`Chart` is one titled plot with labelled axes, a legend, the values under
the mouse in a tooltip, and "Save as PNG…" in its context menu.  Bars are stacked
(learning, young, mature, relearning as in Anki), lines may share the plot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QColor, QCursor, QFont
from PySide6.QtWidgets import QFileDialog, QToolTip, QWidget

from quizapp.gui.theme import DARK, Colors

# Describes what is at a point of the plot (x, y in its units), for the tooltip ("": nothing).
Describe = Callable[[float, float], str]


@dataclass(frozen=True, slots=True)
class ChartColors:
    """The colours charts use in one palette: Anki's card categories among them."""

    background: str
    text: str
    muted: str
    grid: str
    new: str
    learning: str
    young: str
    mature: str
    relearning: str
    suspended: str
    buried: str
    again: str
    hard: str
    good: str
    easy: str
    line: str
    heat: tuple[str, ...]  # empty day, then fuller ones


def chart_colors(colors: Colors) -> ChartColors:
    """The chart colours that go with ``colors`` (light or dark)."""
    dark = colors is DARK
    return ChartColors(
        background=colors.surface,
        text=colors.text,
        muted=colors.muted,
        grid=colors.border,
        new=colors.new,
        learning="#f0a43a" if dark else "#d9822b",
        young="#8fd98f" if dark else "#71c271",
        mature="#3fae5a" if dark else "#22793b",
        relearning=colors.again,
        suspended="#d6c35a" if dark else "#b59b1a",
        buried="#8a8f98" if dark else "#9aa0a8",
        again=colors.again,
        hard=colors.hard,
        good=colors.good,
        easy=colors.easy,
        line=colors.accent,
        heat=(
            ("#34373d", "#1f4d2c", "#2b7a40", "#3fae5a", "#7be08f")
            if dark
            else ("#ebedf0", "#b7e1b7", "#71c271", "#3a9c4f", "#1b6b31")
        ),
    )


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """One titled plot: bars, lines or a heatmap, with hover values and PNG export."""

    def __init__(
        self, title: str, x_label: str, y_label: str, colors: ChartColors, name: str
    ) -> None:
        super().__init__(background=colors.background)
        self.setObjectName(name)
        self.colors = colors
        self.title = title
        self.describe: Describe = lambda x, y: ""
        self.setMinimumHeight(260)
        self.setMaximumHeight(320)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.setTitle(title, color=colors.text, size="12pt", bold=True)
        font = QFont()
        font.setPointSize(9)
        for side, label in (("bottom", x_label), ("left", y_label)):
            axis = item.getAxis(side)
            axis.setPen(colors.grid)
            axis.setTextPen(colors.muted)
            axis.setTickFont(font)
            axis.setLabel(label, color=colors.muted)
        item.showGrid(x=False, y=True, alpha=0.25)
        self.legend = item.addLegend(offset=(-8, 4), labelTextColor=colors.text, brush=None)
        self.legend.setLabelTextSize("9pt")
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        save = QAction("Save as PNG…", self)
        save.triggered.connect(self._on_save_triggered)
        self.addAction(save)

    def reset(self) -> None:
        """Remove what was drawn (before drawing new figures)."""
        self.getPlotItem().clear()
        self.legend.clear()
        self.getPlotItem().getAxis("bottom").setTicks(None)
        self.getPlotItem().getAxis("left").setTicks(None)
        self.describe = lambda x, y: ""

    def stacked_bars(
        self,
        x: Sequence[float],
        stacks: Sequence[tuple[str, Sequence[float], str]],
        width: float = 0.8,
    ) -> None:
        """Bars at ``x`` of each (name, heights, colour) stacked in order, with a legend."""
        base = np.zeros(len(x))
        for name, heights, color in stacks:
            values = np.asarray(heights, dtype=float)
            if not len(x) or not values.any():
                base = base + values
                continue
            bars = pg.BarGraphItem(
                x=list(x), y0=base, height=values, width=width, brush=color, pen=pg.mkPen(None)
            )
            self.addItem(bars)
            self.legend.addItem(bars, name)
            base = base + values
        top = float(base.max()) if len(base) else 1.0
        self.getPlotItem().setYRange(0, max(1.0, top) * 1.12, padding=0)

    def line(self, x: Sequence[float], y: Sequence[float], name: str, color: str) -> None:
        """A line with dots through (x, y)."""
        pen = pg.mkPen(color, width=2.5)
        item = self.plot(
            list(x), list(y), pen=pen, name=name, symbol="o", symbolSize=5, symbolBrush=color
        )
        item.setSymbolPen(pg.mkPen(None))

    def category_axis(self, labels: Sequence[str], every: int = 1) -> None:
        """Label the bottom axis 0, 1, 2… with ``labels`` (every ``every``-th one)."""
        ticks = [(index, label) for index, label in enumerate(labels) if index % every == 0]
        self.getPlotItem().getAxis("bottom").setTicks([ticks])
        self.getPlotItem().setXRange(-0.6, len(labels) - 0.4, padding=0)

    def heatmap(self, cells: Sequence[tuple[float, float, str]]) -> None:
        """Square cells (column, row, colour), as a calendar's days (row 0 on top)."""
        spots = [
            {"pos": (column, -row), "brush": pg.mkBrush(color)} for column, row, color in cells
        ]
        scatter = pg.ScatterPlotItem(spots=spots, symbol="s", size=0.86, pxMode=False)
        scatter.setPen(pg.mkPen(None))
        self.addItem(scatter)

    def horizontal_bars(self, labels: Sequence[str], values: Sequence[float], color: str) -> None:
        """One bar per label, from the left axis, the labels on it (top to bottom)."""
        rows = list(range(len(labels)))[::-1]
        bars = pg.BarGraphItem(
            x0=0, y=rows, height=0.7, width=list(values), brush=color, pen=pg.mkPen(None)
        )
        self.addItem(bars)
        axis = self.getPlotItem().getAxis("left")
        axis.setTicks([list(zip(rows, labels, strict=True))])
        axis.setWidth(170)
        self.getPlotItem().setYRange(-0.6, len(labels) - 0.4, padding=0)

    def save_png(self, path: str) -> None:
        """Write the chart as a PNG image at ``path``."""
        if not self.grab().save(path, "PNG"):
            raise OSError(f"could not write {path}")

    def hover_text(self, position: QPointF) -> str:
        """What the tooltip says at ``position`` (scene coordinates)."""
        box = self.getPlotItem().vb
        if not box.sceneBoundingRect().contains(position):
            return ""
        point = box.mapSceneToView(position)
        return self.describe(point.x(), point.y())

    def _on_mouse_moved(self, position: QPointF) -> None:
        text = self.hover_text(position)
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def _on_save_triggered(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, f"Save {self.title}", f"{self.objectName()}.png", "PNG images (*.png)"
        )
        if name:
            self.save_png(name)


def text_color(widget: QWidget, color: str) -> None:
    """Give a label the colour ``color`` (for a figure in a category's colour)."""
    palette = widget.palette()
    palette.setColor(widget.foregroundRole(), QColor(color))
    widget.setPalette(palette)
