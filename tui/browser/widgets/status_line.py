"""The line at the bottom: how much the open database holds, the tree's order, and which file is open."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tui.data.atlas import Counts
from tui.text.format import visible
from tui.text.i18n import tr

PROGRESS_WIDTH = 20     # cells of the bar of rows brought up to date


class StatusLine(Static):
    def show(self, counts: Counts, database: Path, order: str) -> None:
        if counts.updating:
            self.progress(0, 0)
            return
        self.update(Text.assemble(
            tr("{pairings} pairings · {projects} projects · {figures} figures · {documents} documents",
               pairings=f"{counts.pairings:,}", projects=f"{counts.projects:,}", figures=f"{counts.figures:,}",
               documents=f"{counts.documents:,}"),
            f"  {tr('order')}: {tr(order)}  ",
            # The file's name, not its folder: the status line must fit in 80 columns.
            (visible(database.name), "dim")))

    def progress(self, done: int, total: int) -> None:
        """Search and sums being brought up to date with other programs' changes: `done` rows of `total`."""
        filled = PROGRESS_WIDTH * done // total if total else 0
        self.update(Text.assemble(
            tr("Sums being updated with other programs' changes"), "  ",
            ("█" * filled + "░" * (PROGRESS_WIDTH - filled), "bold"),
            f"  {done:,}/{total:,}" if total else ""))
