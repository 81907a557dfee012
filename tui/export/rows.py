"""The one-row-per-figure model csv, xlsx and jsonl share: a project's fields repeated on each
of its figures, and a row for each project that has none; and a spreadsheet's cells of a row."""
from __future__ import annotations

from typing import Iterator

from tui.data.atlas import Figure, Project
from tui.data.items import Item
from tui.export.common import Export, exact, quote_record
from tui.text.format import visible

COLUMNS = ("pairing_id", "pairing_kind", "donor", "recipient", "sector", "dac5",
           "project_id", "project", "project_kind", "project_status", "project_year", "project_end_year",
           "project_amount_cny", "implementer", "place", "project_evidence",
           "figure_id", "measure", "figure", "value", "unit", "qualifier", "wording", "year", "end_year",
           "part_of_id", "evidence", "document_key", "document_title", "document_publisher",
           "document_published", "more_evidence",
           "basis")   # added last: a column added is never a column moved


def rows(export: Export) -> Iterator[dict]:
    """One row per figure, and one for each project that has none; quotes as lists."""
    for item in export.items:
        if item.project is not None:
            project = item.project
            for figure in project.figures or (None,):
                yield _row(export, item, project, figure, project.donor, project.recipient)
        else:
            yield _row(export, item, None, item.figure, item.donor, item.recipient)


def _row(export: Export, item: Item, project: Project | None, figure: Figure | None,
         donor: str | None, recipient: str | None) -> dict:
    pairing = item.pairing
    sector = project.sector if project else figure.sector
    quotes = figure.quotes if figure else project.quotes
    row = dict.fromkeys(COLUMNS)
    row.update(donor=donor, recipient=recipient, sector=sector, dac5=export.dac5.get(sector),
               more_evidence=[quote_record(quote) for quote in quotes[1:]])
    if pairing is not None:
        row.update(pairing_id=pairing.id, pairing_kind=pairing.kind)
    if project is not None:
        row.update(dac5=project.dac5, project_id=project.id, project=project.name, project_kind=project.kind,
                   project_status=project.status, project_year=project.year, project_end_year=project.end_year,
                   project_amount_cny=exact(project.amount), implementer=project.implementer,
                   place=" › ".join(project.place) or None,
                   project_evidence=project.quotes[0].text if project.quotes else None)
    if figure is not None:
        row.update(figure_id=figure.id, measure=figure.measure, figure=figure.name, value=exact(figure.value),
                   unit=figure.unit, qualifier=figure.qualifier, basis=item.bases.get(figure.id),
                   wording=figure.wording, year=figure.year, end_year=figure.end_year, part_of_id=figure.part_of_id)
    if quotes:
        document = quotes[0].document
        row.update(evidence=quotes[0].text, document_key=document.key, document_title=document.title,
                   document_publisher=document.publisher, document_published=document.published)
    return row


# What a spreadsheet may run as a formula, and the full-width forms some read the same way.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_cells(row: dict) -> list[object]:
    """A row as a spreadsheet's cells: numbers as numbers; further quotes a line each in one cell;
    text with its control characters shown (a file is often read in a terminal), and a leading '
    on text a spreadsheet would run as a formula (= + - @, or ＝ ＋ － ＠), which keeps it text."""
    more = "\n".join(f"{q['quote']} — {q['title']} [{q['key']}]" for q in row["more_evidence"]) or None
    return [_cell(more if column == "more_evidence" else row[column]) for column in COLUMNS]


def _cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = visible(value, keep_lines=True)
    return "'" + value if value.startswith(_FORMULA_START) else value
