"""The pieces of the detail pane a reader opens: a total whose figures unfold under it, and a
quote's source, which opens its document.

Both are focusable: Tab reaches them, Enter or a click acts. Text from the database reaches them
as Rich Text made visible (tui.text.format.visible), never as markup.
"""
from __future__ import annotations

from typing import Callable, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from tui.browser.bindings import translated_bindings


class OpenDocument(Message):
    """A reader asked for the document `key`."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class SourceLink(Static, can_focus=True):
    """A quote's document, as its citation reads; Enter or a click opens the document."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "open_document", "Open document")]

    def __init__(self, citation: Text, key: str, **kwargs) -> None:
        super().__init__(citation, **kwargs)
        self._bindings = translated_bindings(self._bindings)
        self.key = key

    def action_open_document(self) -> None:
        self.post_message(OpenDocument(self.key))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open_document()


class TotalFigures(Collapsible):
    """A sum, naming the figures it adds; Enter or a click unfolds them with their quotes.

    The figures are made when first unfolded: a fact sheet holds dozens of totals, and mounting
    every quote of every one of them made each cursor move in the tree slow."""

    def __init__(self, title: Text, figures: Callable[[], list[Widget]], **kwargs) -> None:
        self.heading = title
        self._figures: Callable[[], list[Widget]] | None = figures
        super().__init__(collapsed=True, **kwargs)

    def _on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self and self._figures is not None:
            figures, self._figures = self._figures, None
            self.query_one(Collapsible.Contents).mount_all(figures())

    def _watch_title(self, title: str) -> None:
        # Collapsible reads a string title as markup: ours is Rich Text, shown as it is.
        self._title.label = Content.from_rich_text(self.heading)
