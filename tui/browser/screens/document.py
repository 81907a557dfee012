"""One source document: its title (or "untitled" and its key), publisher, author and date, and
every figure and project that cites it."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.browser.bindings import translated_bindings
from tui.data.documents import LIMIT, DocumentView
from tui.text.format import document_title, quantity, visible, years
from tui.text.i18n import language, tr


class DocumentScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, view: DocumentView) -> None:
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.view = view

    def compose(self) -> ComposeResult:
        document = self.view.document
        with VerticalScroll(id="document"):
            yield Static(Text(visible(document_title(document.title, language()))), classes="title")
            fields = Text()
            for name, value in (("Publisher", document.publisher), ("Author", document.author),
                                ("Published", document.published), ("Key", document.key)):
                if value:
                    fields.append(f"{tr(name)}: ", "bold")
                    fields.append(f"{visible(value)}\n")
            fields.rstrip()
            yield Static(fields)
            yield Static(Text(tr("Figures citing it ({count})", count=f"{self.view.figure_count:,}")), classes="heading")
            yield Static(Text("\n").join(
                Text(f"• {visible(figure.name)}  {quantity(figure.value, figure.unit, figure.qualifier, language())}"
                     f"  {years(figure.year, figure.end_year)}  #{figure.id}") for figure in self.view.figures))
            yield Static(Text(tr("Projects citing it ({count})", count=f"{self.view.project_count:,}")),
                         classes="heading")
            yield Static(Text("\n").join(
                Text(f"• {visible(project.name)}  {years(project.year, project.end_year)}  #{project.id}")
                for project in self.view.projects))
            if max(self.view.figure_count, self.view.project_count) > LIMIT:
                yield Static(Text(tr("the first {count} shown", count=LIMIT)))
