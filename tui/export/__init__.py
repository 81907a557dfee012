"""The formats `duikou export` writes, one module each, and the one registry of them. Each writes
items as they come, holding one project in memory at a time (and, but for csv and jsonl, a
pairing's own figures).

Values are exact: money in yuan, with the document's own wording beside it. Text from the
database is data: json escapes it, csv defuses what a spreadsheet would run as a formula, and
markdown escapes what it would read as markup.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TextIO

from tui.export import csv_format, iati, json_tree, jsonl, markdown
from tui.export.common import Export


@dataclass(frozen=True)
class Format:
    """A format: its name for --format, its file suffix, a few words for the help, its writer."""
    name: str
    suffix: str
    help: str
    write: Callable[[Export, TextIO], None]


FORMATS: dict[str, Format] = {record.name: record for record in (
    Format("csv", "csv", "a row per figure", csv_format.write),
    Format("json", "json", "nested", json_tree.write),
    Format("jsonl", "jsonl", "a row per figure as JSON lines", jsonl.write),
    Format("markdown", "md", "a report", markdown.write),
    Format("iati", "json", "IATI-style activities", iati.write),
)}


def write(export: Export, fmt: str, out: TextIO) -> None:
    FORMATS[fmt].write(export, out)
