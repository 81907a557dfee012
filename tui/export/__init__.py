"""The formats `duikou export` writes: csv and jsonl (one row per figure), a nested json document,
a markdown report and IATI-style activities. Each writes items as they come, holding one
project in memory at a time (and, but for csv and jsonl, a pairing's own figures).

Values are exact: money in yuan, with the document's own wording beside it. Text from the
database is data: json escapes it, csv defuses what a spreadsheet would run as a formula, and
markdown escapes what it would read as markup.
"""
from __future__ import annotations

import csv
import re
from datetime import datetime, timezone
from itertools import groupby
from typing import Callable, Iterable, Iterator, TextIO

from tui.data.atlas import Figure, Project, Quote
from tui.data.export import Item, Pairing
from tui.text.format import quantity, terminal_safe_json, visible, years

FORMATS = ("csv", "json", "jsonl", "markdown", "iati")
SUFFIXES = {"csv": "csv", "json": "json", "jsonl": "jsonl", "markdown": "md", "iati": "json"}

COLUMNS = ("pairing_id", "pairing_kind", "donor", "recipient", "sector", "dac5",
           "project_id", "project", "project_kind", "project_status", "project_year", "project_end_year",
           "project_amount_cny", "implementer", "place", "project_evidence",
           "figure_id", "measure", "figure", "value", "unit", "qualifier", "wording", "year", "end_year",
           "part_of_id", "evidence", "document_key", "document_title", "document_publisher",
           "document_published", "more_evidence")


class Export:
    """What to write and where from: the items, the title of their node, and the sectors' DAC codes."""

    def __init__(self, items: Iterable[Item], title: str, dac5: dict[str, int]) -> None:
        self.items = items
        self.title = title
        self.dac5 = dac5


def write(export: Export, fmt: str, out: TextIO) -> None:
    _WRITERS[fmt](export, out)


# -- one row per figure -------------------------------------------------------------------------

def rows(export: Export) -> Iterator[dict]:
    """One row per figure, and one for each project that has none; quotes as lists."""
    for item in export.items:
        if item.project is not None:
            project = item.project
            for figure in project.figures or (None,):
                yield _row(export, item.pairing, project, figure, project.donor, project.recipient)
        else:
            yield _row(export, item.pairing, None, item.figure, item.donor, item.recipient)


def _row(export: Export, pairing: Pairing | None, project: Project | None, figure: Figure | None,
         donor: str | None, recipient: str | None) -> dict:
    sector = project.sector if project else figure.sector
    quotes = figure.quotes if figure else project.quotes
    row = dict.fromkeys(COLUMNS)
    row.update(donor=donor, recipient=recipient, sector=sector, dac5=export.dac5.get(sector),
               more_evidence=[_quote(quote) for quote in quotes[1:]])
    if pairing is not None:
        row.update(pairing_id=pairing.id, pairing_kind=pairing.kind)
    if project is not None:
        row.update(dac5=project.dac5, project_id=project.id, project=project.name, project_kind=project.kind,
                   project_status=project.status, project_year=project.year, project_end_year=project.end_year,
                   project_amount_cny=_exact(project.amount), implementer=project.implementer,
                   place=" › ".join(project.place) or None,
                   project_evidence=project.quotes[0].text if project.quotes else None)
    if figure is not None:
        row.update(figure_id=figure.id, measure=figure.measure, figure=figure.name, value=_exact(figure.value),
                   unit=figure.unit, qualifier=figure.qualifier, wording=figure.wording, year=figure.year,
                   end_year=figure.end_year, part_of_id=figure.part_of_id)
    if quotes:
        document = quotes[0].document
        row.update(evidence=quotes[0].text, document_key=document.key, document_title=document.title,
                   document_publisher=document.publisher, document_published=document.published)
    return row


def _exact(value: float | None) -> int | float | None:
    """10500000.0 → 10500000: whole numbers without a decimal point, others as they are."""
    return int(value) if value is not None and value.is_integer() else value


def _quote(quote: Quote) -> dict:
    return {"quote": quote.text, **_fields(quote.document)}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text with its control characters shown, as a file is often read in a terminal; and as a
    spreadsheet runs a cell starting with = + - @ as a formula, a leading ' keeps that text."""
    if not isinstance(value, str):
        return value
    value = visible(value, keep_lines=True)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _write_csv(export: Export, out: TextIO) -> None:
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(export):
        more = row["more_evidence"]
        row["more_evidence"] = "\n".join(f"{q['quote']} — {q['title']} [{q['key']}]" for q in more) or None
        writer.writerow({key: _cell(value) for key, value in row.items()})


def _fields(record: object) -> dict:
    """A dataclass's fields, one level deep (dataclasses.asdict copies every level: slow by the million)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def _write_jsonl(export: Export, out: TextIO) -> None:
    for row in rows(export):
        out.write(terminal_safe_json(row) + "\n")


# -- nested json ----------------------------------------------------------------------------------

def _figure(figure: Figure) -> dict:
    record = _fields(figure) | {"value": _exact(figure.value)}
    record["quotes"] = [_quote(quote) for quote in figure.quotes]
    return record


def _project(project: Project) -> dict:
    record = _fields(project) | {"amount_cny": _exact(project.amount)}
    del record["amount"]
    record["quotes"] = [_quote(quote) for quote in project.quotes]
    record["figures"] = [_figure(figure) for figure in project.figures]
    return record


def _pairing(pairing: Pairing) -> dict:
    return _fields(pairing) | {"quotes": [_quote(quote) for quote in pairing.quotes]}


def _by_pairing(export: Export) -> Iterator[tuple[Pairing | None, list[Item], Iterator[Item]]]:
    """The items pairing by pairing: the pairing, its own figures (they come first), its projects."""
    for _, group in groupby(export.items, key=lambda item: item.pairing.id if item.pairing else None):
        first = next(group)
        figures: list[Item] = []
        pending: Item | None = first
        while pending is not None and pending.project is None:
            figures.append(pending)
            pending = next(group, None)
        projects = group if pending is None else _prepend(pending, group)
        yield first.pairing, figures, projects


def _prepend(first: Item, rest: Iterator[Item]) -> Iterator[Item]:
    yield first
    yield from rest


def _write_json(export: Export, out: TextIO) -> None:
    out.write('{"export": ' + terminal_safe_json(_about(export)) + ',\n "pairings": [')
    others: list[dict] = []
    separator = "\n"
    for pairing, figures, projects in _by_pairing(export):
        loose = [_figure(item.figure) | {"donor": item.donor, "recipient": item.recipient} for item in figures]
        if pairing is None:
            others = loose   # figures of a place, or of a donor for all its pairings
            continue
        # The pairing's fields, then its projects one by one: "]" and "}" close both.
        out.write(separator + terminal_safe_json(_pairing(pairing) | {"figures": loose}).removesuffix("}")
                  + ',\n "projects": [')
        inner = "\n"
        for item in projects:
            out.write(inner + terminal_safe_json(_project(item.project)))
            inner = ",\n"
        out.write("]}")
        separator = ",\n"
    out.write('],\n "other_figures": ' + terminal_safe_json(others) + "}\n")


def _about(export: Export) -> dict:
    return {"node": export.title, "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "units": "money in yuan (CNY); percentages as numbers (16.8 for 16.8%); "
                     "`wording` is the figure as the document writes it"}


# -- markdown ---------------------------------------------------------------------------------------

# Inline markup (emphasis, code, links, html, strike-through, entities), a table's cell edge, and
# the # that would close a heading. Data never starts a line, so line-start markers are safe.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>|~&#])")


def md(text: object) -> str:
    """Text from the database, safe in a markdown table cell: controls shown, markup escaped,
    and no line break (it would end the table row)."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", visible(text))


def _write_markdown(export: Export, out: TextIO) -> None:
    about = _about(export)
    out.write(f"# Duikou export: {md(export.title)}\n\n{md(about['units'])}. Generated {about['generated']}.\n")
    for pairing, figures, projects in _by_pairing(export):
        if pairing is None:
            out.write("\n## Other figures (places, and donors for all their pairings)\n\n")
        else:
            out.write(f"\n## {md(pairing.donor)} → {md(pairing.recipient)}\n\n"
                      f"{md(pairing.kind)}, {years(pairing.start_year, pairing.end_year)}"
                      f"{_quotes_line(pairing.quotes)}\n\n")
        if figures:
            _figure_table(out, [item.figure for item in figures])
        for item in projects:
            _markdown_project(out, item.project)


def _markdown_project(out: TextIO, project: Project) -> None:
    facts = [md(project.sector_name), md(project.status or "status unknown"),
             years(project.year, project.end_year)]
    if project.amount is not None:
        facts.append(f"{_exact(project.amount)} yuan")
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
    document = quote.document
    parts = [md(document.title), md(document.publisher or ""), md(document.published or "")]
    return ", ".join(part for part in parts if part) + f" \\[{md(document.key)}\\]"


def _figure_table(out: TextIO, figures: Iterable[Figure]) -> None:
    out.write("| Figure | Value | Unit | As written | Years | Evidence | Source |\n"
              "|---|---:|---|---|---|---|---|\n")
    for figure in figures:
        quotes = figure.quotes or ()
        evidence = "<br>".join(f"“{md(quote.text)}”" for quote in quotes) or "no source"
        sources = "<br>".join(_source(quote) for quote in quotes)
        out.write(f"| {md(figure.name)} | {_exact(figure.value)} | {md(quantity(figure.value, figure.unit, figure.qualifier, 'en'))}"
                  f" | {md(figure.wording or '')} | {years(figure.year, figure.end_year)} | {evidence} | {sources} |\n")


# -- IATI -------------------------------------------------------------------------------------------

REPORTING_ORG = "CN-DUIKOU"
# IATI ActivityStatus: a built or finished project is in Finalisation (3), not Closed (4), as the
# documents never say its accounts are closed.
ACTIVITY_STATUS = {"planned": "1", "underway": "2", "completed": "3"}
# IATI OrganisationRole.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"


def iati_activities(export: Export) -> Iterator[dict]:
    """An activity for each pairing (holding its own figures) and one for each project under it
    (hierarchy 2, related to the pairing's). Figures on no pairing describe places, not aid, so
    IATI has no place for them."""
    for pairing, figures, projects in _by_pairing(export):
        if pairing is None:
            continue
        yield _pairing_activity(pairing, [item.figure for item in figures])
        for item in projects:
            yield _project_activity(pairing, item.project, export.dac5)


def _identifier(kind: str, ref: int) -> str:
    return f"{REPORTING_ORG}-{kind}-{ref}"


def _narrative(text: str | None, lang: str | None = "zh") -> dict:
    """Names and quotes are Chinese; a curator's note or description may be in either language."""
    return {"narrative": [{"text": text or ""} | ({"xml:lang": lang} if lang else {})]}


def _common(pairing: Pairing, identifier: str, title: str, hierarchy: str) -> dict:
    return {
        "iati-identifier": identifier,
        "hierarchy": hierarchy,
        "reporting-org": {"ref": REPORTING_ORG, "type": "90", **_narrative("Duikou 对口", None)},
        "title": _narrative(title),
        "participating-org": [{"role": FUNDING, "type": "10", **_narrative(pairing.donor)},
                              {"role": EXTENDING, "type": "10", **_narrative(pairing.donor)},
                              {"role": ACCOUNTABLE, "type": "10", **_narrative(pairing.recipient)}],
        "recipient-country": [{"code": "CN", "percentage": 100}],
        "location": [{"name": _narrative(" › ".join(pairing.recipient_place) or pairing.recipient)}],
    }


def _pairing_activity(pairing: Pairing, figures: list[Figure]) -> dict:
    activity = _common(pairing, _identifier("pairing", pairing.id),
                       f"{pairing.donor} → {pairing.recipient} {pairing.kind}", "1")
    activity["description"] = _narrative(pairing.note, None) if pairing.note else None
    activity["activity-date"] = _dates(pairing.start_year, pairing.end_year)
    activity["result"] = _results(figures)
    activity["document-link"] = _documents(pairing.quotes, *(f.quotes for f in figures))
    return _pruned(activity)


def _project_activity(pairing: Pairing, project: Project, dac5: dict[str, int]) -> dict:
    activity = _common(pairing, _identifier("project", project.id), project.name, "2")
    if project.implementer:
        activity["participating-org"].append({"role": IMPLEMENTING, **_narrative(project.implementer)})
    if project.place:
        activity["location"] = [{"name": _narrative(" › ".join(project.place))}]
    activity["related-activity"] = [{"type": "1", "ref": _identifier("pairing", pairing.id)}]
    activity["description"] = _narrative(project.description, None) if project.description else None
    activity["activity-status"] = ({"code": ACTIVITY_STATUS[project.status]}
                                   if project.status in ACTIVITY_STATUS else None)
    activity["activity-date"] = _dates(project.year, project.end_year)
    activity["sector"] = [{"vocabulary": "1", "code": str(project.dac5), "percentage": 100,
                           **_narrative(project.sector_name)},
                          {"vocabulary": "99", "code": project.sector, **_narrative(project.sector_name)}]
    activity["budget"] = _budget(project)
    activity["result"] = _results(project.figures)
    activity["document-link"] = _documents(project.quotes, *(f.quotes for f in project.figures))
    return _pruned(activity)


def _dates(start: int | None, end: int | None) -> list[dict]:
    """IATI ActivityDateType 2 (actual start) and 4 (actual end), to the year the documents give."""
    dates = []
    if start is not None:
        dates.append({"type": "2", "iso-date": f"{start}-01-01"})
    if end is not None:
        dates.append({"type": "4", "iso-date": f"{end}-12-31"})
    return dates


def _budget(project: Project) -> list[dict]:
    if project.amount is None:
        return []
    first = project.year if project.year is not None else project.end_year
    last = project.end_year if project.end_year is not None else project.year
    period = {"period-start": {"iso-date": f"{first}-01-01"}, "period-end": {"iso-date": f"{last}-12-31"}} \
        if first is not None else {}
    return [{"type": "1", "status": "2", **period,
             "value": {"amount": _exact(project.amount), "currency": "CNY",
                       "value-date": f"{first}-01-01" if first is not None else None}}]


def _results(figures: Iterable[Figure]) -> list[dict]:
    """One output result holding an indicator per figure: a planned figure is a target, any
    other an actual value. Measure 2 (percentage) for percentages, else 1 (unit)."""
    indicators = []
    for figure in figures:
        value = {"value": _exact(figure.value)}
        period = {"target" if figure.qualifier == "planned" else "actual": [value]}
        if figure.year is not None:
            period["period-start"] = {"iso-date": f"{figure.year}-01-01"}
            period["period-end"] = {"iso-date": f"{figure.end_year or figure.year}-12-31"}
        indicators.append({"measure": "2" if figure.unit == "percent" else "1", "ascending": "1",
                           "title": _narrative(figure.name),
                           "duikou:measure": figure.measure, "duikou:unit": figure.unit,
                           "duikou:qualifier": figure.qualifier, "duikou:wording": figure.wording,
                           "period": [period]})
    return [{"type": "1", "title": _narrative("成效 outputs"), "indicator": indicators}] if indicators else []


def _documents(*quote_lists: tuple[Quote, ...]) -> list[dict]:
    """A document-link per document, holding every quote taken from it. The sources are public
    documents known by a key (a file name), not by a web address, so there is no url."""
    links: dict[str, dict] = {}
    for quotes in quote_lists:
        for quote in quotes:
            document = quote.document
            link = links.setdefault(document.key, {
                "format": "text/plain", "title": _narrative(document.title),
                "document-date": {"iso-date": document.published} if document.published else None,
                "duikou:key": document.key, "duikou:publisher": document.publisher,
                "duikou:quotes": []})
            if quote.text not in link["duikou:quotes"]:
                link["duikou:quotes"].append(quote.text)
    for link in links.values():
        link["description"] = _narrative(" … ".join(link["duikou:quotes"]))
    return list(links.values())


def _pruned(activity: dict) -> dict:
    """Without the elements there is nothing to say in (IATI has no empty elements)."""
    return {key: value for key, value in activity.items() if value not in (None, [], {})}


def _write_iati(export: Export, out: TextIO) -> None:
    out.write('{"iati-activities": {"version": "2.03", "generated-datetime": '
              + terminal_safe_json(_about(export)["generated"]) + ', "duikou:node": ' + terminal_safe_json(export.title)
              + ',\n "iati-activity": [')
    separator = "\n"
    for activity in iati_activities(export):
        out.write(separator + terminal_safe_json(activity))
        separator = ",\n"
    out.write("]}}\n")


_WRITERS: dict[str, Callable[[Export, TextIO], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "json": _write_json, "markdown": _write_markdown, "iati": _write_iati}
