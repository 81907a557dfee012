"""jsonl: a row per figure, one JSON object a line, its further quotes as a list."""
from __future__ import annotations

from typing import TextIO

from tui.export.common import Export
from tui.export.rows import rows
from tui.text.format import terminal_safe_json


def write(export: Export, out: TextIO) -> None:
    for row in rows(export):
        out.write(terminal_safe_json(row) + "\n")
