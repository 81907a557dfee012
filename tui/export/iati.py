"""iati: IATI-style activities as JSON, one for each pairing and one for each of its projects,
their figures as results and their sources as document links."""
from __future__ import annotations

from typing import Iterable, Iterator, TextIO

from tui.data.atlas import Figure, Project, Quote
from tui.data.items import Pairing
from tui.export.common import Export, about, by_pairing, exact
from tui.text.format import terminal_safe_json

REPORTING_ORG = "CN-DUIKOU"
# IATI ActivityStatus: a built or finished project is in Finalisation (3), not Closed (4), as the
# documents never say its accounts are closed.
ACTIVITY_STATUS = {"planned": "1", "underway": "2", "completed": "3"}
# IATI OrganisationRole.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"


def activities(export: Export) -> Iterator[dict]:
    """An activity for each pairing (holding its own figures) and one for each project under it
    (hierarchy 2, related to the pairing's). Figures on no pairing describe places, not aid, so
    IATI has no place for them."""
    for pairing, figures, projects in by_pairing(export):
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
             "value": {"amount": exact(project.amount), "currency": "CNY",
                       "value-date": f"{first}-01-01" if first is not None else None}}]


def _results(figures: Iterable[Figure]) -> list[dict]:
    """One output result holding an indicator per figure: a planned figure is a target, any
    other an actual value. Measure 2 (percentage) for percentages, else 1 (unit)."""
    indicators = []
    for figure in figures:
        value = {"value": exact(figure.value)}
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


def write(export: Export, out: TextIO) -> None:
    out.write('{"iati-activities": {"version": "2.03", "generated-datetime": '
              + terminal_safe_json(about(export)["generated"]) + ', "duikou:node": ' + terminal_safe_json(export.title)
              + ',\n "iati-activity": [')
    separator = "\n"
    for activity in activities(export):
        out.write(separator + terminal_safe_json(activity))
        separator = ",\n"
    out.write("]}}\n")
