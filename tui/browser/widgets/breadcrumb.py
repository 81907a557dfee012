"""The line at the top: the path from the root to the node under the cursor."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.text.format import visible


class Breadcrumb(Static):
    def show(self, labels: list[str]) -> None:
        self.update(Text(" › ".join(visible(label) for label in labels)))
