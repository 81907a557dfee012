"""Every key the browser answers to, with what it does."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui.browser.bindings import translated_bindings
from tui.text.i18n import tr


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """`keys`: (key as displayed, what it does) for every binding of the screen below."""
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text(tr("Keys")), classes="title")
            table: DataTable = DataTable(cursor_type="none", zebra_stripes=True)
            table.add_columns(Text(tr("Key")), Text(tr("Action")))
            table.add_rows((Text(key), Text(description)) for key, description in self.keys)
            yield table
