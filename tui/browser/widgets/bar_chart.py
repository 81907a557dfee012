"""A horizontal bar chart of money: one line per sector or year, sized to the pane's width."""
from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.text.format import money_short, visible


class BarChart(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bar-chart--bar", "bar-chart--value"}

    def __init__(self, rows: list[tuple[str, float]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows = [(visible(label), value) for label, value in rows]

    def render(self) -> Text:
        width = self.content_size.width or 40
        values = [money_short(value) for _, value in self.rows]
        label_width = min(max((cell_len(label) for label, _ in self.rows), default=0), width // 3)
        value_width = max((len(value) for value in values), default=0)
        bar_room = max(width - label_width - value_width - 3, 1)
        largest = max((value for _, value in self.rows), default=0) or 1
        bar_style = self.get_component_rich_style("bar-chart--bar")
        value_style = self.get_component_rich_style("bar-chart--value")
        text = Text()
        for (label, value), shown in zip(self.rows, values):
            name = Text(label)
            name.truncate(label_width, overflow="ellipsis", pad=True)
            # Any non-zero amount gets at least a sliver, so it never looks like nothing.
            length = max(round(bar_room * value / largest), 1 if value else 0)
            text.append_text(name)
            text.append(" ")
            text.append("█" * length, bar_style)
            text.append(" " + shown.rjust(value_width + bar_room - length), value_style)
            text.append("\n")
        text.rstrip()
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows)
