"""csv: a row per figure, its further quotes in one cell, text defused for a spreadsheet."""
from __future__ import annotations

import csv
from typing import TextIO

from tui.export.common import Export
from tui.export.rows import COLUMNS, rows
from tui.text.format import visible

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text with its control characters shown, as a file is often read in a terminal; and as a
    spreadsheet runs a cell starting with = + - @ as a formula, a leading ' keeps that text."""
    if not isinstance(value, str):
        return value
    value = visible(value, keep_lines=True)
    return "'" + value if value.startswith(_FORMULA_START) else value


def write(export: Export, out: TextIO) -> None:
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(export):
        more = row["more_evidence"]
        row["more_evidence"] = "\n".join(f"{q['quote']} — {q['title']} [{q['key']}]" for q in more) or None
        writer.writerow({key: _cell(value) for key, value in row.items()})
