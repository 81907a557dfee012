"""markdown: a report, a section per pairing and per project, its figures in tables with their
quotes. Text from the database is escaped where markdown would read it as markup."""
from __future__ import annotations

import re
from typing import Iterable, TextIO

from tui.data.atlas import Figure, Project, Quote
from tui.export.common import Export, about, by_pairing, exact
from tui.text.format import quantity, source_line, visible, years

# Inline markup (emphasis, code, links, html, strike-through, entities), a table's cell edge, and
# the # that would close a heading. Data never starts a line, so line-start markers are safe.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>|~&#])")


def md(text: object) -> str:
    """Text from the database, safe in a markdown table cell: controls shown, markup escaped,
    and no line break (it would end the table row)."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", visible(text))


def write(export: Export, out: TextIO) -> None:
    header = about(export)
    out.write(f"# Duikou export: {md(export.title)}\n\n{md(header['units'])}. Generated {header['generated']}.\n")
    for pairing, figures, projects in by_pairing(export):
        if pairing is None:
            out.write("\n## Other figures (places, and donors for all their pairings)\n\n")
        else:
            out.write(f"\n## {md(pairing.donor)} → {md(pairing.recipient)}\n\n"
                      f"{md(pairing.kind)}, {years(pairing.start_year, pairing.end_year)}"
                      f"{_quotes_line(pairing.quotes)}\n\n")
        if figures:
            _figure_table(out, [item.figure for item in figures])
        for item in projects:
            _project(out, item.project)


def _project(out: TextIO, project: Project) -> None:
    facts = [md(project.sector_name), md(project.status or "status unknown"),
             years(project.year, project.end_year)]
    if project.amount is not None:
        facts.append(f"{exact(project.amount)} yuan")
    if project.implementer:
        facts.append(f"by {md(project.implementer)}")
    if project.place:
        facts.append(md(" › ".join(project.place)))
    out.write(f"\n### {md(project.name)}\n\n{' · '.join(facts)}{_quotes_line(project.quotes)}\n\n")
    if project.figures:
        _figure_table(out, project.figures)


def _quotes_line(quotes: tuple[Quote, ...]) -> str:
    return "".join(f"\n\n> “{md(quote.text)}” — {_source(quote)}" for quote in quotes)


def _source(quote: Quote) -> str:
    return md(source_line(vars(quote.document)))


def _figure_table(out: TextIO, figures: Iterable[Figure]) -> None:
    out.write("| Figure | Value | Unit | As written | Years | Evidence | Source |\n"
              "|---|---:|---|---|---|---|---|\n")
    for figure in figures:
        quotes = figure.quotes or ()
        evidence = "<br>".join(f"“{md(quote.text)}”" for quote in quotes) or "no source"
        sources = "<br>".join(_source(quote) for quote in quotes)
        out.write(f"| {md(figure.name)} | {exact(figure.value)} | {md(quantity(figure.value, figure.unit, figure.qualifier, 'en'))}"
                  f" | {md(figure.wording or '')} | {years(figure.year, figure.end_year)} | {evidence} | {sources} |\n")
