"""What the detail pane shows first for a donor, recipient, pairing or sector: a fact sheet.

Money (actual and planned apart), projects by status, cadres sent and the recipient's outcomes,
each sum as the stored sums (v_total) give it, with the figures it adds named; then the charts.
A filter (one year or all, one basis or both) chooses which of the stored sums are read: a year's
sum is the stored row of that year (figures lying in it alone), never years added together.
"""
from __future__ import annotations

from typing import NamedTuple

from tui.data.atlas import MONEY, Atlas, Figure, ScopeView
from tui.data.sums import Total

BASES = ("actual", "planned")
CADRES = ("cadres_sent", "person")
POVERTY_RATE = ("poverty_rate", "percent")
EXITS = ("poverty_exit", "person")
STATUSES = ("completed", "underway", "planned", None)   # the order the pane lists them in
# Projects of one year are counted by status row by row (the roll-ups count them of all years):
# beyond this many, a national-scale donor would hold the connection for seconds, so the sheet
# gives their statuses of all years, and says so.
STATUS_LIMIT = 20_000

# The few projects not completed, counted through the index of (pairing, status): the completed
# ones, most of a national-scale donor's 400,000, are the rest of the roll-ups' count.
_UNFINISHED = """
    SELECT p.status, count(*) FROM json_each(:members) m CROSS JOIN project p ON p.pairing_id = m.value
    WHERE p.status IN ('planned', 'underway') AND (:sector IS NULL OR p.sector = :sector) GROUP BY p.status
    UNION ALL
    SELECT NULL, count(*) FROM json_each(:members) m CROSS JOIN project p ON p.pairing_id = m.value
    WHERE p.status IS NULL AND (:sector IS NULL OR p.sector = :sector)"""
_STATUSES = """
    SELECT status, count(*) FROM project
    WHERE pairing_id IN (SELECT value FROM json_each(:members)) AND (:sector IS NULL OR sector = :sector)
      AND (:year IS NULL OR (year <= :year AND coalesce(end_year, year) >= :year))
    GROUP BY status"""
_LARGEST = """SELECT max(value) FROM rollup_largest
    WHERE kind = 'pairing' AND ref IN (SELECT value FROM json_each(:roots)) AND measure = :measure AND unit = :unit"""
_LARGEST_FIGURE = """
    SELECT id FROM figure
    WHERE measure = :measure AND unit = :unit AND value = :value
      AND (pairing_id IN (SELECT value FROM json_each(:members))
           OR project_id IN (SELECT id FROM project WHERE pairing_id IN (SELECT value FROM json_each(:members))))
    ORDER BY year DESC, id LIMIT 1"""


class Filter(NamedTuple):
    """Which sums the pane shows: all years (None) or one, both bases (None) or one."""
    year: int | None = None
    basis: str | None = None

    def keeps(self, total: Total) -> bool:
        return self.basis is None or total.basis == self.basis


class Named(NamedTuple):
    """A sum with the figures it adds, as far as the sum names them (the first few of a large one)."""
    total: Total
    figures: tuple[Figure, ...]

    @property
    def unnamed(self) -> int:
        """How many of the figures added are not named here."""
        return self.total.figures - len(self.figures)


class Period(NamedTuple):
    """A bar of the year chart: money given in one year, or over a span of years (2012–2020)."""
    year: int | None
    end_year: int | None
    value: float


class FactSheet(NamedTuple):
    view: ScopeView                      # the node and everything else the pane lists below
    filter: Filter
    totals: tuple[Named, ...]            # every sum the filter keeps, money first
    statuses: tuple[tuple[str | None, int], ...]   # projects by status, in STATUSES' order
    statuses_of_all_years: bool          # the filter's year asked of more than STATUS_LIMIT projects: all years'
    cadres: Figure | None                # the largest single report of cadres sent (reports overlap)
    poverty_rates: tuple[Figure, ...]    # the recipient's, by year
    exits: tuple[Figure, ...]            # people the recipient reports lifted out of poverty, by year
    money_by_sector: tuple[Total, ...]   # actual aid funds; the rows add up to the total
    money_by_year: tuple[Period, ...]    # actual aid funds by the period they were given in
    years: tuple[int, ...]               # the years with sums, for the filter to offer

    def money(self, basis: str) -> Named | None:
        return _aid_funds(self.totals, basis)


def _aid_funds(totals: tuple[Named, ...], basis: str) -> Named | None:
    """The sum of aid funds on one basis, when there is one."""
    return next((named for named in totals
                 if (named.total.measure, named.total.unit, named.total.basis) == (*MONEY, basis)), None)


def fact_sheet(atlas: Atlas, view: ScopeView, chosen: Filter = Filter()) -> FactSheet:
    """The fact sheet of a donor, recipient, pairing or sector node, under `chosen`."""
    scope = view.node.scope
    totals = [total for total in (atlas.year_totals(scope, chosen.year) if chosen.year is not None
                                  else view.detail.totals) if chosen.keeps(total)]
    totals.sort(key=lambda total: ((total.measure, total.unit) != MONEY, total.measure != MONEY[0],
                                   total.measure, total.unit, total.basis))
    named = tuple(Named(total, _named_figures(atlas, total)) for total in totals)
    params = atlas.scope_params(scope, year=chosen.year)
    statuses_of_all_years = chosen.year is not None and view.node.projects > STATUS_LIMIT
    if chosen.year is not None and not statuses_of_all_years:
        counts = dict(atlas.db.execute(_STATUSES, params).fetchall())
    else:
        counts = dict(atlas.db.execute(_UNFINISHED, params).fetchall())
        counts["completed"] = max(0, view.node.projects - sum(counts.values()))
    statuses = tuple((status, counts[status]) for status in STATUSES if counts.get(status))
    outcomes = view.detail.outcomes or (tuple(atlas.place_figures(scope.recipient.place_id))
                                        if scope.recipient is not None and scope.sector is None else ())
    if chosen.year is not None:
        outcomes = tuple(figure for figure in outcomes if _lies_in(figure, chosen.year))
    if chosen.year is None:
        by_sector = view.detail.money_by_sector
    elif scope.sector is None:
        by_sector = atlas.money_by_sector(scope, chosen.year)
    else:
        by_sector = ()
    actual = _aid_funds(named, "actual")
    return FactSheet(
        view, chosen, named, statuses, statuses_of_all_years,
        _cadres(atlas, params, view) if scope.sector is None and chosen.basis != "planned" else None,
        tuple(figure for figure in outcomes if (figure.measure, figure.unit) == POVERTY_RATE),
        tuple(figure for figure in outcomes if (figure.measure, figure.unit) == EXITS),
        by_sector if chosen.basis != "planned" else (),
        _periods(view, actual) if chosen.year is None and chosen.basis != "planned" else (),
        tuple(atlas.sum_years(scope)))


def _lies_in(figure: Figure, year: int) -> bool:
    return figure.year is not None and figure.year <= year <= (figure.end_year or figure.year)


def _named_figures(atlas: Atlas, total: Total) -> tuple[Figure, ...]:
    return tuple(sorted(atlas.figures_by_id(list(total.added)),
                        key=lambda figure: (figure.year or 0, figure.end_year or 0, figure.id)))


def _cadres(atlas: Atlas, params: dict[str, object], view: ScopeView) -> Figure | None:
    """The largest single report of cadres sent among the scope's pairings: reports overlap, so it
    is what can be said of them, a lower bound."""
    measure, unit = CADRES
    (largest,) = atlas.db.execute(_LARGEST, params | {"measure": measure, "unit": unit}).fetchone()
    if largest is None:
        return None
    own = next((figure for figure in view.detail.figures
                if (figure.measure, figure.unit, figure.value) == (measure, unit, largest)), None)
    if own is not None:
        return own
    row = atlas.db.execute(_LARGEST_FIGURE, params | {"measure": measure, "unit": unit, "value": largest}).fetchone()
    return atlas.figure_alone(row[0]) if row else None


def _periods(view: ScopeView, actual: Named | None) -> tuple[Period, ...]:
    """Actual aid funds by the period they were given in. When the sum names every figure it adds
    (and is not a sector's share of them), those figures by their year or span, so a span shows as
    one bar (2016–2017) and the bars add up to the total; otherwise the stored single-year sums."""
    if (actual is not None and actual.figures and not actual.unnamed and view.node.scope.sector is None):
        periods: dict[tuple[int | None, int | None], float] = {}
        for figure in actual.figures:
            span = (figure.year, figure.end_year if figure.end_year != figure.year else None)
            periods[span] = periods.get(span, 0.0) + figure.value
        return tuple(Period(start, end, value) for (start, end), value in
                     sorted(periods.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0, item[0][1] or 0)))
    return tuple(Period(total.year, None, total.value) for total in view.detail.money_by_year)

