"""json: one nested document, pairing › project › figure, each with its quotes; figures on no
pairing last. Written as it goes, a project at a time."""
from __future__ import annotations

from typing import TextIO

from tui.data.atlas import Figure, Project
from tui.data.items import Pairing
from tui.export.common import Export, about, by_pairing, exact, quote_record
from tui.text.format import terminal_safe_json


def _figure(figure: Figure) -> dict:
    record = figure._asdict() | {"value": exact(figure.value)}
    record["quotes"] = [quote_record(quote) for quote in figure.quotes]
    return record


def _project(project: Project) -> dict:
    record = project._asdict() | {"amount_cny": exact(project.amount)}
    del record["amount"]
    record["quotes"] = [quote_record(quote) for quote in project.quotes]
    record["figures"] = [_figure(figure) for figure in project.figures]
    return record


def _pairing(pairing: Pairing) -> dict:
    return pairing._asdict() | {"quotes": [quote_record(quote) for quote in pairing.quotes],
                              "totals": [total._asdict() | {"value": exact(total.value)} for total in pairing.totals]}


def write(export: Export, out: TextIO) -> None:
    out.write('{"export": ' + terminal_safe_json(about(export)) + ',\n "pairings": [')
    others: list[dict] = []
    separator = "\n"
    for pairing, figures, projects in by_pairing(export):
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
