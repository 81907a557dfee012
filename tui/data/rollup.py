"""The sums every total shows (v_total), and keeping their stored tables (db/rollup.sql) in step.

The rule, in one place (`sum_figures`): a sum adds figures of one additive measure, one unit and
one basis (a plan is never money given); a figure is left out when a figure it is part of, at any
remove, is in the same sum (a cumulative snapshot is part of the later one), and a figure not
counted in sums is shown beside, never inside. A year's sum holds only figures lying in that
year: a span of years is in no year's sum. By sector, each figure added or left out as a part
keeps its own value less its parts', so the sectors add up exactly to the total.

Triggers queue every changed home in `rollup_stale`, whichever program changed it; `refresh`
recomputes the queued homes and every scope that holds one. A file Duikou may not write gets the
same tables in its connection's temporary schema instead (derived.compute_rollups_in_memory).
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple

# Units never added, whatever the measure says: rates, shares, durations, and "items" of unlike things.
NOT_SUMMED = ("CNY/month", "CNY/year", "CNY/person", "CNY/person/month", "CNY/person/year", "percent", "year", "item")
OVERALL = "overall"       # where money given to no named sector is counted
SAMPLE = 20               # ids a sum keeps of the figures it added
_CHAIN_LIMIT = 64         # a longer chain of part_of_id is a cycle
_BATCH = 32               # homes recomputed at a time: a national database's fit in memory in turn

Home = tuple[str, int]    # ('pairing', top-level pairing) or ('place', place)
Key = tuple               # (sector | None, year | None, measure, unit, basis)
# (scope, pairing, donor place, donor org, recipient place, recipient org)
ScopeKey = tuple[str, int | None, int | None, int | None, int | None, int | None]


class Fig(NamedTuple):
    """A figure as a sum sees it."""
    id: int
    home: Home | None
    sector: str
    year: int | None
    end_year: int | None
    measure: str
    unit: str
    basis: str
    counts: bool
    value: float
    approx: bool
    part_of: int | None

    def lies_in(self, year: int) -> bool:
        return self.year == year and self.end_year in (None, year)


@dataclass(slots=True)
class Acc:
    """One sum as it is being added up."""
    value: float = 0.0
    figures: int = 0
    beside: float = 0.0
    approx: int = 0
    year_from: int | None = None
    year_to: int | None = None
    sample: list[int] = field(default_factory=list)

    def count(self, figure: Fig) -> None:
        self.figures += 1
        if len(self.sample) < SAMPLE:
            self.sample.append(figure.id)
        self.approx += figure.approx
        self._years(figure.year, figure.end_year if figure.end_year is not None else figure.year)

    def merge(self, value: float, figures: int, beside: float, approx: int, year_from, year_to, sample: str) -> None:
        self.sample += [int(figure_id) for figure_id in sample.split()][:SAMPLE - len(self.sample)]
        self.value += value
        self.figures += figures
        self.beside += beside
        self.approx += approx
        self._years(year_from, year_to)

    def _years(self, low: int | None, high: int | None) -> None:
        if low is not None:
            self.year_from = low if self.year_from is None else min(self.year_from, low)
        if high is not None:
            self.year_to = high if self.year_to is None else max(self.year_to, high)

    def row(self) -> tuple:
        return (self.value, self.figures, self.beside, self.approx, self.year_from, self.year_to,
                " ".join(map(str, sorted(self.sample))))


Parent = Callable[[int], "int | None"]


def sum_figures(figures: Iterable[Fig], parent: Parent) -> dict[Key, Acc]:
    """Every sum of these figures: per (measure, unit, basis), all sectors (None) and each, all
    years (None) and each year some figure lies in. `parent` gives any figure's part_of_id."""
    kinds: dict[tuple[str, str, str], list[Fig]] = defaultdict(list)
    for figure in figures:
        kinds[(figure.measure, figure.unit, figure.basis)].append(figure)
    chains: dict[int, list[int]] = {}
    sums: dict[Key, Acc] = defaultdict(Acc)
    for (measure, unit, basis), group in kinds.items():
        for figure in group:
            chains.setdefault(figure.id, _chain(figure, parent))
        years = sorted({figure.year for figure in group if figure.year is not None and figure.lies_in(figure.year)})
        for year in (None, *years):
            chosen = group if year is None else [figure for figure in group if figure.lies_in(year)]
            _sum_one(chosen, chains, lambda sector: sums[(sector, year, measure, unit, basis)])
    return {key: acc for key, acc in sums.items() if acc.figures or acc.beside}


def _sum_one(figures: list[Fig], chains: dict[int, list[int]], row: Callable[[str | None], Acc]) -> None:
    counted = {figure.id: figure for figure in figures if figure.counts}
    shown_beside = {figure.id for figure in figures if not figure.counts}
    for figure in figures:
        chain = chains[figure.id]
        if not figure.counts:
            if not any(ancestor in counted or ancestor in shown_beside for ancestor in chain):
                for sector in (None, figure.sector):
                    row(sector).beside += figure.value
            continue
        total = next((counted[ancestor] for ancestor in chain if ancestor in counted), None)
        if total is None:
            row(None).value += figure.value
            row(None).count(figure)
        else:
            row(total.sector).value -= figure.value    # the total keeps only what its parts leave
        row(figure.sector).value += figure.value
        if total is None or total.sector != figure.sector:
            row(figure.sector).count(figure)


def _chain(figure: Fig, parent: Parent) -> list[int]:
    """The figures `figure` is part of, nearest first. A cycle of part_of_id (a part of b, b part
    of a, which `duikou check` reports) is cut at its lowest id, whose part_of_id is ignored: every
    figure of it is then summed once, as if that one were the total."""
    chain: list[int] = []
    above = figure.part_of
    while above is not None and len(chain) < _CHAIN_LIMIT:
        if above == figure.id or above in chain:
            start = chain.index(above) if above in chain else -1
            cycle = [figure.id] + chain if start < 0 else chain[start:]
            lowest = min(cycle)
            return [] if lowest == figure.id else chain[:chain.index(lowest) + 1]
        chain.append(above)
        above = parent(above)
    return chain


# -- reading figures --------------------------------------------------------------------------

# A figure as a sum sees it, its sector given by `sector`; `ok` says whether it may be summed at all.
def _columns(sector: str) -> str:
    return f"""f.id, {sector}, f.year, f.end_year, f.measure, f.unit,
    coalesce(f.basis, CASE WHEN f.qualifier = 'planned' THEN 'planned' ELSE 'actual' END), f.counts_in_sums,
    f.value, coalesce(f.qualifier IN ('approx', 'range'), 0), f.part_of_id,
    m.additive = 1 AND f.unit NOT IN (SELECT value FROM json_each(:not_summed))"""


# Three selects, each reading through its own index (CROSS JOIN keeps SQLite to the order written;
# the unary + keeps it off the index of project_id, whose NULLs are every figure on no project).
_BATCH_FIGURES = f"""
WITH members AS (SELECT id, coalesce(parent_id, id) AS root FROM pairing
                 WHERE coalesce(parent_id, id) IN (SELECT value FROM json_each(:pairings)))
SELECT 'pairing', mb.root, {_columns("coalesce(f.sector, p.sector, 'overall')")}
FROM members mb CROSS JOIN project p ON p.pairing_id = mb.id CROSS JOIN figure f ON f.project_id = p.id
LEFT JOIN measure m ON m.code = f.measure
UNION ALL
SELECT 'pairing', mb.root, {_columns("coalesce(f.sector, 'overall')")}
FROM members mb CROSS JOIN figure f ON f.pairing_id = mb.id LEFT JOIN measure m ON m.code = f.measure
UNION ALL
SELECT 'place', f.place_id, {_columns("coalesce(f.sector, 'overall')")}
FROM figure f LEFT JOIN measure m ON m.code = f.measure
WHERE f.place_id IN (SELECT value FROM json_each(:places)) AND +f.pairing_id IS NULL AND +f.project_id IS NULL"""
# A page of projects' figures, their sub-projects' included, each under the project asked for
# (in the place of a home: the figures are summed per project).
_PAGE_PROJECT_FIGURES = f"""
WITH asked AS MATERIALIZED (SELECT value AS project FROM json_each(:projects)),
members AS (SELECT project, project AS id FROM asked
            UNION ALL SELECT a.project, p.id FROM asked a JOIN project p ON p.parent_id = a.project)
SELECT 'project', mb.project, {_columns("coalesce(f.sector, p.sector, 'overall')")}
FROM members mb CROSS JOIN project p ON p.id = mb.id CROSS JOIN figure f ON f.project_id = p.id
LEFT JOIN measure m ON m.code = f.measure"""
# The home is asked for by id inside the subquery: a view joined from outside is built whole first,
# every figure of the file for each figure looked up.
_ONE_FIGURE = """SELECT f.part_of_id, h.kind, h.ref
    FROM figure f LEFT JOIN (SELECT kind, ref FROM figure_home WHERE id = ?1) h WHERE f.id = ?1"""
# From the pairings to their projects (CROSS JOIN keeps that order): left to itself, the planner
# read every project to find the few of these pairings, a quarter of a second at a million projects.
_CELLS = """
WITH members AS (SELECT id, coalesce(parent_id, id) AS root FROM pairing
                 WHERE coalesce(parent_id, id) IN (SELECT value FROM json_each(:pairings)))
SELECT m.root, p.sector, count(*) FROM members m CROSS JOIN project p ON p.pairing_id = m.id GROUP BY 1, 2"""


class Figures:
    """Figures read for sums, and the part_of_id and home of any figure, looked up once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._above: dict[int, tuple[int | None, Home | None]] = {}

    def read(self, sql: str, params: dict) -> tuple[list[Fig], dict[Home, int], dict[tuple, float]]:
        """The summable figures a query gives, how many figures of any kind each home holds, and
        the largest single figure of each (home, measure, unit)."""
        summable: list[Fig] = []
        held: dict[Home, int] = defaultdict(int)
        largest: dict[tuple, float] = {}
        for kind, ref, *row, ok in self.db.execute(sql, params | {"not_summed": json.dumps(NOT_SUMMED)}):
            home = (kind, ref) if kind is not None else None
            figure = Fig(row[0], home, *row[1:7], bool(row[7]), row[8], bool(row[9]), row[10])
            self._above[figure.id] = (figure.part_of, home)
            held[home] += 1
            which = (home, figure.measure, figure.unit)
            largest[which] = max(largest.get(which, figure.value), figure.value)
            if ok:
                summable.append(figure)
        return summable, held, largest

    def parent(self, figure_id: int) -> int | None:
        return self._look_up(figure_id)[0]

    def home(self, figure_id: int) -> Home | None:
        return self._look_up(figure_id)[1]

    def _look_up(self, figure_id: int) -> tuple[int | None, Home | None]:
        if figure_id not in self._above:
            row = self.db.execute(_ONE_FIGURE, (figure_id,)).fetchone()
            # a part_of_id naming no figure ends the chain: `duikou check` reports it
            self._above[figure_id] = (None, None) if row is None else (row[0], (row[1], row[2]) if row[1] else None)
        return self._above[figure_id]


def project_sums(db: sqlite3.Connection, project_id: int) -> dict[Key, Acc]:
    """A project's and its sub-projects' sums, from their few figures directly."""
    return page_project_sums(db, [project_id])[project_id]


def page_project_sums(db: sqlite3.Connection, project_ids: list[int],
                      kind: tuple[str, str] | None = None, year: int | None = None) -> dict[int, dict[Key, Acc]]:
    """`project_sums` of each of a page of projects, of one (measure, unit) or all, their figures
    read in one query; with a `year`, of the figures lying in that year alone (a year's sums, as
    the stored ones of a scope are)."""
    figures = Figures(db)
    summable, _, _ = figures.read(_PAGE_PROJECT_FIGURES, {"projects": json.dumps(project_ids)})
    by_project: dict[int, list[Fig]] = defaultdict(list)
    for figure in summable:
        if (kind is None or (figure.measure, figure.unit) == kind) and (year is None or figure.lies_in(year)):
            by_project[figure.home[1]].append(figure)
    return {project: sum_figures(by_project[project], figures.parent) for project in project_ids}


# -- keeping the stored tables ----------------------------------------------------------------

def is_stale(db: sqlite3.Connection) -> bool:
    """Whether any home waits to be recomputed, or the tables are missing (a file built before them)."""
    try:
        return db.execute("SELECT EXISTS (SELECT 1 FROM rollup_stale) OR EXISTS (SELECT 1 FROM rollup_figure_was) "
                          "OR EXISTS (SELECT 1 FROM rollup_project_was)").fetchone()[0] == 1 or \
            db.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('total', 'total_home')").fetchone()[0] < 2
    except sqlite3.OperationalError:
        return True


def queue_everything(db: sqlite3.Connection) -> None:
    db.execute("""INSERT OR IGNORE INTO rollup_stale
                  SELECT 'pairing', id FROM pairing WHERE parent_id IS NULL
                  UNION ALL SELECT 'place', place_id FROM figure
                  WHERE place_id IS NOT NULL AND pairing_id IS NULL AND project_id IS NULL""")


_ROOTS = """SELECT r.id, r.donor_place_id, r.donor_org_id, r.recipient_place_id, r.recipient_org_id, n.donor, n.recipient
            FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL"""
_FORGET_HOMES = (
    "DELETE FROM total_home WHERE kind = :kind AND ref IN (SELECT value FROM json_each(:refs))",
    "DELETE FROM total_link WHERE kind = :kind AND ref IN (SELECT value FROM json_each(:refs))",
    "DELETE FROM rollup_home WHERE kind = :kind AND ref IN (SELECT value FROM json_each(:refs))",
    "DELETE FROM rollup_largest WHERE kind = :kind AND ref IN (SELECT value FROM json_each(:refs))",
)
SCOPE_WHERE = """scope = ? AND pairing_id IS ? AND donor_place_id IS ? AND donor_org_id IS ?
                  AND recipient_place_id IS ? AND recipient_org_id IS ?"""
_HOME_SUMS = """
SELECT sector, year, measure, unit, basis, sum(value), sum(figures), sum(beside), sum(approx), min(year_from), max(year_to),
       group_concat(nullif(sample, ''), ' ')
FROM total_home
WHERE (kind = 'pairing' AND ref IN (SELECT value FROM json_each(:pairings)))
   OR (kind = 'place' AND ref IN (SELECT value FROM json_each(:places)))
GROUP BY sector, year, measure, unit, basis"""


def refresh(db: sqlite3.Connection) -> int:
    """Bring the sums up to date with every change queued since; run inside the caller's
    transaction. A figure standing alone (no part_of_id, no parts) changes its sums by the
    difference; any other change recomputes its home and every scope holding it. Returns how
    many figures, projects and homes were queued."""
    differences = Differences.read(db)
    # A home with a part whose total lies in a changed home may be summed differently now.
    db.execute("""INSERT OR IGNORE INTO rollup_stale
                  SELECT l.kind, l.ref FROM total_link l JOIN rollup_stale s
                  ON s.kind = l.ancestor_kind AND s.ref = l.ancestor_ref""")
    queued = db.execute("SELECT kind, ref FROM rollup_stale ORDER BY kind, ref").fetchall()
    if not queued and not differences:
        return 0
    parties = Parties(db)
    todo: set[Home] = {(kind, ref) for kind, ref in queued if kind in ("pairing", "place")}
    _rename(db, parties, [(kind, ref) for kind, ref in queued if kind not in ("pairing", "place")])
    todo |= differences.apply_to_homes(db, todo)
    scopes = parties.scopes_holding(sorted(todo)) if todo else set()
    figures = Figures(db)
    homes = sorted(todo)
    for start in range(0, len(homes), _BATCH):
        _recompute_homes(db, figures, homes[start:start + _BATCH])
    scopes |= differences.apply_to_scopes(db, parties, todo, scopes)
    joined = home_links(db) if scopes else []
    for scope in sorted(scopes, key=str):
        _recompute_scope(db, figures, parties, scope, joined)
    for queue in ("rollup_stale", "rollup_figure_was", "rollup_project_was"):
        db.execute(f"DELETE FROM {queue}")   # a constant, never data
    return len(queued) + differences.count


def _rename(db: sqlite3.Connection, parties: "Parties", renamed: list[tuple[str, int]]) -> None:
    """Set anew the names the totals show for the scopes of renamed places and organisations."""
    places = {ref for kind, ref in renamed if kind == "place name"}
    organisations = {ref for kind, ref in renamed if kind == "organisation name"}
    scopes: set[ScopeKey] = set()
    for root in parties.roots.values():
        donor, recipient = (root[1], root[2]), (root[3], root[4])
        if donor[0] in places or donor[1] in organisations or recipient[0] in places or recipient[1] in organisations:
            scopes |= {("pairing", root[0], *donor, *recipient), ("donor", None, *donor, None, None),
                       ("recipient", None, None, None, *recipient)}
    for scope in scopes:
        db.execute(f"UPDATE total SET donor = ?, recipient = ? WHERE {SCOPE_WHERE}", (*parties.names(scope), *scope))


class HomeSums(NamedTuple):
    """What the stored tables hold for some homes, worked out from their figures."""
    rows: list[tuple]              # total_home's rows
    links: set[tuple]              # total_link's
    held: dict[Home, int]          # rollup_home's
    largest: dict[tuple, float]    # rollup_largest's, by (home, measure, unit)
    cells: dict[tuple, int]        # rollup_cell's, by (top-level pairing, sector)


def sum_homes(db: sqlite3.Connection, figures: Figures, homes: list[Home]) -> HomeSums:
    """The sums of these homes from scratch (what `duikou check` compares the stored ones with)."""
    pairings = [ref for kind, ref in homes if kind == "pairing"]
    places = [ref for kind, ref in homes if kind == "place"]
    summable, held, largest = figures.read(_BATCH_FIGURES, {"pairings": json.dumps(pairings),
                                                           "places": json.dumps(places)})
    by_home: dict[Home, list[Fig]] = defaultdict(list)
    for figure in summable:
        by_home[figure.home].append(figure)
    rows, links = [], set()
    for home, group in by_home.items():
        rows += [(*home, *key, *acc.row()) for key, acc in sum_figures(group, figures.parent).items()]
        for figure in group:
            links.update((*home, *above) for above in map(figures.home, _chain(figure, figures.parent))
                         if above is not None and above != home)
    cells = {(figure.home[1], figure.sector): 0 for figure in summable if figure.home[0] == "pairing"}
    cells.update(((root, sector), count) for root, sector, count in db.execute(_CELLS, {"pairings": json.dumps(pairings)}))
    return HomeSums(rows, links, dict(held), largest, cells)


def _recompute_homes(db: sqlite3.Connection, figures: Figures, homes: list[Home]) -> None:
    pairings = [ref for kind, ref in homes if kind == "pairing"]
    places = [ref for kind, ref in homes if kind == "place"]
    for kind, refs in (("pairing", pairings), ("place", places)):
        for statement in _FORGET_HOMES:
            db.execute(statement, {"kind": kind, "refs": json.dumps(refs)})
    db.execute("DELETE FROM rollup_cell WHERE pairing_id IN (SELECT value FROM json_each(?))", (json.dumps(pairings),))
    sums = sum_homes(db, figures, homes)
    db.executemany("INSERT INTO total_home VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sums.rows)
    db.executemany("INSERT OR IGNORE INTO total_link VALUES (?, ?, ?, ?)", sorted(sums.links))
    db.executemany("INSERT INTO rollup_home VALUES (?, ?, ?)", [(*home, count) for home, count in sums.held.items()])
    db.executemany("INSERT INTO rollup_largest VALUES (?, ?, ?, ?, ?)",
                   [(*home, measure, unit, value) for (home, measure, unit), value in sums.largest.items()])
    db.executemany("INSERT INTO rollup_cell VALUES (?, ?, ?)", [(*cell, count) for cell, count in sums.cells.items()])


def _recompute_scope(db: sqlite3.Connection, figures: Figures, parties: "Parties", scope: ScopeKey,
                     links: list[tuple]) -> None:
    db.execute(f"DELETE FROM total WHERE {SCOPE_WHERE}", scope)
    db.executemany("INSERT INTO total VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   scope_rows(db, figures, parties, scope, links))


def home_links(db: sqlite3.Connection) -> list[tuple]:
    """(kind, ref, ancestor kind, ancestor ref) of each home with a part whose total lies in another."""
    return db.execute("SELECT kind, ref, ancestor_kind, ancestor_ref FROM total_link").fetchall()


def scope_rows(db: sqlite3.Connection, figures: Figures, parties: "Parties", scope: ScopeKey,
               links: list[tuple]) -> list[tuple]:
    """A scope's rows of `total`, from its homes' stored sums (what `duikou check` compares the stored rows with)."""
    homes = set(parties.homes(scope))
    if not homes:
        return []
    # Homes a part_of link joins within this scope are summed together; the others as they are.
    joined = {home for kind, ref, ancestor_kind, ancestor_ref in links
              if (kind, ref) in homes and (ancestor_kind, ancestor_ref) in homes
              for home in ((kind, ref), (ancestor_kind, ancestor_ref))}
    alone = homes - joined
    sums: dict[Key, Acc] = defaultdict(Acc)
    for *key, value, count, beside, approx, low, high, sample in db.execute(_HOME_SUMS, {
            "pairings": json.dumps([ref for kind, ref in alone if kind == "pairing"]),
            "places": json.dumps([ref for kind, ref in alone if kind == "place"])}):
        sums[tuple(key)].merge(value, count, beside, approx, low, high, sample or "")
    if joined:
        summable, _, _ = figures.read(_BATCH_FIGURES, {
            "pairings": json.dumps([ref for kind, ref in joined if kind == "pairing"]),
            "places": json.dumps([ref for kind, ref in joined if kind == "place"])})
        for key, acc in sum_figures(summable, figures.parent).items():
            sums[key].merge(*acc.row())
    donor, recipient = parties.names(scope)
    return [(*scope, donor, recipient, *key, *acc.row()) for key, acc in sums.items()]


class Parties:
    """Which homes each scope holds, which scopes hold a home, and the names a scope shows."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.roots = {row[0]: row for row in db.execute(_ROOTS)}
        self.by_side: dict[tuple, list[tuple]] = defaultdict(list)
        for root in self.roots.values():
            self.by_side[("donor", *root[1:3])].append(root)
            self.by_side[("recipient", *root[3:5])].append(root)

    def scopes_holding(self, homes: list[Home]) -> set[ScopeKey]:
        scopes: set[ScopeKey] = {("all", None, None, None, None, None)}
        for kind, ref in homes:
            if kind == "pairing":
                recorded = self.db.execute(
                    "SELECT DISTINCT donor_place_id, donor_org_id, recipient_place_id, recipient_org_id FROM total "
                    "WHERE scope = 'pairing' AND pairing_id = ?", (ref,)).fetchall()
                root = self.roots.get(ref)
                for parties in recorded + ([root[1:5]] if root else []):
                    scopes |= {("pairing", ref, *parties), ("donor", None, *parties[:2], None, None),
                               ("recipient", None, None, None, *parties[2:])}
            else:
                scopes |= {("donor", None, *side[1:], None, None) for side in self.by_side
                           if side[0] == "donor" and side[1] == ref}
        return scopes

    def scopes_of(self, home: Home) -> list[ScopeKey]:
        """The scopes whose sums hold a home's, as the parties stand."""
        kind, ref = home
        every = ("all", None, None, None, None, None)
        if kind == "pairing":
            root = self.roots.get(ref)
            if root is None:
                return []
            return [("pairing", ref, *root[1:5]), ("donor", None, *root[1:3], None, None),
                    ("recipient", None, None, None, *root[3:5]), every]
        donors = [("donor", None, *side[1:], None, None) for side in self.by_side if side[0] == "donor" and side[1] == ref]
        return donors + [every] if donors else []

    def homes(self, scope: ScopeKey) -> list[Home]:
        kind, pairing, donor_place, donor_org, recipient_place, recipient_org = scope
        if kind == "pairing":
            return [("pairing", pairing)] if pairing in self.roots else []
        if kind == "all":
            return [("pairing", root) for root in self.roots] + \
                [("place", place) for place in {root[1] for root in self.roots.values()}]
        if kind == "donor":
            roots = self.by_side.get(("donor", donor_place, donor_org), [])
            # a donor's own figures (its budget for all its pairings) are in its sums
            return [("pairing", root[0]) for root in roots] + ([("place", donor_place)] if roots else [])
        return [("pairing", root[0]) for root in self.by_side.get(("recipient", recipient_place, recipient_org), [])]

    def names(self, scope: ScopeKey) -> tuple[str | None, str | None]:
        kind, pairing, donor_place, donor_org, recipient_place, recipient_org = scope
        if kind == "pairing" and pairing in self.roots:
            return self.roots[pairing][5], self.roots[pairing][6]
        if kind == "donor" and (roots := self.by_side.get(("donor", donor_place, donor_org))):
            return roots[0][5], None
        if kind == "recipient" and (roots := self.by_side.get(("recipient", recipient_place, recipient_org))):
            return None, roots[0][6]
        return None, None


# -- changes by the difference ----------------------------------------------------------------

# More changed figures and projects than this, all at once (a build, a big load), are summed afresh:
# cheaper than working out each difference, and they need not be held in memory.
_MANY = 20_000
_FIGURE_STATE = ("kind", "ref", "sector", "year", "end_year", "measure", "unit", "basis", "counts", "value", "approx",
                 "part_of")
_FIGURES_WERE = f"SELECT id, existed, {', '.join(_FIGURE_STATE)} FROM rollup_figure_was"
# CROSS JOIN: the queue drives the lookups. Left to itself the planner may read every project
# through the view to find the few queued (65 ms for none at all, at a million projects).
_FIGURES_ARE = f"""SELECT s.id, {', '.join('s.' + column for column in _FIGURE_STATE)}
                   FROM rollup_figure_was w CROSS JOIN figure_summed s ON s.id = w.id"""
# Changed figures that others are part of: their sums depend on those parts.
# (looked up changed figure by changed figure, through the index of part_of_id, never a whole scan)
_TOTALS_CHANGED = "SELECT w.id FROM rollup_figure_was w WHERE EXISTS (SELECT 1 FROM figure f WHERE f.part_of_id = w.id)"
_PROJECTS_WERE = "SELECT id, existed, pairing_id, sector FROM rollup_project_was"
_PROJECTS_ARE = "SELECT s.id, s.pairing_id, s.sector FROM rollup_project_was w CROSS JOIN project_summed s ON s.id = w.id"
_EVERY_HOME_CHANGED = """
INSERT OR IGNORE INTO rollup_stale
SELECT kind, ref FROM rollup_figure_was WHERE kind IS NOT NULL
UNION SELECT s.kind, s.ref FROM rollup_figure_was w JOIN figure_summed s ON s.id = w.id WHERE s.kind IS NOT NULL
UNION SELECT 'pairing', pairing_id FROM rollup_project_was WHERE pairing_id IS NOT NULL
UNION SELECT 'pairing', s.pairing_id FROM rollup_project_was w JOIN project_summed s ON s.id = w.id
WHERE s.pairing_id IS NOT NULL"""
_SUM_COLUMNS = "value, figures, beside, approx, year_from, year_to, sample"
# The stored sums that changes by the difference touch, all read at once: each asked key's row,
# found through the index that ends in the key (a home holds some seventy rows at a million projects).
_STORED_HOME_ROWS = f"""
WITH asked AS MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS kind, json_extract(value, '$[1]') AS ref,
           json_extract(value, '$[2]') AS sector, json_extract(value, '$[3]') AS year,
           json_extract(value, '$[4]') AS measure, json_extract(value, '$[5]') AS unit,
           json_extract(value, '$[6]') AS basis
    FROM json_each(?))
SELECT h.rowid, h.kind, h.ref, h.sector, h.year, h.measure, h.unit, h.basis, {_SUM_COLUMNS}
FROM asked a CROSS JOIN total_home h
WHERE h.kind = a.kind AND h.ref = a.ref AND h.measure = a.measure AND h.unit = a.unit AND h.basis = a.basis
  AND h.sector IS a.sector AND h.year IS a.year"""
_STORED_SCOPE_ROWS = f"""
WITH asked AS MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS scope, json_extract(value, '$[1]') AS pairing,
           json_extract(value, '$[2]') AS donor_place, json_extract(value, '$[3]') AS donor_org,
           json_extract(value, '$[4]') AS recipient_place, json_extract(value, '$[5]') AS recipient_org,
           json_extract(value, '$[6]') AS sector, json_extract(value, '$[7]') AS year,
           json_extract(value, '$[8]') AS measure, json_extract(value, '$[9]') AS unit,
           json_extract(value, '$[10]') AS basis
    FROM json_each(?))
SELECT t.rowid, t.scope, t.pairing_id, t.donor_place_id, t.donor_org_id, t.recipient_place_id, t.recipient_org_id,
       t.sector, t.year, t.measure, t.unit, t.basis, {_SUM_COLUMNS}
FROM asked a CROSS JOIN total t
WHERE t.scope = a.scope AND t.pairing_id IS a.pairing AND t.donor_place_id IS a.donor_place
  AND t.donor_org_id IS a.donor_org AND t.recipient_place_id IS a.recipient_place
  AND t.recipient_org_id IS a.recipient_org AND t.measure = a.measure AND t.unit = a.unit AND t.basis = a.basis
  AND t.sector IS a.sector AND t.year IS a.year"""
_CELLS_OF = """SELECT pairing_id, sector, projects FROM rollup_cell
               WHERE pairing_id IN (SELECT value FROM json_each(?))"""


def _stored(db: sqlite3.Connection, sql: str, keys: list[tuple], width: int) -> dict[tuple, tuple]:
    """The stored rows `sql` finds for `keys`, by key: (rowid, the sum's columns)."""
    return {tuple(row[1:1 + width]): (row[0], row[1 + width:])
            for row in db.execute(sql, (json.dumps(keys),))}


@dataclass(slots=True)
class Difference:
    """What changed in one sum: the figures added and taken out, with the years they span."""
    value: float = 0.0
    figures: int = 0
    beside: float = 0.0
    approx: int = 0
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    came_from: int | None = None        # the first year of the figures added, and their last
    came_to: int | None = None
    left_from: set[int] = field(default_factory=set)     # the first years of the figures taken out, and their last
    left_to: set[int] = field(default_factory=set)

    def came(self, figure_id: int, first: int | None, last: int | None) -> None:
        self.added.append(figure_id)
        self.came_from = _picked(min, self.came_from, first)
        self.came_to = _picked(max, self.came_to, last)

    def left(self, figure_id: int, first: int | None, last: int | None) -> None:
        self.removed.append(figure_id)
        if first is not None:
            self.left_from.add(first)
        if last is not None:
            self.left_to.add(last)

    def merge(self, other: "Difference") -> None:
        self.value += other.value
        self.figures += other.figures
        self.beside += other.beside
        self.approx += other.approx
        self.added += other.added
        self.removed += other.removed
        self.came_from = _picked(min, self.came_from, other.came_from)
        self.came_to = _picked(max, self.came_to, other.came_to)
        self.left_from |= other.left_from
        self.left_to |= other.left_to

    def applied(self, row: tuple | None) -> tuple | None | bool:
        """The stored sum `row` (value, figures, beside, approx, year_from, year_to, sample; None: no
        such row yet) with this difference made: None when nothing is left of it, False when the
        difference cannot say (a figure at the edge of its years left, and none came to take its place)."""
        value, figures, beside, approx, year_from, year_to, sample = row or (0.0, 0, 0.0, 0, None, None, "")
        figures += self.figures
        beside = _settled(beside + self.beside, beside, self.beside)
        if figures == 0:
            return None if beside == 0 else (0.0, 0, beside, 0, None, None, "")
        low = _edge(year_from, self.came_from, self.left_from, min)
        high = _edge(year_to, self.came_to, self.left_to, max)
        if low is False or high is False:
            return False
        return (value + self.value, figures, beside, approx + self.approx, low, high, self._sample(sample))

    def _sample(self, sample: str) -> str:
        if not self.removed and (not self.added or sample.count(" ") + 1 >= SAMPLE):
            return sample   # full already, and nothing left it: most changes to a large sum
        kept = [int(figure_id) for figure_id in sample.split()]
        if self.removed:
            gone = set(self.removed).difference(self.added)
            kept = [figure_id for figure_id in kept if figure_id not in gone]
        held = set(kept)
        kept += [figure_id for figure_id in self.added if figure_id not in held][:max(0, SAMPLE - len(kept))]
        return " ".join(map(str, sorted(kept)))


def _settled(total: float, before: float, change: float) -> float:
    """A sum after a change, with what adding and taking out the same values leaves of rounding cleared."""
    return 0.0 if abs(total) <= 1e-9 * max(abs(before), abs(change), 1.0) else total


def _picked(pick: Callable, year: int | None, other: int | None) -> int | None:
    return other if year is None else year if other is None else pick(year, other)


def _edge(edge: int | None, came: int | None, left: set[int], pick: Callable) -> int | bool | None:
    """The first (pick=min) or last (max) year of a sum after figures came (`came`: the first or
    last of their years) and left (`left`: theirs); False: unknown."""
    if edge is not None and edge in left and (came is None or pick(came, edge) != came):
        return False    # the figure at the edge left: only a recount can say what the edge is now
    return _picked(pick, edge, came)


State = tuple   # a figure as figure_summed gives it, after its id


class Differences:
    """The figures and projects changed since the sums were last brought up to date."""

    def __init__(self, figures: list[tuple[int, State | None, State | None]],
                 projects: list[tuple[int, tuple | None, tuple | None]], additive: set[str], count: int) -> None:
        self.figures = figures          # (id, as it was, as it is): None where it did not exist
        self.projects = projects        # (id, (pairing, sector) as it was, as it is)
        self.additive = additive
        self.count = count
        self._homes: dict[Home, dict[Key, Difference]] = {}     # each home's sums' differences
        # Each difference's stored row (its rowid, None: no row yet) and that row as it is to be.
        self._applied: dict[Home, dict[Key, tuple[int | None, tuple | None | bool]]] = {}

    def __bool__(self) -> bool:
        return self.count > 0

    @classmethod
    def read(cls, db: sqlite3.Connection) -> "Differences":
        """The queued changes; those that cannot change sums by the difference (a figure that is a
        part or a total; very many at once) queue their homes in rollup_stale instead."""
        try:
            count = db.execute("SELECT (SELECT count(*) FROM rollup_figure_was) + "
                               "(SELECT count(*) FROM rollup_project_was)").fetchone()[0]
        except sqlite3.OperationalError:    # a file built before the tables: upgrade queues everything
            return cls([], [], set(), 0)
        if count > _MANY:
            db.execute(_EVERY_HOME_CHANGED)
            return cls([], [], set(), count)
        were = {row[0]: (row[2:] if row[1] else None) for row in db.execute(_FIGURES_WERE)}
        are = {row[0]: row[1:] for row in db.execute(_FIGURES_ARE)}
        totals = {figure_id for (figure_id,) in db.execute(_TOTALS_CHANGED)}
        figures, whole = [], set()
        for figure_id, was in were.items():
            now = are.get(figure_id)
            if figure_id in totals or any(state is not None and state[11] is not None for state in (was, now)):
                whole |= {(state[0], state[1]) for state in (was, now) if state is not None and state[0] is not None}
            else:
                figures.append((figure_id, was, now))
        projects_were = {row[0]: (row[2:] if row[1] else None) for row in db.execute(_PROJECTS_WERE)}
        projects_are = {row[0]: row[1:] for row in db.execute(_PROJECTS_ARE)}
        projects = [(project_id, was, projects_are.get(project_id)) for project_id, was in projects_were.items()]
        db.executemany("INSERT OR IGNORE INTO rollup_stale VALUES (?, ?)", sorted(whole))
        additive = {code for (code,) in db.execute("SELECT code FROM measure WHERE additive = 1")}
        return cls(figures, projects, additive, count)

    def _summable(self, state: State) -> bool:
        return state[5] in self.additive and state[6] not in NOT_SUMMED

    def apply_to_homes(self, db: sqlite3.Connection, whole: set[Home]) -> set[Home]:
        """Change every home not in `whole` by the difference; returns the homes that cannot be
        (they are to be recomputed)."""
        held: dict[Home, int] = defaultdict(int)
        largest: dict[tuple, list[float | None]] = defaultdict(lambda: [None, None])   # (came, left)
        cells: dict[tuple[int, str], int] = defaultdict(int)
        emptied: set[tuple[int, str]] = set()      # cells a summable figure left
        for figure_id, was, now in self.figures:
            for state, sign in ((was, -1), (now, 1)):
                if state is None or state[0] is None or (state[0], state[1]) in whole:
                    continue
                home = (state[0], state[1])
                held[home] += sign
                came_left = largest[(home, state[5], state[6])]
                slot = 0 if sign > 0 else 1
                came_left[slot] = state[9] if came_left[slot] is None else max(came_left[slot], state[9])
                if self._summable(state):
                    self._add(home, figure_id, state, sign)
                    if home[0] == "pairing":
                        if sign > 0:
                            cells[(home[1], state[2])] += 0
                        else:
                            emptied.add((home[1], state[2]))
        for _, was, now in self.projects:
            for state, sign in ((was, -1), (now, 1)):
                if state is not None and state[0] is not None and ("pairing", state[0]) not in whole:
                    cells[(state[0], state[1])] += sign
        recount = self._inexact_homes(db, held, largest, cells, emptied)
        for home in recount:
            self._homes.pop(home, None)
        self._write_homes(db, recount, held, largest, cells)
        return recount

    def _add(self, home: Home, figure_id: int, state: State, sign: int) -> None:
        _, _, sector, year, end_year, measure, unit, basis, counts, value, approx, _ = state
        years = (None, year) if year is not None and end_year in (None, year) else (None,)
        last = end_year if end_year is not None else year
        sums = self._homes.setdefault(home, {})
        for in_sector in (None, sector):
            for in_year in years:
                difference = sums.setdefault((in_sector, in_year, measure, unit, basis), Difference())
                if counts:
                    difference.value += sign * value
                    difference.figures += sign
                    difference.approx += sign * approx
                    (difference.came if sign > 0 else difference.left)(figure_id, year, last)
                else:
                    difference.beside += sign * value

    def _inexact_homes(self, db: sqlite3.Connection, held, largest, cells, emptied) -> set[Home]:
        recount: set[Home] = set()
        stored = _stored(db, _STORED_HOME_ROWS, [(*home, *key) for home, sums in self._homes.items() for key in sums], 7)
        for home, sums in self._homes.items():
            applied = self._applied[home] = {}
            for key, difference in sums.items():
                rowid, row = stored.get((*home, *key), (None, None))
                applied[key] = (rowid, difference.applied(row))
            if any(row is False for _, row in applied.values()):
                recount.add(home)
        for (home, measure, unit), (came, left) in largest.items():
            if left is not None and (came is None or came < left):
                now = db.execute("SELECT value FROM rollup_largest WHERE kind = ? AND ref = ? AND measure = ? "
                                 "AND unit = ?", (*home, measure, unit)).fetchone()
                if now is None or left >= now[0]:
                    recount.add(home)     # the largest may have left
        held_cells = {(pairing, sector): projects for pairing, sector, projects in
                      db.execute(_CELLS_OF, (json.dumps(sorted({pairing for pairing, _ in {*cells, *emptied}})),))}
        for cell in {*cells, *emptied}:
            left = held_cells.get(cell, 0) + cells.get(cell, 0)
            if left < 0 or (left == 0 and (cells.get(cell, 0) < 0 or cell in emptied)):
                recount.add(("pairing", cell[0]))   # whether the cell still holds anything takes a recount
        for cell in held_cells.keys() & cells.keys():
            if cells[cell] == 0:
                del cells[cell]     # held already, and as many projects as before
        return recount

    def _write_homes(self, db: sqlite3.Connection, recount: set[Home], held, largest, cells) -> None:
        writes = _Writes("total_home")
        for home, applied in self._applied.items():
            if home not in recount:
                for key, (rowid, row) in applied.items():
                    writes.add(rowid, row, (*home, *key))
        writes.run(db)
        changed = [(*home, change) for home, change in held.items() if home not in recount and change]
        db.executemany("INSERT INTO rollup_home VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET figures = figures + "
                       "excluded.figures", changed)
        db.executemany("DELETE FROM rollup_home WHERE kind = ? AND ref = ? AND figures <= 0",
                       [(kind, ref) for kind, ref, _ in changed])
        db.executemany("INSERT INTO rollup_largest VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT DO UPDATE SET value = max(value, excluded.value)",
                       [(*home, measure, unit, came) for (home, measure, unit), (came, _) in largest.items()
                        if home not in recount and came is not None])
        db.executemany("INSERT INTO rollup_cell VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET projects = projects + "
                       "excluded.projects", [(pairing, sector, change) for (pairing, sector), change in cells.items()
                                             if ("pairing", pairing) not in recount])

    def apply_to_scopes(self, db: sqlite3.Connection, parties: "Parties", whole: set[Home],
                        recomputed: set[ScopeKey]) -> set[ScopeKey]:
        """Change every scope holding a home changed by the difference (and not `recomputed`) by the
        same difference; returns the scopes that cannot be (they are to be recomputed)."""
        by_scope: dict[ScopeKey, dict[Key, Difference]] = defaultdict(dict)
        for home, sums in self._homes.items():
            if home in whole:
                continue
            for scope in parties.scopes_of(home):
                if scope in recomputed:
                    continue
                for key, difference in sums.items():
                    by_scope[scope].setdefault(key, Difference()).merge(difference)
        stored = _stored(db, _STORED_SCOPE_ROWS, [(*scope, *key) for scope, sums in by_scope.items() for key in sums], 11)
        recount: set[ScopeKey] = set()
        writes = _Writes("total")
        for scope, sums in by_scope.items():
            planned = []
            for key, difference in sums.items():
                rowid, row = stored.get((*scope, *key), (None, None))
                applied = difference.applied(row)
                if applied is False:
                    recount.add(scope)
                    break
                planned.append((rowid, applied, (*scope, *parties.names(scope), *key)))
            else:
                for write in planned:
                    writes.add(*write)
        writes.run(db)
        return recount


class _Writes:
    """Sums changed by the difference, stored together: updated, added, or gone when nothing is
    left of them. `table` is total_home or total, never data."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.gone: list[tuple[int]] = []
        self.updated: list[tuple] = []
        self.added: list[tuple] = []

    def add(self, rowid: int | None, applied: tuple | None, columns: tuple) -> None:
        if rowid is not None and applied is None:
            self.gone.append((rowid,))
        elif rowid is not None:
            self.updated.append((*applied, rowid))
        elif applied is not None:
            self.added.append((*columns, *applied))

    def run(self, db: sqlite3.Connection) -> None:
        db.executemany(f"DELETE FROM {self.table} WHERE rowid = ?", self.gone)
        db.executemany(f"UPDATE {self.table} SET value = ?, figures = ?, beside = ?, approx = ?, year_from = ?, "
                       f"year_to = ?, sample = ? WHERE rowid = ?", self.updated)
        if self.added:
            db.executemany(f"INSERT INTO {self.table} VALUES ({', '.join('?' * len(self.added[0]))})", self.added)
