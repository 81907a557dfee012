"""csv: a row per figure, its further quotes in one cell, text defused for a spreadsheet.

The file starts with a UTF-8 byte-order mark, always: Excel reads a csv without one in the
computer's legacy code page, so the Chinese would be mojibake. Python's utf-8-sig, pandas, R and
LibreOffice read the mark as what it is."""
from __future__ import annotations

import csv
from typing import TextIO

from tui.export.common import Export
from tui.export.rows import COLUMNS, rows, spreadsheet_cells

BYTE_ORDER_MARK = "\ufeff"


def write(export: Export, out: TextIO) -> None:
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(spreadsheet_cells(row) for row in rows(export))
