"""The filter of the sums the detail pane shows: all years or one, both bases or one."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.browser.bindings import translated_bindings
from tui.data.fact_sheet import BASES, Filter
from tui.text.i18n import tr

_BASIS_LABELS = {None: "actual and planned", "actual": "actual only", "planned": "planned only"}


class FilterScreen(ModalScreen[Filter | None]):
    """Choosing a basis or a year closes the screen with the filter changed in that one respect."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f", "dismiss", "Close")]

    def __init__(self, current: Filter, years: tuple[int, ...]) -> None:
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.current = current
        self.years = years

    def compose(self) -> ComposeResult:
        options = [Option(Text(("● " if self.current.basis == basis else "  ") + tr(label)), id=f"basis:{basis or ''}")
                   for basis, label in _BASIS_LABELS.items()]
        options.append(None)
        options += [Option(Text(("● " if self.current.year == year else "  ") +
                                (str(year) if year is not None else tr("all years"))), id=f"year:{year or ''}")
                    for year in (None, *self.years)]
        with Vertical(id="filter"):
            yield Static(Text(tr("Filter years and basis")), classes="title")
            yield OptionList(*options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "basis":
            self.dismiss(self.current._replace(basis=value if value in BASES else None))
        else:
            self.dismiss(self.current._replace(year=int(value) if value else None))
