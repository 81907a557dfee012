"""markdown: a report, readable as it is and rendered. A section per pairing: its totals (from
v_total), its own figures, a section per project, and the documents
it cites, listed by title. Figures are table rows (value and unit each in a column), their quotes
block quotes under the table, numbered as the rows cite them.

Text from the database is escaped only where markdown would read it as markup, so it stays
readable raw: a file name's 000_c29e.txt keeps its underscore."""
from __future__ import annotations

import re
from typing import Iterable, TextIO

from tui.data.atlas import Document, Figure, Project, Quote
from tui.data.items import Item, Pairing, PairingTotal
from tui.export.common import Export, about, by_pairing, exact
from tui.text.format import visible, years

# Inline markup: a backslash escape, code, emphasis, a link or image's [, html and autolinks,
# strike-through, an entity, a table's cell edge; an underscore only where it can open or close
# emphasis (at a word's edge). Data never starts a line, so line-start markers need nothing.
_MARKUP = re.compile(r"[\\`*\[<|~]|&(?=#|[A-Za-z]+;)|(?<!\w)_|_(?!\w)")


def md(text: object) -> str:
    """Text from the database, safe in a paragraph or table cell: controls shown, markup
    escaped, and no line break (it would end the table row)."""
    return _MARKUP.sub(lambda found: "\\" + found.group(), visible(text))


def _heading(text: object) -> str:
    return md(text).replace("#", r"\#")   # a # at a heading's end would close it


def write(export: Export, out: TextIO) -> None:
    header = about(export)
    out.write(f"# Duikou export: {_heading(export.title)}\n\n"
              "Money in yuan (CNY); percentages as numbers (16.8 for 16.8%); *As written* is the figure "
              f"as its document writes it; *Basis*: actual (reported as done or given) or planned. "
              f"Generated {header['generated']}.\n")
    for pairing, figures, projects in by_pairing(export):
        documents: dict[str, Document] = {}
        if pairing is None:
            out.write("\n## Other figures (of places, and of donors for all their pairings)\n")
        else:
            _pairing(out, pairing, documents)
        if figures:
            out.write("\n### Figures of the pairing\n\n" if pairing is not None else "\n")
            _figure_table(out, [item.figure for item in figures], _bases(figures), documents)
        for item in projects:
            _project(out, item, documents)
        if documents:
            out.write("\n### Documents\n\n")
            out.writelines(f"- {_document(document)}\n" for document in documents.values())


def _pairing(out: TextIO, pairing: Pairing, documents: dict[str, Document]) -> None:
    facts = [f"Kind: {md(pairing.kind)}", f"years: {years(pairing.start_year, pairing.end_year)}"]
    if pairing.recipient_place:
        facts.append(f"in {md(' › '.join(pairing.recipient_place))}")
    out.write(f"\n## {_heading(pairing.donor)} → {_heading(pairing.recipient)}\n\n{' · '.join(facts)}\n")
    if pairing.note:
        out.write(f"\nNote: {md(pairing.note)}\n")
    _quotes(out, pairing.quotes, documents)
    if pairing.totals:
        _totals(out, pairing.totals)


def _totals(out: TextIO, totals: Iterable[PairingTotal]) -> None:
    out.write("\n### Totals\n\nEach adds figures of one measure on one basis that do not overlap; "
              "Beside is what may be part of it but is not added.\n\n"
              "| Measure | Basis | Years | Total | Unit | Figures added | Beside |\n"
              "|---|---|---|---:|---|---:|---:|\n")
    for total in totals:
        basis = f"{total.basis}, {total.qualifier}" if total.qualifier else total.basis
        beside = exact(total.beside) if total.beside else ""
        out.write(f"| {md(total.measure)} | {md(basis)} | {years(total.year_from, total.year_to)} | "
                  f"{exact(total.value)} | {md(total.unit)} | {total.figures} | {beside} |\n")


def _project(out: TextIO, item: Item, documents: dict[str, Document]) -> None:
    project: Project = item.project
    facts = [f"Sector: {md(project.sector_name)}", md(project.status or "status not given"),
             f"years: {years(project.year, project.end_year)}"]
    if project.implementer:
        facts.append(f"by {md(project.implementer)}")
    if project.place:
        facts.append(f"in {md(' › '.join(project.place))}")
    out.write(f"\n### {_heading(project.name)}\n\n{' · '.join(facts)}\n")
    if project.description:
        out.write(f"\n{md(project.description)}\n")
    _quotes(out, project.quotes, documents)
    if project.figures:
        out.write("\n")
        _figure_table(out, project.figures, item.bases, documents)


def _bases(items: list[Item]) -> dict[int, str]:
    return {key: basis for item in items for key, basis in item.bases.items()}


def _figure_table(out: TextIO, figures: Iterable[Figure], bases: dict[int, str],
                  documents: dict[str, Document]) -> None:
    """The figures, a row each; their quotes below, numbered as the Source column cites them (a
    quote several figures share, once)."""
    out.write("| Figure | Value | Unit | Basis | As written | Years | Source |\n"
              "|---|---:|---|---|---|---|---|\n")
    numbers: dict[tuple[str, str], int] = {}
    quotes: list[Quote] = []
    for figure in figures:
        basis = bases.get(figure.id, "")
        if figure.qualifier and figure.qualifier != "planned":
            basis = f"{basis}, {figure.qualifier}"
        for quote in figure.quotes:
            if numbers.setdefault((quote.text, quote.document.key), len(numbers) + 1) > len(quotes):
                quotes.append(quote)
        cited = ", ".join(str(numbers[quote.text, quote.document.key]) for quote in figure.quotes) or "no source"
        out.write(f"| {md(figure.name)} | {exact(figure.value)} | {md(figure.unit)} | {md(basis)} | "
                  f"{md(figure.wording or '')} | {years(figure.year, figure.end_year)} | {cited} |\n")
    _quotes(out, quotes, documents, numbered=True)


def _quotes(out: TextIO, quotes: Iterable[Quote], documents: dict[str, Document], numbered: bool = False) -> None:
    for number, quote in enumerate(quotes, 1):
        documents.setdefault(quote.document.key, quote.document)
        label = f"{number}. " if numbered else ""
        out.write(f"\n> {label}“{md(quote.text)}”  \n> — 《{md(quote.document.title)}》\n")


def _document(document: Document) -> str:
    """A document as the list shows it: 《title》, publisher, date, and its key (the file name)."""
    parts = [f"《{md(document.title)}》", *(md(part) for part in (document.publisher, document.author,
                                                               document.published) if part)]
    return ", ".join(parts) + f" · {md(document.key)}"
