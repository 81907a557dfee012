"""A horizontal bar chart of money: one line per sector or period, sized to the pane's width.

Widths are counted in terminal cells (a Chinese character takes two), and a value keeps its unit
whatever the width: the label gives way first (cut with an ellipsis), then the bar.
"""
from __future__ import annotations

from typing import Callable, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.text.format import money_short, visible


class BarChart(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bar-chart--bar", "bar-chart--value"}

    def __init__(self, rows: list[tuple[str, float]], shown: Callable[[float], str] = money_short, **kwargs) -> None:
        """`rows`: (label, value); `shown`: how a value reads, its unit included."""
        super().__init__(**kwargs)
        self.rows = [(visible(label), value) for label, value in rows]
        self.shown = shown

    def render(self) -> Text:
        return chart_text(self.rows, self.shown, self.content_size.width or 40,
                          self.get_component_rich_style("bar-chart--bar"),
                          self.get_component_rich_style("bar-chart--value"))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows)


def chart_text(rows: list[tuple[str, float]], shown: Callable[[float], str], width: int,
               bar_style: object = "", value_style: object = "") -> Text:
    """The chart's lines at `width` cells: `label bar value`, each value whole with its unit."""
    values = [shown(value) for _, value in rows]
    value_width = max((cell_len(value) for value in values), default=0)
    widest_label = max((cell_len(label) for label, _ in rows), default=0)
    # The label takes up to a third of the line, and less when the value needs the room.
    label_width = max(min(widest_label, width // 3, width - value_width - 3), 0)
    bar_room = max(width - label_width - value_width - 2, 1)
    largest = max((value for _, value in rows), default=0) or 1
    text = Text(no_wrap=True, overflow="crop")
    for (label, value), value_text in zip(rows, values):
        name = Text(label)
        name.truncate(label_width, overflow="ellipsis", pad=True)
        # Any non-zero amount gets at least a sliver, so it never looks like nothing.
        length = min(max(round(bar_room * value / largest), 1 if value else 0), bar_room)
        text.append_text(name)
        text.append(" ")
        text.append("█" * length, bar_style)
        text.append(" " * (bar_room - length + value_width - cell_len(value_text) + 1))
        text.append(value_text, value_style)
        text.append("\n")
    text.rstrip()
    return text
