"""`duikou draft --review`: each proposed figure with its sentence, the number highlighted; keys
accept or reject it, or change its home, measure, sector, basis or total, before the SQL is written.

The screen changes the draft's candidates in place; the command line writes what is accepted."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.browser.bindings import translated_bindings
from tui.data.draft import Candidate, Draft
from tui.data.draft.homes import Home
from tui.text.format import number, visible

COLUMNS = ("", "Wording", "Value", "Unit", "Qualifier", "Basis", "Measure", "Sector", "Home", "Part of")


class ReviewScreen(Screen[bool]):
    """Dismissed with True to write the accepted figures, False to leave without writing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("x", "reject", "Reject"),
        Binding("h", "cycle('home')", "Change home"),
        Binding("m", "cycle('measure')", "Change measure"),
        Binding("s", "cycle('sector')", "Change sector"),
        Binding("b", "cycle('basis')", "Toggle basis"),
        Binding("p", "cycle('part_of')", "Change total"),
        Binding("w", "write", "Write SQL"),
        Binding("q,escape", "leave", "Quit without writing"),
    ]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.draft = draft
        self.homes = [Home(pairing_id, None, f"pairing {pairing_id} ({label}): chosen in review")
                      for pairing_id, label in draft.pairings]
        self.homes.append(Home(None, None, "no home: chosen in review"))

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Text(self._heading()), id="review-heading")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="review-table")
            yield Static(id="review-sentence")
            yield Static(id="review-why")
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        table.add_columns(*COLUMNS)
        for candidate in self.draft.candidates:
            table.add_row(*self._cells(candidate), key=str(candidate.index))
        table.focus()
        self._show(self.current)

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    @property
    def current(self) -> Candidate:
        return self.draft.candidates[min(self.table.cursor_row, len(self.draft.candidates) - 1)]

    def _heading(self) -> str:
        accepted = sum(candidate.accepted for candidate in self.draft.candidates)
        return (f"{visible(self.draft.article.key)}: {len(self.draft.candidates)} figures proposed, "
                f"{accepted} accepted")

    def _home_label(self, candidate: Candidate) -> str:
        if candidate.project is not None:
            return f"project {self.draft.projects[candidate.project].name}"
        if candidate.home.pairing_id is not None:
            return dict(self.draft.pairings).get(candidate.home.pairing_id, f"pairing {candidate.home.pairing_id}")
        if candidate.home.place_id is not None:
            return self.draft.places.get(candidate.home.place_id, f"place {candidate.home.place_id}")
        return "— to place"

    def _cells(self, candidate: Candidate) -> list[Text]:
        total = self.draft.candidates[candidate.part_of].wording if candidate.part_of is not None else ""
        cells = ["✓" if candidate.accepted else "✗", candidate.wording, number(candidate.value), candidate.unit,
                 candidate.qualifier or "", candidate.basis, candidate.measure, candidate.sector or "",
                 self._home_label(candidate), total]
        return [Text(visible(cell)) for cell in cells]

    def _show(self, candidate: Candidate) -> None:
        """The sentence with the wording highlighted, and why each guess was made."""
        sentence = Text(visible(candidate.sentence))
        at = candidate.sentence_at
        sentence.stylize("reverse bold", at, at + len(candidate.wording))
        self.query_one("#review-sentence", Static).update(sentence)
        self.query_one("#review-why", Static).update(Text("\n".join(visible(why) for why in candidate.why)))

    def _refresh(self, candidate: Candidate) -> None:
        for column, cell in enumerate(self._cells(candidate)):
            self.table.update_cell(str(candidate.index), self.table.ordered_columns[column].key, cell)
        self.query_one("#review-heading", Static).update(Text(self._heading()))
        self._show(candidate)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self.current)

    # -- keys ------------------------------------------------------------------------------------

    def action_accept(self) -> None:
        self.current.accepted = True
        self._refresh(self.current)

    def action_reject(self) -> None:
        self.current.accepted = False
        self._refresh(self.current)

    def action_cycle(self, what: str) -> None:
        candidate = self.current
        if what == "home":
            at = next((i for i, home in enumerate(self.homes) if home.pairing_id == candidate.home.pairing_id
                       and home.place_id is None), -1) if candidate.project is None else -1
            candidate.home, candidate.project = self.homes[(at + 1) % len(self.homes)], None
            candidate.why.append(f"home {candidate.home.why}")
        elif what == "measure":
            candidate.measure = _next(self.draft.measures, candidate.measure)
        elif what == "sector":
            candidate.sector = _next([*self.draft.sectors, None], candidate.sector)
        elif what == "basis":
            candidate.basis = "actual" if candidate.basis == "planned" else "planned"
        elif what == "part_of":
            # The figures before it in the text, of its unit, nearest first; then none.
            totals = [other.index for other in reversed(self.draft.candidates[:candidate.index])
                      if other.unit == candidate.unit and other.part_of != candidate.index]
            candidate.part_of = _next([*totals, None], candidate.part_of)
        self._refresh(candidate)

    def action_write(self) -> None:
        self.dismiss(True)

    def action_leave(self) -> None:
        self.dismiss(False)


def _next(choices: list, current):
    return choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]


class ReviewApp(App[bool]):
    CSS_PATH = "../review.tcss"
    TITLE = "Duikou 对口 · draft review"

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.draft), self.exit)


def review(draft: Draft) -> bool:
    """Review `draft` in the terminal; True when the curator chose to write the SQL."""
    return bool(ReviewApp(draft).run())
