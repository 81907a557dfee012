"""Every key the browser answers to, with what it does: Duikou's own first, then the generic ones."""
from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.browser.bindings import translated_bindings
from tui.text.i18n import tr


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        """`sections`: (heading, [(keys as displayed, what they do)]) in the order shown."""
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text(tr("Keys") + " · " + tr("↑ ↓ PgUp PgDn scroll, Esc closes")), classes="title")
            for heading, rows in self.sections:
                table = Table.grid(padding=(0, 2))
                table.add_column(no_wrap=True, style="bold")
                table.add_column()
                for keys, does in rows:
                    table.add_row(Text(keys), Text(does))
                yield Static(Text(heading), classes="heading")
                yield Static(table, classes="keys")

    def on_mount(self) -> None:
        self.query_one("#help").focus()   # so ↑ ↓ PgUp PgDn scroll the list at once
