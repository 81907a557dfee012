"""The pane on the right: everything known about the node under the tree's cursor.

The root shows every pairing side by side; a donor, recipient or sector its totals (and which
figures each adds), its figures, and its money by sector and year; a project every field and
the evidence for each figure, the figure's wording marked in the quote.
"""
from __future__ import annotations

from typing import ClassVar, Iterable, Sequence

from rich.text import Text
from textual import on, work
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from tui.browser.messages import DetailLoaded
from tui.browser.widgets.atlas_tree import Entry
from tui.browser.widgets.bar_chart import BarChart
from tui.browser.widgets.pairings_table import PairingsTable
from tui.data.atlas import Figure, Labels, Node, PairingRow, Project, Quote, ScopeView, Total
from tui.data.shared import SharedAtlas
from tui.text.format import highlight_span, money, quantity, source_line, visible, years
from tui.text.i18n import language, tr


class DetailPane(VerticalScroll):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail-pane--highlight", "detail-pane--muted", "detail-pane--missing", "detail-pane--label"}

    def __init__(self, atlas: SharedAtlas, **kwargs) -> None:
        super().__init__(**kwargs)
        self.atlas = atlas
        self.node: Node | None = None   # the node whose detail is wanted
        self.citation = ""       # what `c` copies: the shown item's name, figures and sources
        self.chosen_figure: int | None = None   # a figure chosen in search: shown first on its node
        self._chosen_on: Node | None = None     # the node it was shown on; once left, the choice is spent

    def choose_figure(self, figure_id: int | None) -> None:
        """Show this figure first when the node it sits on is shown (a figure chosen in search)."""
        self.chosen_figure, self._chosen_on = figure_id, None

    def show(self, entry: Entry) -> None:
        if entry is None or isinstance(entry, Node):
            self.node = entry
            self._fetch(entry)

    @work(thread=True, exclusive=True, group="detail")
    def _fetch(self, node: Node | None) -> None:
        self.post_message(DetailLoaded(node, self.atlas.detail(node)))

    @on(DetailLoaded)
    def _display(self, message: DetailLoaded) -> None:
        if message.node != self.node:
            return      # the cursor has moved on: a newer answer is on its way
        detail = message.detail
        if isinstance(detail, list):
            widgets, self.citation = self._pairings(detail), pairings_citation(detail)
        elif isinstance(detail, Project):
            widgets, self.citation = self._project(detail), project_citation(detail)
        elif isinstance(detail, ScopeView):
            widgets, self.citation = self._scope(detail), scope_citation(detail)
        else:
            widgets, self.citation = [], ""
        chosen = _chosen(detail, self.chosen_figure)
        if chosen is not None:
            self._chosen_on = message.node
            widgets[1:1] = _section("Chosen figure", self._figures([chosen]))
        elif self._chosen_on is not None:
            self.chosen_figure = self._chosen_on = None
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
        self.scroll_home(animate=False)

    # -- the three kinds of view -----------------------------------------------------------------

    def _pairings(self, rows: list[PairingRow]) -> list[Widget]:
        return [_title(tr("All pairings")), PairingsTable(rows)]

    def _scope(self, view: ScopeView) -> list[Widget]:
        detail = view.detail
        widgets: list[Widget] = [_title(view.node.label)]
        if detail.place_path:
            widgets.append(_text(Text(" › ".join(visible(name) for name in detail.place_path))))
        widgets += _section("Totals", self._totals(detail.totals, view.labels) if detail.totals else
                            Text(tr("nothing to add"), self._style("muted")))
        if detail.money_by_sector:
            widgets += _section("Money by sector", BarChart(
                [(view.labels.sector(code), value) for code, value in detail.money_by_sector.items()]))
        if detail.money_by_year:
            widgets += _section("Money by year", BarChart(
                [(str(year), value) for year, value in detail.money_by_year.items()]))
        if detail.outcomes:
            widgets += _section("Outcomes over time", self._figures(detail.outcomes))
        if detail.figures:
            widgets += _section("Figures", self._figures_by_measure(detail.figures, view.labels))
        if len(detail.pairings) > 1 or view.node.level == "sector":
            widgets += _section("Pairings", Text("\n").join(
                Text(f"{visible(row.donor)} → {visible(row.recipient)}  {visible(row.kind)}  "
                     f"{years(row.start_year, row.end_year)}") for row in detail.pairings))
        if not (detail.totals or detail.figures or detail.outcomes):
            widgets.append(_text(Text(tr("No figures recorded here."), self._style("muted"))))
        return widgets

    def _project(self, project: Project) -> list[Widget]:
        label = self._style("label")
        fields = Text()
        for name, value in [
            ("Kind", tr(project.kind)),
            ("Sector", f"{project.sector_name} {project.sector} (DAC {project.dac5})"),
            ("Donor", project.donor),
            ("Recipient", project.recipient),
            ("Place", " › ".join(project.place)),
            ("Implementer", project.implementer),
            ("Years", years(project.year, project.end_year)),
            ("Status", tr(project.status) if project.status else None),
            ("Amount", money(project.amount) if project.amount is not None else None),
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

    def _totals(self, totals: Iterable[Total], labels: Labels) -> Text:
        muted = self._style("muted")
        lines = []
        for total in totals:
            line = Text.assemble((f"{visible(labels.measure(total.measure, language()))}: ", self._style("label")),
                                 quantity(total.value, total.unit, lang=language()))
            line.append(f"\n  {tr('adds figures')} {_ids(total.added, total.added_count)}", muted)
            if total.covered_count:
                line.append(f"\n  {tr('leaves out')} {_ids(total.covered, total.covered_count)} "
                            f"({tr('parts of a total it adds')})", muted)
            lines.append(line)
        return Text("\n").join(lines)

    def _figures_by_measure(self, figures: Iterable[Figure], labels: Labels) -> Text:
        groups: dict[str, list[Figure]] = {}
        for figure in figures:
            groups.setdefault(figure.measure, []).append(figure)
        return Text("\n").join(Text.assemble((visible(labels.measure(measure, language())), self._style("label")), "\n",
                                              self._figures(group))
                               for measure, group in groups.items())

    def _figures(self, figures: Iterable[Figure]) -> Text:
        muted = self._style("muted")
        blocks = []
        for figure in figures:
            block = Text.assemble("• ", visible(figure.name), "  ",
                                  (quantity(figure.value, figure.unit, figure.qualifier, language()), "bold"))
            if figure.year is not None:
                block.append(f"  {years(figure.year, figure.end_year)}")
            block.append(f"  #{figure.id}", muted)
            if figure.part_of_id is not None:
                block.append(f" ({tr('part of')} #{figure.part_of_id})", muted)
            block.append("\n")
            block.append_text(self._quotes(figure.quotes, figure.wording, indent="  "))
            blocks.append(block)
        return Text("\n").join(blocks)

    def _quotes(self, quotes: Iterable[Quote], wording: str | None, indent: str = "") -> Text:
        """Each quote with `wording` marked, and its document; "no source" when there is none."""
        lines = []
        for quote in quotes:
            text = visible(quote.text)
            line = Text.assemble(indent, "“", text, "”")
            span = highlight_span(text, visible(wording))
            if span is not None:
                offset = len(indent) + 1
                line.stylize(self._style("highlight"), span[0] + offset, span[1] + offset)
            line.append(f"\n{indent}  — {visible(source_line(vars(quote.document)))}", self._style("muted"))
            lines.append(line)
        if not lines:
            return Text(f"{indent}{tr('no source')}", self._style("missing"))
        return Text("\n").join(lines)

    def _style(self, name: str):
        return self.get_component_rich_style(f"detail-pane--{name}", partial=True)


def _chosen(detail: object, figure_id: int | None) -> Figure | None:
    """The figure chosen in search, when this detail lists it."""
    if figure_id is None:
        return None
    if isinstance(detail, Project):
        figures: Iterable[Figure] = detail.figures
    elif isinstance(detail, ScopeView):
        figures = (*detail.detail.figures, *detail.detail.outcomes)
    else:
        return None
    return next((figure for figure in figures if figure.id == figure_id), None)


def _title(label: str) -> Static:
    return Static(Text(visible(label)), classes="title")


def _text(text: Text) -> Static:
    return Static(text)


def _section(heading: str, body: Text | Widget) -> list[Widget]:
    return [Static(Text(tr(heading)), classes="heading"), body if isinstance(body, Widget) else _text(body)]


def _ids(ids: Sequence[int], count: int) -> str:
    """The figures a sum names (the first few of a large sum, and how many more)."""
    listed = ", ".join(f"#{figure_id}" for figure_id in ids) or "—"
    return listed + (" " + tr("and {count} more", count=f"{count - len(ids):,}") if count > len(ids) else "")


# -- citations (plain text for the clipboard; control characters made visible there too) ----------

def _cite_quotes(quotes: Iterable[Quote]) -> list[str]:
    lines = [f"  “{visible(quote.text)}” — {visible(source_line(vars(quote.document)))}" for quote in quotes]
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
        money_text = f" · {money(row.money)}" if row.money is not None else ""
        lines.append(f"{visible(row.donor)} → {visible(row.recipient)} · {visible(row.kind)} · "
                     f"{years(row.start_year, row.end_year)}{money_text} · "
                     f"{tr('{count} projects', count=row.projects)}")
    return "\n".join(lines)


def project_citation(project: Project) -> str:
    amount = f" — {money(project.amount)}" if project.amount is not None else ""
    lines = [f"{visible(project.name)}{amount}",
             f"{visible(project.donor)} → {visible(project.recipient)} · {visible(project.sector_name)}"
             f" · {years(project.year, project.end_year)}",
             *_cite_quotes(project.quotes)]
    for figure in project.figures:
        lines += _cite_figure(figure)
    return "\n".join(lines)


def scope_citation(view: ScopeView) -> str:
    lines = [visible(view.node.label)]
    for total in view.detail.totals:
        lines.append(f"{visible(view.labels.measure(total.measure, language()))}: "
                     f"{quantity(total.value, total.unit, lang=language())} "
                     f"({tr('adds figures')} {_ids(total.added, total.added_count)})")
    for figure in (*view.detail.figures, *view.detail.outcomes):
        lines += _cite_figure(figure)
    return "\n".join(lines)
