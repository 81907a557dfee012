"""The line at the bottom: how much the open database holds, the tree's order, and which file is open."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tui.data.atlas import Counts
from tui.text.format import visible
from tui.text.i18n import tr


class StatusLine(Static):
    def show(self, counts: Counts, database: Path, order: str) -> None:
        self.update(Text.assemble(
            tr("{pairings} pairings · {projects} projects · {figures} figures · {documents} documents",
               pairings=f"{counts.pairings:,}", projects=f"{counts.projects:,}", figures=f"{counts.figures:,}",
               documents=f"{counts.documents:,}"),
            f"  {tr('order')}: {tr(order)}  ",
            # The file's name, not its folder: the status line must fit in 80 columns.
            (visible(database.name), "dim")))
