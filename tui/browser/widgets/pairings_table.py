"""Every pairing side by side, sortable by any column (press its number, or click its header);
the sorted column's header is marked ▲ (smallest first) or ▼. The number keys are the app's, so
they sort the table wherever the focus is."""
from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.widgets import DataTable

from tui.browser.bindings import translated_bindings
from tui.data.atlas import PairingRow
from tui.text.format import number, visible, years
from tui.text.i18n import language, tr
from tui.text.totals import totals_line


def _optional_number(value: float | None) -> str:
    return "—" if value is None else number(value)


def _actual(totals) -> float:
    """What a money column sorts by: the money actually given (plans after none)."""
    return next((total.value for total in totals if total.basis == "actual"), -1)


# (header, how a cell reads, what it sorts by); unknown values sort first.
COLUMNS: list[tuple[str, Callable[[PairingRow], str], Callable[[PairingRow], object]]] = [
    ("Donor", lambda row: row.donor, lambda row: row.donor),
    ("Recipient", lambda row: row.recipient, lambda row: row.recipient),
    ("Kind", lambda row: row.kind, lambda row: row.kind),
    ("Years", lambda row: years(row.start_year, row.end_year), lambda row: (row.start_year or 0, row.end_year or 0)),
    ("Money", lambda row: totals_line(row.money, language(), short=True) or "—", lambda row: _actual(row.money)),
    # Reports of cadres overlap, so the data layer gives the largest single one: a lower bound.
    ("Cadres sent", lambda row: f"≥ {_optional_number(row.cadres_sent)}" if row.cadres_sent else "—",
     lambda row: row.cadres_sent or -1),
    ("Projects", lambda row: str(row.projects), lambda row: row.projects),
    ("Lifted out of poverty", lambda row: totals_line([row.poverty_exit] if row.poverty_exit else [], language()) or "—",
     lambda row: row.poverty_exit.value if row.poverty_exit else -1),
]
NUMERIC_FROM = 4   # the columns from here on are numbers, aligned right


class PairingsTable(DataTable):
    def __init__(self, rows: list[PairingRow], **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._bindings = translated_bindings(self._bindings)
        self.pairings = rows
        self.sorted_by: int | None = None
        self.descending = False

    def on_mount(self) -> None:
        for index in range(len(COLUMNS)):
            self.add_column(self._header(index), key=str(index))
        self._show_rows()

    def _header(self, index: int) -> Text:
        mark = "" if index != self.sorted_by else " ▼" if self.descending else " ▲"
        return Text(f"{index + 1} {tr(COLUMNS[index][0])}{mark}")

    def action_sort_by(self, column: int) -> None:
        """Sort by `column`; the same column again reverses the order."""
        self.descending = not self.descending if self.sorted_by == column else False
        self.sorted_by = column
        for index, key in enumerate(self.columns):
            self.columns[key].label = self._header(index)
        self._show_rows()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.action_sort_by(event.column_index)

    def _show_rows(self) -> None:
        rows = self.pairings
        if self.sorted_by is not None:
            rows = sorted(rows, key=COLUMNS[self.sorted_by][2], reverse=self.descending)
        self.clear()
        for row in rows:
            self.add_row(*(Text(visible(cell(row)), justify="right" if index >= NUMERIC_FROM else "left")
                           for index, (_, cell, _) in enumerate(COLUMNS)), key=str(row.id))
