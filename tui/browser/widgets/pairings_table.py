"""Every pairing side by side, sortable by any column (press its number, or click its header);
the sorted column's header is marked ▲ (smallest first) or ▼, and the row under the cursor is told
in full below the table. The number keys are the app's, so they sort the table wherever the focus is."""
from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.widgets import DataTable

from tui.browser.bindings import translated_bindings
from tui.data.atlas import PairingRow
from tui.text.format import number, visible, years
from tui.text.i18n import language, tr
from tui.text.totals import amount, totals_line


def _actual(totals) -> float:
    """What a money column sorts by: the money actually given (plans after none)."""
    return next((total.value for total in totals if total.basis == "actual"), -1)


def _money_cell(row: PairingRow) -> str:
    """The money actually given, in the reader's form; a plan only when nothing is given yet."""
    given = [total for total in row.money if total.basis == "actual"] or list(row.money)
    return " · ".join(amount(total.value, total.unit, language(), short=True) for total in given[:1]) or "—"


# (header, how a cell reads, what it sorts by); unknown values sort first. Four columns fit 80
# terminal columns; the rest of a pairing is in the line under the table, for the row under the cursor.
COLUMNS: list[tuple[str, Callable[[PairingRow], str], Callable[[PairingRow], object]]] = [
    ("Donor", lambda row: row.donor, lambda row: row.donor),
    ("Recipient", lambda row: row.recipient, lambda row: row.recipient),
    ("Money", _money_cell, lambda row: _actual(row.money)),
    ("Projects", lambda row: f"{row.projects:,}", lambda row: row.projects),
]
NUMERIC_FROM = 2   # the columns from here on are numbers, aligned right


def row_detail(row: PairingRow) -> Text:
    """Everything the table leaves out of a pairing: kind, years, money with its plan and periods,
    cadres sent (the largest report: reports overlap), projects and people lifted out of poverty."""
    parts = [
        (tr("Kind"), row.kind), (tr("Years"), years(row.start_year, row.end_year)),
        (tr("Money"), totals_line(row.money, language()) or "—"),
        (tr("Cadres sent"), f"≥ {number(row.cadres_sent)}" if row.cadres_sent else "—"),
        (tr("Projects"), f"{row.projects:,}"),
        (tr("Lifted out of poverty"), totals_line([row.poverty_exit], language()) if row.poverty_exit else "—"),
    ]
    text = Text(f"{visible(row.donor)} → {visible(row.recipient)}\n", "bold")
    text.append_text(Text("\n").join(Text.assemble((f"{label}: ", "bold"), visible(value)) for label, value in parts))
    return text


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

    def pairing_at(self, key: str) -> PairingRow | None:
        return next((row for row in self.pairings if str(row.id) == key), None)

    def _show_rows(self) -> None:
        rows = self.pairings
        if self.sorted_by is not None:
            rows = sorted(rows, key=COLUMNS[self.sorted_by][2], reverse=self.descending)
        self.clear()
        for row in rows:
            self.add_row(*(Text(visible(cell(row)), justify="right" if index >= NUMERIC_FROM else "left")
                           for index, (_, cell, _) in enumerate(COLUMNS)), key=str(row.id))
