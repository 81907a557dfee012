"""The pane on the right: everything known about the node under the tree's cursor.

The root shows every pairing side by side. A donor, recipient, pairing or sector opens as a fact
sheet: its money (actual and planned apart, with their periods), its projects by status, the cadres
sent and the recipient's outcomes, each sum naming the figures it adds (Enter or a click unfolds
them with their quotes), then money by sector and by period, then the rest. A project shows every
field and the evidence for each figure, the figure's wording marked in the quote. Every quote's
source opens its document.
"""
from __future__ import annotations

from typing import Callable, ClassVar, Iterable

from rich.text import Text
from textual import on, work
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tui.browser.messages import DocumentLoaded, SheetLoaded
from tui.browser.widgets.atlas_tree import Entry
from tui.browser.widgets.bar_chart import BarChart
from tui.browser.widgets.pairings_table import PairingsTable, row_detail
from tui.browser.widgets.sources import OpenDocument, SourceLink, TotalFigures
from tui.data.atlas import MONEY, Atlas, Figure, Labels, Node, PairingRow, Project, Quote, ScopeView
from tui.data.fact_sheet import FactSheet, Filter, Named, Period, fact_sheet
from tui.data.rollup import OVERALL
from tui.data.shared import SharedAtlas
from tui.text.format import highlight_span, money, money_brief, quantity, source_line, visible, years
from tui.text.i18n import counted, language, tr
from tui.text.totals import total_text, totals_line

MONEY_MEASURES = ("aid_funds", "investment", "donation")   # what the sheet's "Money" lists, in order


class DetailPane(VerticalScroll):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail-pane--highlight", "detail-pane--muted", "detail-pane--missing", "detail-pane--label"}

    def __init__(self, atlas: SharedAtlas, **kwargs) -> None:
        super().__init__(**kwargs)
        self.atlas = atlas
        self.node: Node | None = None   # the node whose detail is wanted
        self.filter = Filter()          # which years and basis the sums are read for
        self.years: tuple[int, ...] = ()   # the years the shown node has sums for
        self.citation = ""       # what `c` copies: the shown item's name, figures and sources
        self.chosen_figure: int | None = None   # a figure chosen in search: shown first on its node
        self._chosen_on: Node | None = None     # the node it was shown on; once left, the choice is spent

    def choose_figure(self, figure_id: int | None) -> None:
        """Show this figure first when the node it sits on is shown (a figure chosen in search)."""
        self.chosen_figure, self._chosen_on = figure_id, None

    def show(self, entry: Entry) -> None:
        if entry is None or isinstance(entry, Node):
            self.node = entry
            self._fetch(entry, self.filter)

    def set_filter(self, chosen: Filter) -> None:
        """Read the sums for other years or another basis, and show the node again."""
        self.filter = chosen
        self._fetch(self.node, chosen)

    def choose_filter(self, then: Callable[[Filter], None]) -> None:
        """Ask which years and basis to show; `then` is told the filter chosen (the tree's money labels follow it)."""
        def chosen(result: Filter | None) -> None:
            if result is not None:
                self.set_filter(result)
                then(result)
        from tui.browser.screens.filter import FilterScreen  # the pane's screens load when first opened

        self.app.push_screen(FilterScreen(self.filter, self.years), callback=chosen)

    @on(OpenDocument)
    def _open_document(self, message: OpenDocument) -> None:
        self.open_document(message.key)

    def open_document(self, key: str) -> None:
        """Show the document `key` with every figure and project citing it."""
        self._fetch_document(key)

    @work(thread=True, exclusive=True, group="document")
    def _fetch_document(self, key: str) -> None:
        from tui.data.documents import document_view

        view = self.atlas.ask(lambda atlas: document_view(atlas, key))
        if view is not None:
            self.post_message(DocumentLoaded(view))

    @on(DocumentLoaded)
    def _show_document(self, message: DocumentLoaded) -> None:
        from tui.browser.screens.document import DocumentScreen

        self.app.push_screen(DocumentScreen(self.atlas, message.view))

    @work(thread=True, exclusive=True, group="detail")
    def _fetch(self, node: Node | None, chosen: Filter) -> None:
        self.post_message(SheetLoaded(node, chosen, *self.atlas.ask(lambda atlas: (_answer(atlas, node, chosen),
                                                                                  atlas.labels, atlas.updating))))

    @on(SheetLoaded)
    async def _display(self, message: SheetLoaded) -> None:
        if message.node != self.node or message.chosen != self.filter:
            return      # the cursor or the filter has moved on: a newer answer is on its way
        detail = message.detail
        if isinstance(detail, list):
            widgets, self.citation = self._pairings(detail), pairings_citation(detail)
        elif isinstance(detail, Project):
            widgets, self.citation = self._project(detail, message.labels), project_citation(detail)
        elif isinstance(detail, FactSheet):
            widgets, self.citation = self._sheet(detail), sheet_citation(detail)
            self.years = detail.years
        else:
            widgets, self.citation = [], ""
        if message.updating and widgets:
            widgets.insert(1, _text(Text(tr("These sums are as they stood before other programs' changes: "
                                            "being updated…"), self._style("missing"))))
        chosen = _chosen(detail, self.chosen_figure)
        if chosen is not None:
            self._chosen_on = message.node
            widgets[1:1] = _section("Chosen figure", self._figure_widgets(chosen))
        elif self._chosen_on is not None:
            self.chosen_figure = self._chosen_on = None
        with self.app.batch_update():
            # Awaited: the view shown before may hold widgets of the same ids until it is gone.
            await self.remove_children()
            await self.mount_all(widgets)
        self.scroll_home(animate=False)

    # -- the three kinds of view -----------------------------------------------------------------

    def _pairings(self, rows: list[PairingRow]) -> list[Widget]:
        return [_title(tr("All pairings")), PairingsTable(rows), Static(id="pairing-row")]

    @on(DataTable.RowHighlighted)
    def _tell_pairing(self, event: DataTable.RowHighlighted) -> None:
        """The pairing under the table's cursor, in full: what its four columns leave out."""
        if isinstance(event.data_table, PairingsTable) and event.row_key.value is not None:
            row = event.data_table.pairing_at(event.row_key.value)
            if row is not None:
                self.query_one("#pairing-row", Static).update(row_detail(row))

    def _sheet(self, sheet: FactSheet) -> list[Widget]:
        view, detail, labels = sheet.view, sheet.view.detail, sheet.view.labels
        sector = view.node.scope.sector
        widgets: list[Widget] = [_title(_sector_name(sector, labels) if view.node.level == "sector" else view.node.label)]
        if detail.place_path:
            widgets.append(_text(Text(" › ".join(visible(name) for name in detail.place_path))))
        if sheet.filter != Filter():
            widgets.append(_text(Text(filter_text(sheet.filter), self._style("muted"))))
        money_totals = [named for named in sheet.totals if _is_money(named)]
        widgets += _section("Money", [self._total(named, labels) for named in money_totals] or
                            [_text(Text(tr("no money recorded"), self._style("muted")))])
        widgets.append(_text(self._facts(sheet)))
        if sheet.money_by_sector:
            widgets += _section("Money by sector", [BarChart(
                [(_sector_label(row.sector, labels), row.value) for row in sheet.money_by_sector], _brief)])
        if sheet.money_by_year:
            widgets += _section("Money by year", [BarChart(
                [(_period(period), period.value) for period in sheet.money_by_year], _brief)])
            if note := _not_in_a_period(sheet):
                widgets.append(_text(Text(note, self._style("muted"))))
        others = [named for named in sheet.totals if not _is_money(named)]
        if others:
            widgets += _section("Other totals", [self._total(named, labels) for named in others])
        if detail.outcomes:
            widgets += _section("Outcomes over time", self._figures(detail.outcomes))
        if detail.figures:
            # Folded, made when unfolded: a county's figures with their quotes are hundreds of lines.
            title = Text(counted(len(detail.figures), "{count} figure recorded here", "{count} figures recorded here"))
            widgets += _section("Figures", [TotalFigures(title, lambda: self._figures_by_measure(detail.figures,
                                                                                                 labels))])
        if len(detail.pairings) > 1 or view.node.level == "sector":
            widgets += _section("Pairings", [_text(Text("\n").join(
                Text(f"{visible(row.donor)} → {visible(row.recipient)}  {visible(row.kind)}  "
                     f"{years(row.start_year, row.end_year)}") for row in detail.pairings))])
        if not (sheet.totals or detail.figures or detail.outcomes):
            widgets.append(_text(Text(tr("No figures recorded here."), self._style("muted"))))
        return widgets

    def _project(self, project: Project, labels: Labels) -> list[Widget]:
        label = self._style("label")
        fields = Text()
        for name, value in [
            ("Kind", tr(project.kind)),
            ("Sector", f"{_sector_name(project.sector, labels)} (DAC {project.dac5})"),
            ("Donor", project.donor),
            ("Recipient", project.recipient),
            ("Place", " › ".join(project.place)),
            ("Implementer", project.implementer),
            ("Years", years(project.year, project.end_year)),
            ("Status", tr(project.status) if project.status else None),
            ("Amount", _amount(project)),
            ("Description", project.description),
        ]:
            if value:
                fields.append(f"{tr(name)}: ", label)
                fields.append(visible(value, keep_lines=True))
                fields.append("\n")
        fields.rstrip()
        widgets: list[Widget] = [_title(project.name), _text(fields)]
        widgets += _section("Evidence", self._quotes(project.quotes, project.name))
        if project.figures:
            widgets += _section("Figures", self._figures(project.figures))
        return widgets

    # -- pieces ----------------------------------------------------------------------------------

    def _total(self, named: Named, labels: Labels) -> TotalFigures:
        """A sum on a line, the figures it adds named on the next; unfolding lists them with their quotes."""
        total = named.total
        title = Text.assemble((f"{visible(labels.measure(total.measure, language()))}: ", self._style("label")),
                              total_text(total, language(), short=True))
        if named.figures:
            names = " · ".join(_named(figure) for figure in named.figures[:3])
            rest = total.figures - min(len(named.figures), 3)
            more = " · " + counted(rest, "and {count} more figure", "and {count} more figures") if rest else ""
            title.append(f"\n{names}{more}", self._style("muted"))
        def figures() -> list[Widget]:
            body: list[Widget] = [widget for figure in named.figures for widget in self._figure_widgets(figure)]
            if named.unnamed:
                body.append(_text(Text(counted(named.unnamed, "and {count} more figure, not listed here",
                                               "and {count} more figures, not listed here"), self._style("muted"))))
            return body
        return TotalFigures(title, figures)

    def _facts(self, sheet: FactSheet) -> Text:
        """Projects by status, cadres sent and the recipient's outcomes, a line each."""
        label, muted = self._style("label"), self._style("muted")
        lines = []
        count = sum(projects for _, projects in sheet.statuses)
        statuses = " · ".join(f"{projects:,} {tr(status) if status else tr('no status')}"
                              for status, projects in sheet.statuses)
        if sheet.statuses_of_all_years:
            statuses = f"{statuses}; {tr('all years')}"
        lines.append(Text.assemble((f"{tr('Projects')}: ", label), counted(count, "{count} project", "{count} projects"),
                                   f" ({statuses})" if statuses else ""))
        if sheet.cadres is not None:
            cadres = sheet.cadres
            # At least the largest report: its own precision (≈) would only blur the bound.
            lines.append(Text.assemble((f"{tr('Cadres sent')}: ", label),
                                       f"≥ {quantity(cadres.value, cadres.unit, None, language())}",
                                       f" ({years(cadres.year, cadres.end_year)})" if cadres.year else "",
                                       (f" {tr('largest report')}: {visible(cadres.name)}", muted)))
        if sheet.poverty_rates:
            first, last = sheet.poverty_rates[0], sheet.poverty_rates[-1]
            rate = _dated(first) if first is last else f"{_dated(first)} → {_dated(last)}"
            lines.append(Text.assemble((f"{tr('Poverty rate')}: ", label), rate))
        exits = sheet.exits[-1:] or [named.total for named in sheet.totals
                                     if (named.total.measure, named.total.unit, named.total.basis)
                                     == ("poverty_exit", "person", "actual")]
        for exit_ in exits:
            text = _dated(exit_) if isinstance(exit_, Figure) else total_text(exit_, language(), short=True)
            lines.append(Text.assemble((f"{tr('Lifted out of poverty')}: ", label), text))
        return Text("\n").join(lines)

    def _figures_by_measure(self, figures: Iterable[Figure], labels: Labels) -> list[Widget]:
        groups: dict[str, list[Figure]] = {}
        for figure in figures:
            groups.setdefault(figure.measure, []).append(figure)
        widgets: list[Widget] = []
        for measure, group in groups.items():
            widgets.append(_text(Text(visible(labels.measure(measure, language())), self._style("label"))))
            widgets += self._figures(group)
        return widgets

    def _figures(self, figures: Iterable[Figure]) -> list[Widget]:
        return [widget for figure in figures for widget in self._figure_widgets(figure)]

    def _figure_widgets(self, figure: Figure) -> list[Widget]:
        """A figure in full: name, value in both forms, years, id, and each quote with its source."""
        muted = self._style("muted")
        line = Text.assemble("• ", visible(figure.name), "  ",
                             (quantity(figure.value, figure.unit, figure.qualifier, language()), "bold"))
        if figure.year is not None:
            line.append(f"  {years(figure.year, figure.end_year)}")
        line.append(f"  #{figure.id}", muted)
        if figure.part_of_id is not None:
            line.append(f" ({tr('part of')} #{figure.part_of_id})", muted)
        return [_text(line), *self._quotes(figure.quotes, figure.wording, indent="  ")]

    def _quotes(self, quotes: Iterable[Quote], wording: str | None, indent: str = "") -> list[Widget]:
        """Each quote with `wording` marked, and its document to open; "no source" when there is none."""
        widgets: list[Widget] = []
        for quote in quotes:
            text = visible(quote.text)
            line = Text.assemble(indent, "“", text, "”")
            span = highlight_span(text, visible(wording))
            if span is not None:
                offset = len(indent) + 1
                line.stylize(self._style("highlight"), span[0] + offset, span[1] + offset)
            widgets.append(_text(line))
            widgets.append(SourceLink(Text(f"{indent}  — {visible(source_line(quote.document._asdict(), language()))}",
                                           self._style("muted")), quote.document.key))
        return widgets or [_text(Text(f"{indent}{tr('no source')}", self._style("missing")))]

    def _style(self, name: str):
        return self.get_component_rich_style(f"detail-pane--{name}", partial=True)


def _answer(atlas: Atlas, node: Node | None, chosen: Filter) -> object:
    """What the pane shows for `node`: a scope's detail becomes its fact sheet under `chosen`."""
    detail = atlas.detail(node)
    return fact_sheet(atlas, detail, chosen) if isinstance(detail, ScopeView) else detail


def filter_text(chosen: Filter) -> str:
    """What the filter keeps, as the pane says it: `2017 · actual only`."""
    parts = [str(chosen.year) if chosen.year is not None else tr("all years"),
             {None: tr("actual and planned"), "actual": tr("actual only"), "planned": tr("planned only")}[chosen.basis]]
    return tr("Showing {what} (f: filter)", what=" · ".join(parts))


def _chosen(detail: object, figure_id: int | None) -> Figure | None:
    """The figure chosen in search, when this detail lists it."""
    if figure_id is None:
        return None
    if isinstance(detail, Project):
        figures: Iterable[Figure] = detail.figures
    elif isinstance(detail, FactSheet):
        figures = (*detail.view.detail.figures, *detail.view.detail.outcomes)
    else:
        return None
    return next((figure for figure in figures if figure.id == figure_id), None)


def _is_money(named: Named) -> bool:
    return named.total.unit == MONEY[1] and named.total.measure in MONEY_MEASURES


def _brief(yuan: float) -> str:
    return money_brief(yuan, language())


def _brief_value(figure: Figure) -> str:
    return quantity(figure.value, figure.unit, figure.qualifier, language(), brief=True)


def _named(figure: Figure) -> str:
    """A figure a sum adds, by name, value and year: `对口帮扶资金 ¥14.2 M 2016–2017`."""
    when = f" {years(figure.year, figure.end_year)}" if figure.year is not None or figure.end_year else ""
    return f"{visible(figure.name)} {_brief_value(figure)}{when}"


def _dated(figure: Figure) -> str:
    """`16.8% (2017)`: a figure's value and when."""
    when = f" ({years(figure.year, figure.end_year)})" if figure.year is not None else ""
    return _brief_value(figure) + when


def _title(label: str) -> Static:
    return Static(Text(visible(label)), classes="title")


def _text(text: Text) -> Static:
    return Static(text)


def _section(heading: str, body: list[Widget]) -> list[Widget]:
    return [Static(Text(tr(heading)), classes="heading"), *body]


def _amount(project: Project) -> str | None:
    """A project's amount, marked when it is only a plan."""
    if project.amount is None:
        return None
    return f"{tr('planned')} {money(project.amount)}" if project.amount_basis == "planned" else money(project.amount)


def _sector_label(code: str, labels: Labels) -> str:
    """A row of the sector breakdown, in the interface's language: 'overall' holds the money given
    to no named sector."""
    return tr("not assigned to a sector") if code == OVERALL else _sector_name(code, labels)


def _sector_name(code: str, labels: Labels) -> str:
    """A sector's name in the interface's language alone."""
    name = labels.sectors.get(code)
    return code if name is None else name.zh if language() == "zh" else name.en


def _period(period: Period) -> str:
    return tr("no year") if period.year is None else years(period.year, period.end_year)


def _not_in_a_period(sheet: FactSheet) -> str:
    """What the by-period chart leaves out of the total: money in no single year's stored sum."""
    total = sheet.money("actual")
    rest = total.total.value - sum(period.value for period in sheet.money_by_year) if total else 0
    return tr("Only money reported for a single year is shown by year; {value} of the total spans years or gives none.",
              value=_brief(rest)) if rest > 0.5 else ""


# -- citations (plain text for the clipboard; control characters made visible there too) ----------

def _cite_quotes(quotes: Iterable[Quote]) -> list[str]:
    lines = [f"  “{visible(quote.text)}” — {visible(source_line(quote.document._asdict(), language()))}"
             for quote in quotes]
    return lines or [f"  ({tr('no source')})"]


def _cite_figure(figure: Figure) -> list[str]:
    wording = f" ({visible(figure.wording)})" if figure.wording else ""
    year = f", {years(figure.year, figure.end_year)}" if figure.year is not None else ""
    value = quantity(figure.value, figure.unit, figure.qualifier, language())
    return [f"{visible(figure.name)}: {value}{wording}{year}", *_cite_quotes(figure.quotes)]


def pairings_citation(rows: Iterable[PairingRow]) -> str:
    """Every pairing on a line: who helped whom, how, when, with how much, in how many projects."""
    lines = [tr("All pairings")]
    for row in rows:
        money_text = f" · {text}" if (text := totals_line(row.money, language())) else ""
        lines.append(f"{visible(row.donor)} → {visible(row.recipient)} · {visible(row.kind)} · "
                     f"{years(row.start_year, row.end_year)}{money_text} · "
                     f"{counted(row.projects, '{count} project', '{count} projects')}")
    return "\n".join(lines)


def project_citation(project: Project) -> str:
    amount = f" — {_amount(project)}" if project.amount is not None else ""
    lines = [f"{visible(project.name)}{amount}",
             f"{visible(project.donor)} → {visible(project.recipient)} · {visible(project.sector_name)}"
             f" · {years(project.year, project.end_year)}",
             *_cite_quotes(project.quotes)]
    for figure in project.figures:
        lines += _cite_figure(figure)
    return "\n".join(lines)


def sheet_citation(sheet: FactSheet) -> str:
    """The node, each sum with the figures it adds by name, value and year, and its own figures."""
    view = sheet.view
    lines = [visible(view.node.label)]
    for named in sheet.totals:
        total = named.total
        added = "; ".join(_named(figure) for figure in named.figures)
        more = f"; {counted(named.unnamed, 'and {count} more figure', 'and {count} more figures')}" \
            if named.unnamed else ""
        lines.append(f"{visible(view.labels.measure(total.measure, language()))}: {total_text(total, language())}"
                     + (f" ({added}{more})" if added else ""))
    for figure in (*view.detail.figures, *view.detail.outcomes):
        lines += _cite_figure(figure)
    return "\n".join(lines)
