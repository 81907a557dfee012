"""iati: IATI 2.03 activity XML, an activity for each pairing (its own figures) and one for each
of its projects. README "Exporting" says how each part of the data maps to the standard.

Each activity is built as an element and written as soon as it is complete, so a million projects
take the memory of one. What the standard has no place for (a figure's measure, unit, basis and
wording) goes in elements of Duikou's own namespace, which the schema allows at an element's end.
"""
from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Iterable, Iterator, TextIO
from urllib.parse import quote as url_quote
from xml.sax.saxutils import quoteattr

from tui.data.atlas import Figure, Project, Quote
from tui.data.items import Item, Pairing
from tui.export.common import Export, by_pairing, exact
from tui.text.format import visible

NAMESPACE = "urn:x-duikou:iati"
ET.register_namespace("duikou", NAMESPACE)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

REPORTING_ORG = "CN-DUIKOU"
# Money the donor gives: the measures that are aid, in plain yuan (a rate such as CNY/month is
# not money given, nor is investment a donor draws in from businesses).
MONEY_GIVEN = ("aid_funds", "donation")
# Figures of people's situation (OECD: outcomes); every other figure is an output of the work.
OUTCOME_MEASURES = ("poverty_exit", "poverty_rate", "poor", "income")
# IATI codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType (11: local
# government, as both sides of a top-level pairing are places), TransactionType 3 (disbursement),
# BudgetType 1 (original) and BudgetStatus 1 (indicative), ResultType, IndicatorMeasure,
# DocumentCategory A08 (results, outcomes and outputs).
STATUS_CODES = {"planned": "1", "underway": "2", "completed": "3"}
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
LOCAL_GOVERNMENT = "11"
DISBURSEMENT = "3"
OUTPUT, OUTCOME = "1", "2"
UNIT_MEASURE, PERCENTAGE_MEASURE = "1", "2"
RESULTS_DOCUMENT = "A08"
# What `visible` shows or replaces (controls, bidirectional overrides), and what XML cannot hold.
_NEEDS_CARE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _text(value: object) -> str:
    """Database text as XML may hold it: control characters shown (as a terminal also needs);
    the rare text that needs it alone is translated, as a million activities notice."""
    text = str(value)
    return _NOT_XML.sub("\ufffd", visible(text, keep_lines=True)) if _NEEDS_CARE.search(text) else text


def element(tag: str, attributes: dict[str, object] | None = None, *children: ET.Element | None,
            text: object = None) -> ET.Element:
    """An element; attributes that are None and children that are None are left out."""
    node = ET.Element(tag, {key: _text(value) for key, value in (attributes or {}).items() if value is not None})
    node.extend(child for child in children if child is not None)
    if text is not None:
        node.text = _text(text)
    return node


def narrative(text: object, lang: str | None = None) -> ET.Element:
    """A narrative, in the activity's language (Chinese) unless `lang` says otherwise."""
    return element("narrative", {XML_LANG: lang}, text=text or "")


def texts(tag: str, text: object, lang: str | None = None, **attributes: object) -> ET.Element:
    return element(tag, attributes, narrative(text, lang))


def activities(export: Export) -> Iterator[ET.Element]:
    """An activity for each pairing (holding its own figures) and one for each project under it
    (hierarchy 2, its pairing's as parent). Figures on no pairing describe places, not aid: IATI
    has no place for them."""
    today = date.today()
    for pairing, figures, projects in by_pairing(export):
        if pairing is None:
            continue
        yield _pairing_activity(pairing, figures, today)
        for item in projects:
            yield _project_activity(pairing, item, today)


def identifier(kind: str, ref: int) -> str:
    return f"{REPORTING_ORG}-{kind}-{ref}"


def _pairing_activity(pairing: Pairing, items: list[Item], today: date) -> ET.Element:
    figures = [item.figure for item in items]
    bases = {key: basis for item in items for key, basis in item.bases.items()}
    apart = frozenset().union(*(item.apart for item in items))
    quotes = (pairing.quotes, *(f.quotes for f in figures))
    status = _status(None, pairing.end_year, today)
    return _activity(
        identifier("pairing", pairing.id), "1", f"{pairing.donor} → {pairing.recipient} {pairing.kind}", pairing,
        note=pairing.note, status=status, dates=_dates(pairing.start_year, pairing.end_year, status, quotes),
        place=" › ".join(pairing.recipient_place) or pairing.recipient,
        money=_Money(pairing, figures, bases, apart), quotes=quotes)


def _project_activity(pairing: Pairing, item: Item, today: date) -> ET.Element:
    project: Project = item.project
    implementer = ([element("participating-org", {"role": IMPLEMENTING}, narrative(project.implementer))]
                   if project.implementer else [])
    sectors = [texts("sector", project.sector_name, vocabulary="1", code=project.dac5, percentage=100),
               texts("sector", project.sector_name, vocabulary="99", code=project.sector, percentage=100)]
    quotes = (project.quotes, *(f.quotes for f in project.figures))
    status = _status(project.status, project.end_year, today)
    return _activity(
        identifier("project", project.id), "2", project.name, pairing,
        note=project.description, implementer=implementer, status=status,
        dates=_dates(project.year, project.end_year, status, quotes),
        place=" › ".join(project.place or pairing.recipient_place) or pairing.recipient, sectors=sectors,
        money=_Money(pairing, project.figures, item.bases, item.apart), quotes=quotes,
        parent=element("related-activity", {"type": "1", "ref": identifier("pairing", pairing.id)}))


def _activity(ref: str, hierarchy: str, title: str, pairing: Pairing, *, note: str | None, status: str,
              dates: list[ET.Element], place: str, money: _Money, quotes: tuple[tuple[Quote, ...], ...],
              implementer: Iterable[ET.Element] = (), sectors: Iterable[ET.Element] = (),
              parent: ET.Element | None = None) -> ET.Element:
    """The elements in the order the schema's sequence requires."""
    first_quote = next((quote for group in quotes for quote in group), None)
    # A curator's note is English; without one, the activity is described by its first source.
    description = (texts("description", note, "en", type="1") if note else
                   texts("description", first_quote.text if first_quote else title, type="1"))
    return element(
        "iati-activity", {XML_LANG: "zh", "default-currency": "CNY", "hierarchy": hierarchy},
        element("iati-identifier", text=ref),
        element("reporting-org", {"ref": REPORTING_ORG, "type": "90", "secondary-reporter": "1"},
                narrative("Duikou 对口", "en")),
        texts("title", title),
        description,
        *_organisations(pairing), *implementer,
        element("activity-status", {"code": status}),
        *dates,
        element("recipient-country", {"code": "CN", "percentage": 100}),
        element("location", None, texts("name", place)),
        *sectors,
        *money.budgets(), *money.transactions(),
        *_documents(quotes),
        parent,
        *money.results())


def _organisations(pairing: Pairing) -> list[ET.Element]:
    """The donor funds and extends the aid; the recipient, where it is spent, is accountable for it."""
    return [texts("participating-org", name, role=role, type=LOCAL_GOVERNMENT)
            for role, name in ((FUNDING, pairing.donor), (EXTENDING, pairing.donor), (ACCOUNTABLE, pairing.recipient))]


def _status(status: str | None, end_year: int | None, today: date) -> str:
    """The status the documents give; when they give none, finalisation (3) once its end year is
    past, else implementation (2), as the documents report the work as under way or done."""
    if status in STATUS_CODES:
        return STATUS_CODES[status]
    return STATUS_CODES["completed" if end_year is not None and end_year < today.year else "underway"]


def _dates(start: int | None, end: int | None, status: str, quotes: Iterable[tuple[Quote, ...]]) -> list[ET.Element]:
    """Start and end to the year the documents give: planned (types 1, 3) for a planned activity,
    an actual start (2) otherwise, and an actual end (4) once finalised. The schema needs one date:
    with no year at all, the start is dated by the earliest document reporting it, and says so."""
    planned = status == STATUS_CODES["planned"]
    dates = []
    if start is not None:
        dates.append(element("activity-date", {"type": "1" if planned else "2", "iso-date": f"{start}-01-01"}))
    if end is not None:
        finished = status == STATUS_CODES["completed"]
        dates.append(element("activity-date", {"type": "4" if finished else "3", "iso-date": f"{end}-12-31"}))
    if not dates:
        reported = min(filter(None, (reported_by(q.document.published) for group in quotes for q in group)),
                       default=None)
        note = "no year given: the date of the earliest document reporting it"
        if reported is None:
            reported, note = date.today().isoformat(), "no year given, and no dated document: the date of this export"
        dates.append(element("activity-date", {"type": "1" if planned else "2", "iso-date": reported},
                             narrative(note, "en")))
    return dates


def reported_by(published: str | None) -> str | None:
    """A document's date as an ISO date: 2018-05-09 as it is; 2020 or 2020-05, whose day the
    document does not give, as the last day it may have been (what it reports was so by then)."""
    found = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published or "")
    if found is None:
        return None
    year, month, day = found.groups()
    month = month or "12"
    day = day or str(calendar.monthrange(int(year), int(month))[1])
    return f"{year}-{month}-{day}"


class _Money:
    """An activity's figures sorted the way IATI reads them. Money the donor gives, in yuan, that
    overlaps no other figure (it is not part of another, and the curator can place it in a sum):
    given money is a disbursement, dated by its last year or else by its document; planned money
    is an indicative budget over its years. Every other figure is a result indicator."""

    def __init__(self, pairing: Pairing, figures: Iterable[Figure], bases: dict[int, str], apart: frozenset[int]):
        self.pairing = pairing
        self.bases = bases
        self.given: list[tuple[Figure, str]] = []
        self.planned: list[Figure] = []
        self.others: list[Figure] = []
        for figure in figures:
            counted = (figure.measure in MONEY_GIVEN and figure.unit == "CNY"
                       and figure.part_of_id is None and figure.id not in apart)
            basis = self.basis(figure)
            when = self._given_on(figure) if counted and basis == "actual" else None
            if when is not None:
                self.given.append((figure, when))
            elif counted and basis == "planned" and figure.year is not None:
                self.planned.append(figure)
            else:
                self.others.append(figure)

    def basis(self, figure: Figure) -> str:
        return self.bases.get(figure.id) or ("planned" if figure.qualifier == "planned" else "actual")

    @staticmethod
    def _given_on(figure: Figure) -> str | None:
        last = figure.end_year or figure.year
        if last is not None:
            return f"{last}-12-31"
        return next(filter(None, (reported_by(q.document.published) for q in figure.quotes)), None)

    def budgets(self) -> Iterator[ET.Element]:
        for figure in self.planned:
            yield element("budget", {"type": "1", "status": "1"},
                          element("period-start", {"iso-date": f"{figure.year}-01-01"}),
                          element("period-end", {"iso-date": f"{figure.end_year or figure.year}-12-31"}),
                          _value(figure.value, f"{figure.year}-01-01"), self._figure(figure))

    def transactions(self) -> Iterator[ET.Element]:
        for figure, when in self.given:
            yield element("transaction", None,
                          element("transaction-type", {"code": DISBURSEMENT}),
                          element("transaction-date", {"iso-date": when}),
                          _value(figure.value, when),
                          texts("description", _said(figure)),
                          texts("provider-org", self.pairing.donor),
                          texts("receiver-org", self.pairing.recipient),
                          self._figure(figure))

    def results(self) -> Iterator[ET.Element]:
        for kind, title in ((OUTPUT, "产出 outputs"), (OUTCOME, "成效 outcomes")):
            indicators = [self._indicator(figure) for figure in self.others
                          if (figure.measure in OUTCOME_MEASURES) == (kind == OUTCOME)]
            if indicators:
                yield element("result", {"type": kind}, texts("title", title), *indicators)

    def _indicator(self, figure: Figure) -> ET.Element:
        """A figure as an indicator: a planned one as a target, any other as an actual value, in a
        period of its years. The schema's period needs dates: a figure without a year has its value
        in its description (as written and exact) and in Duikou's element, never a made-up year."""
        period = None
        if figure.year is not None:
            value = element("target" if self.basis(figure) == "planned" else "actual", {"value": exact(figure.value)})
            period = element("period", None,
                             element("period-start", {"iso-date": f"{figure.year}-01-01"}),
                             element("period-end", {"iso-date": f"{figure.end_year or figure.year}-12-31"}),
                             value)
        measure = PERCENTAGE_MEASURE if figure.unit == "percent" else UNIT_MEASURE
        return element("indicator", {"measure": measure}, texts("title", figure.name),
                       texts("description", _said(figure)), period, self._figure(figure))

    def _figure(self, figure: Figure) -> ET.Element:
        """What IATI has no place for: the figure's measure, unit, basis, precision and wording."""
        return element(f"{{{NAMESPACE}}}figure", {
            "id": figure.id, "measure": figure.measure, "value": exact(figure.value), "unit": figure.unit,
            "basis": self.basis(figure), "qualifier": figure.qualifier, "wording": figure.wording,
            "year": figure.year, "end-year": figure.end_year, "part-of": figure.part_of_id})


def _value(amount: float, when: str) -> ET.Element:
    """An amount as xsd:decimal writes it: 1.5e-05 as 0.000015."""
    return element("value", {"currency": "CNY", "value-date": when}, text=format(Decimal(repr(exact(amount))), "f"))


def _said(figure: Figure) -> str:
    """A figure as the document writes it and as an exact number: `1050万元 = 10500000 CNY`."""
    exact_form = f"{exact(figure.value)} {figure.unit}"
    return f"{figure.wording} = {exact_form}" if figure.wording else exact_form


def _documents(quote_lists: Iterable[tuple[Quote, ...]]) -> Iterator[ET.Element]:
    """A document-link per document, its quotes as the description, a line each. The sources are
    known by a key (a file name), not by a web address: the url is a URN naming that key."""
    quotes_of: dict[str, list[str]] = {}
    documents = {}
    for quotes in quote_lists:
        for quote in quotes:
            documents.setdefault(quote.document.key, quote.document)
            seen = quotes_of.setdefault(quote.document.key, [])
            if quote.text not in seen:
                seen.append(quote.text)
    for key, document in documents.items():
        published = reported_by(document.published)
        yield element("document-link", {"url": f"urn:x-duikou:document:{url_quote(key)}", "format": "text/plain"},
                      texts("title", document.title),
                      texts("description", "\n".join(f"“{text}”" for text in quotes_of[key])),
                      element("category", {"code": RESULTS_DOCUMENT}),
                      element("language", {"code": "zh"}),
                      element("document-date", {"iso-date": published}) if published else None,
                      element(f"{{{NAMESPACE}}}document", {"key": key, "publisher": document.publisher,
                                                           "author": document.author,
                                                           "published": document.published}))


def generated() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write(export: Export, out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<iati-activities version="2.03" generated-datetime="{generated()}" xmlns:duikou="{NAMESPACE}" '
              f'duikou:node={quoteattr(_text(export.title))}>\n')
    for activity in activities(export):
        out.write(ET.tostring(activity, encoding="unicode") + "\n")
    out.write("</iati-activities>\n")
