"""xlsx: the csv's rows as an Excel workbook, every cell typed: numbers are numbers, text is
text (a string cell is never run as a formula; it is defused as in csv all the same).

The workbook is written row by row (openpyxl's write-only mode keeps rows in a temporary file),
and as a sheet holds at most 1,048,576 rows, a larger export is refused with a word to use csv,
before anything is kept: the export is written in full or not at all.
"""
from __future__ import annotations

from typing import TextIO

from tui.data import DuikouError
from tui.export.common import Export
from tui.export.rows import COLUMNS, rows, spreadsheet_cells

SHEET_ROWS = 1_048_576


def write(export: Export, out: TextIO) -> None:
    if out.isatty():
        raise DuikouError("xlsx is a binary file, not for a terminal: give --output FILE")
    from openpyxl import Workbook  # here, not at the top: every command loads the format registry
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("figures")
    sheet.freeze_panes = "A2"
    sheet.append(COLUMNS)
    for number, row in enumerate(rows(export), 2):
        if number > SHEET_ROWS:
            raise DuikouError(f"more than {SHEET_ROWS:,} rows, a spreadsheet's limit: export as csv instead")
        sheet.append([_typed(sheet, value) for value in spreadsheet_cells(row)])
    out.flush()
    workbook.save(out.buffer)


def _typed(sheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"     # openpyxl would store text starting with = as a formula
    return cell
