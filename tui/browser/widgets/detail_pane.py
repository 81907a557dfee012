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
from tui.data.atlas import MONEY, Figure, Labels, Node, PairingRow, Project, Quote, ScopeView, Total
from tui.data.rollup import OVERALL
from tui.data.shared import SharedAtlas
from tui.text.format import highlight_span, money, money_short, quantity, source_line, visible, years
from tui.text.i18n import language, tr
from tui.text.totals import totals_line


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
                [(_sector_label(row.sector, view.labels), row.value) for row in detail.money_by_sector]))
        if detail.money_by_year:
            widgets += _section("Money by year", BarChart([(str(row.year), row.value) for row in detail.money_by_year]))
            if note := _not_in_a_year(detail):
                widgets.append(_text(Text(note, self._style("muted"))))
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

    def _totals(self, totals: Iterable[Total], labels: Labels) -> Text:
        muted = self._style("muted")
        lines = []
        for (measure, _), group in _by_kind(totals):
            line = Text.assemble((f"{visible(labels.measure(measure, language()))}: ", self._style("label")),
                                 totals_line(group, language()))
            for total in group:
                if total.figures:
                    line.append(f"\n  {_adds(total)}", muted)
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


def _by_kind(totals: Iterable[Total]) -> list[tuple[tuple[str, str], list[Total]]]:
    """Totals of one measure and unit together (their actual and planned sums), in order."""
    groups: dict[tuple[str, str], list[Total]] = {}
    for total in totals:
        groups.setdefault((total.measure, total.unit), []).append(total)
    return list(groups.items())


def _adds(total: Total) -> str:
    """Which figures a sum added: `planned: adds 3 figures #1, #2, #3`."""
    basis = f"{tr('planned')}: " if total.basis == "planned" else ""
    return f"{basis}{tr('adds {count} figures', count=total.figures)} {_ids(total.added, total.figures)}"


def _amount(project: Project) -> str | None:
    """A project's amount, marked when it is only a plan."""
    if project.amount is None:
        return None
    return f"{tr('planned')} {money(project.amount)}" if project.amount_basis == "planned" else money(project.amount)


def _sector_label(code: str, labels: Labels) -> str:
    """A row of the sector breakdown: 'overall' holds the money given to no named sector."""
    return tr("not assigned to a sector") if code == OVERALL else labels.sector(code)


def _not_in_a_year(detail) -> str:
    """What the by-year chart leaves out of the total: spans of years, and money given no year."""
    total = next((row for row in detail.totals if (row.measure, row.unit, row.basis) == (*MONEY, "actual")), None)
    rest = total.value - sum(row.value for row in detail.money_by_year) if total else 0
    return tr("Only money reported for a single year is shown by year; {value} of the total spans years or gives none.",
              value=money_short(rest)) if rest > 0.5 else ""


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
        money_text = f" · {text}" if (text := totals_line(row.money, language())) else ""
        lines.append(f"{visible(row.donor)} → {visible(row.recipient)} · {visible(row.kind)} · "
                     f"{years(row.start_year, row.end_year)}{money_text} · "
                     f"{tr('{count} projects', count=row.projects)}")
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


def scope_citation(view: ScopeView) -> str:
    lines = [visible(view.node.label)]
    for (measure, _), group in _by_kind(view.detail.totals):
        adds = "; ".join(_adds(total) for total in group if total.figures)
        lines.append(f"{visible(view.labels.measure(measure, language()))}: {totals_line(group, language())}"
                     + (f" ({adds})" if adds else ""))
    for figure in (*view.detail.figures, *view.detail.outcomes):
        lines += _cite_figure(figure)
    return "\n".join(lines)
