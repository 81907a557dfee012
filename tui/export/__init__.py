"""The formats `duikou export` writes, one module each, and the one registry of them. Each writes
items as they come, holding one project in memory at a time (and, but for csv, xlsx and jsonl,
a pairing's own figures).

Values are exact: money in yuan, with the document's own wording beside it. Text from the
database is data: json and xml escape it, csv and xlsx defuse what a spreadsheet would run as a
formula, and markdown escapes what it would read as markup.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TextIO

from tui.export import csv_format, iati, iati_json, json_tree, jsonl, markdown, xlsx_format
from tui.export.common import Export


@dataclass(frozen=True)
class Format:
    """A format: its name for --format, its file suffix, a few words for the help, its writer."""
    name: str
    suffix: str
    help: str
    write: Callable[[Export, TextIO], None]


FORMATS: dict[str, Format] = {record.name: record for record in (
    Format("csv", "csv", "a row per figure, UTF-8 with a byte-order mark for Excel", csv_format.write),
    Format("xlsx", "xlsx", "the csv's rows as an Excel workbook", xlsx_format.write),
    Format("json", "json", "nested", json_tree.write),
    Format("jsonl", "jsonl", "a row per figure as JSON lines", jsonl.write),
    Format("markdown", "md", "a report", markdown.write),
    Format("iati", "xml", "IATI 2.03 activity XML", iati.write),
    Format("iati-json", "json", "the IATI activities as JSON", iati_json.write),
)}


def write(export: Export, fmt: str, out: TextIO) -> None:
    FORMATS[fmt].write(export, out)
