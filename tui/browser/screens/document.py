"""One source document: its title (or "untitled" and its key), publisher, author and date, and
the figures and projects that cite it, a page at a time (`m` reads the next)."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.browser.bindings import translated_bindings
from tui.browser.messages import DocumentLoaded
from tui.data.documents import PAGE, DocumentView, next_page
from tui.data.shared import SharedAtlas
from tui.text.format import document_title, quantity, visible, years
from tui.text.i18n import language, tr


class DocumentScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("m", "more", "Show more", tooltip="The next figures and projects citing the document"),
    ]

    def __init__(self, atlas: SharedAtlas, view: DocumentView) -> None:
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
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
            yield Static(id="figures-heading", classes="heading")
            yield Static(id="figures")
            yield Static(id="projects-heading", classes="heading")
            yield Static(id="projects")
            yield Static(id="more")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        view = self.view
        self.query_one("#figures-heading", Static).update(
            Text(tr("Figures citing it ({count})", count=_shown(len(view.figures), view.figure_count))))
        self.query_one("#figures", Static).update(Text("\n").join(
            Text(f"• {visible(figure.name)}  {quantity(figure.value, figure.unit, figure.qualifier, language())}"
                 f"  {years(figure.year, figure.end_year)}  #{figure.id}") for figure in view.figures))
        self.query_one("#projects-heading", Static).update(
            Text(tr("Projects citing it ({count})", count=_shown(len(view.projects), view.project_count))))
        self.query_one("#projects", Static).update(Text("\n").join(
            Text(f"• {visible(project.name)}  {years(project.year, project.end_year)}  #{project.id}")
            for project in view.projects))
        self.query_one("#more", Static).update(
            "" if view.complete else Text(tr("m: show {count} more", count=PAGE), "dim"))

    def action_more(self) -> None:
        if not self.view.complete:
            self._read_more(self.view)

    @work(thread=True, exclusive=True, group="document-page")
    def _read_more(self, view: DocumentView) -> None:
        self.post_message(DocumentLoaded(self.atlas.ask(lambda atlas: next_page(atlas, view))))

    @on(DocumentLoaded)
    def _more_read(self, message: DocumentLoaded) -> None:
        message.stop()
        grown = len(message.view.figures) + len(message.view.projects) > len(self.view.figures) + len(self.view.projects)
        if message.view.document == self.view.document and grown:
            self.view = message.view
            self._show()


def _shown(shown: int, count: int) -> str:
    """How many are listed: all of them ("157") or the first so many ("50 of 157,204")."""
    return f"{count:,}" if shown >= count else tr("{shown} of {count}", shown=f"{shown:,}", count=f"{count:,}")
