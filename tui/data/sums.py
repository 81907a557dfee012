"""Reading the stored roll-ups (db/rollup.sql) for one scope or a whole page of them at once.

A scope holds cells: the top-level pairings its donor and recipient name, in its sector, and, when
it names neither a recipient nor a sector, its donors' own places. A cell's stored sum already
leaves out the parts whose total the scope is sure to hold (the scope's level); parts whose total
lies in another pairing or place are left out here, when the scope holds that total too.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from tui.data.rollup import DONOR_PLACE, NOWHERE_SURE, SAME_CELL, SAME_PAIRING

SAMPLE = 20     # figure ids a total lists of those it added, and of the parts it left out

_ROOTS = """
    SELECT r.id, r.donor_place_id, r.donor_org_id, r.recipient_place_id, r.recipient_org_id, n.donor, n.recipient
    FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL ORDER BY r.id"""
_IN_ROOTS = "pairing_id IN (SELECT value FROM json_each(:roots)) AND (:sector IS NULL OR sector = :sector)"
_IN_PLACES = "pairing_id IS NULL AND place_id IN (SELECT value FROM json_each(:places))"
_OF_MEASURE = """(:measures IS NULL OR (measure IN (SELECT value FROM json_each(:measures))
                                       AND unit IN (SELECT value FROM json_each(:units))))"""
# The rows of one grain (db/rollup.sql): 0 for sums by sector and year, 1 when the scopes differ
# in sector, else 2; for scopes naming no party, grain 3 instead of every pairing's rows.
_CELL_COLUMNS = """pairing_id, place_id, CASE WHEN grain = 2 THEN '*' ELSE sector END, measure, unit, shown_sector,
    year, value, figures, largest, covered_1, covered_1_count, covered_2, covered_2_count,
    covered_3, covered_3_count, sample"""
# Three plain selects rather than one with OR, so that each reads its rows through an index.
_CELL_SUMS = f"""
    SELECT {_CELL_COLUMNS} FROM rollup WHERE grain = :grain AND {_IN_ROOTS} AND {_OF_MEASURE}
    UNION ALL
    SELECT {_CELL_COLUMNS} FROM rollup WHERE grain = :grain AND {_IN_PLACES} AND {_OF_MEASURE}
    UNION ALL
    SELECT {_CELL_COLUMNS} FROM rollup
    WHERE :everywhere AND grain = 3 AND (:sector IS NULL OR sector = :sector) AND {_OF_MEASURE}"""
# Parts whose total is elsewhere (reach NULL) can be left out only by looking at the scope.
_CROSS_PARTS = f"""
    SELECT figure_id, pairing_id, place_id, sector, measure, unit, shown_sector, year, value, level,
           ancestor_pairing_id, ancestor_place_id, ancestor_sector
    FROM rollup_part
    WHERE covers = 1 AND reach IS NULL AND (({_IN_ROOTS}) OR ({_IN_PLACES})) AND {_OF_MEASURE}"""
# A few parts of one measure covered from a level in a range: those the scope's level leaves out,
# or those it adds, to name them.
_SAMPLE_PARTS = f"""
    SELECT DISTINCT figure_id FROM rollup_part
    WHERE covers = 1 AND measure = :measure AND unit = :unit AND level BETWEEN :lowest AND :highest
      AND (({_IN_ROOTS}) OR ({_IN_PLACES}))
    LIMIT :limit"""
# Projects per cell, or per pairing (sector '*') when no scope names a sector.
_PROJECTS = """
    SELECT pairing_id, CASE WHEN :by_sector THEN sector ELSE '*' END AS cell_sector, sum(projects)
    FROM rollup_cell WHERE pairing_id IN (SELECT value FROM json_each(:roots)) GROUP BY pairing_id, cell_sector"""
ROOTS_WITH_SECTOR = "SELECT pairing_id FROM rollup_cell WHERE sector = ?"
_EVERY = ("every pairing", None)     # where grain 3's rows live


@dataclass(frozen=True)
class Party:
    """A donor or recipient: a place, or an organisation attached to one."""
    place_id: int
    org_id: int | None = None


@dataclass(frozen=True)
class Scope:
    donor: Party | None = None
    recipient: Party | None = None
    sector: str | None = None
    project: int | None = None


@dataclass(frozen=True)
class Root:
    """A top-level pairing, with its parties' names as the tree shows them."""
    id: int
    donor: Party
    recipient: Party
    donor_name: str
    recipient_name: str


@dataclass(frozen=True)
class Total:
    """A roll-up: which figures it added, and which parts it left out because their total was
    added (the first SAMPLE of each, and how many in all)."""
    measure: str
    unit: str
    value: float
    added: tuple[int, ...]
    covered: tuple[int, ...]
    added_count: int
    covered_count: int


@dataclass(slots=True)
class Sums:
    """One measure and unit summed over a scope, as it is being worked out."""
    value: float = 0.0
    count: int = 0
    largest: float | None = None
    by_sector: dict[str, float] = field(default_factory=dict)     # filled from grain 0 only
    by_year: dict[int, float] = field(default_factory=dict)
    added: list[int] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)
    covered_count: int = 0

    def take(self, value: float, count: int, sector: str | None = None, year: int | None = None) -> None:
        self.value += value
        self.count += count
        if sector is not None:
            self.by_sector[sector] = self.by_sector.get(sector, 0.0) + value
        if year is not None:
            self.by_year[year] = self.by_year.get(year, 0.0) + value

    def leave_out(self, figure_id: int, value: float, sector: str | None, year: int | None) -> None:
        self.take(-value, -1, sector, year)
        self.covered.append(figure_id)
        self.covered_count += 1

    def see(self, largest: float) -> None:
        self.largest = largest if self.largest is None else max(self.largest, largest)

    def total(self, measure: str, unit: str) -> Total:
        return Total(measure, unit, self.value, tuple(sorted(self.added)[:SAMPLE]),
                     tuple(sorted(self.covered)[:SAMPLE]), self.count, self.covered_count)


SumsByMeasure = dict[tuple[str, str], Sums]
Kinds = Iterable[tuple[str, str]] | None     # (measure, unit) pairs; None: every one


def measure_params(kinds: Kinds) -> dict[str, str | None]:
    """The :measures and :units a query binds to read only these kinds (a few more, never fewer)."""
    if kinds is None:
        return {"measures": None, "units": None}
    kinds = list(kinds)
    return {"measures": json.dumps([measure for measure, _ in kinds]), "units": json.dumps([unit for _, unit in kinds])}


def level(scope: Scope) -> int:
    """From which level up the scope holds a part's total for sure (db/rollup.sql)."""
    return SAME_CELL if scope.sector else SAME_PAIRING if scope.recipient else DONOR_PLACE


class Rollups:
    """The roll-up tables of one connection, and the pairings that scopes are made of."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.roots = [Root(row[0], Party(row[1], row[2]), Party(row[3], row[4]), row[5], row[6])
                      for row in db.execute(_ROOTS)]
        self._by_party: dict[tuple[str, Party], list[Root]] = defaultdict(list)
        for root in self.roots:
            self._by_party[("donor", root.donor)].append(root)
            self._by_party[("recipient", root.recipient)].append(root)
        self._sector_codes = [code for (code,) in db.execute("SELECT code FROM sector")]
        self._members: dict[int, list[int]] = defaultdict(list)
        for pairing_id, root_id in db.execute("SELECT id, coalesce(parent_id, id) FROM pairing"):
            self._members[root_id].append(pairing_id)

    def roots_of(self, scope: Scope) -> list[Root]:
        if scope.donor is not None:
            candidates = self._by_party.get(("donor", scope.donor), [])
        elif scope.recipient is not None:
            candidates = self._by_party.get(("recipient", scope.recipient), [])
        else:
            candidates = self.roots
        return [root for root in candidates if scope.recipient is None or root.recipient == scope.recipient]

    def members(self, roots: Iterable[Root]) -> list[int]:
        """Every pairing under these top-level ones, themselves included."""
        return [member for root in roots for member in self._members[root.id]]

    def places(self, scope: Scope, roots: Iterable[Root]) -> list[int]:
        """The donor places whose own figures the scope holds."""
        return sorted({root.donor.place_id for root in roots}) if level(scope) == DONOR_PLACE else []

    def sums(self, scopes: list[Scope], kinds: Kinds = None, detailed: bool = False) -> list[SumsByMeasure]:
        """Each scope's sums, of the given (measure, unit) kinds or of all, from one reading of the
        cells all of them hold."""
        roots = [self.roots_of(scope) for scope in scopes]
        places = [self.places(scope, scope_roots) for scope, scope_roots in zip(scopes, roots)]
        sectors = {scope.sector for scope in scopes}
        everywhere = all(scope.donor is None and scope.recipient is None for scope in scopes)
        params = {"roots": json.dumps(sorted({root.id for group in roots for root in group})),
                  "places": json.dumps(sorted({place for group in places for place in group})),
                  "sector": next(iter(sectors)) if len(sectors) == 1 else None,
                  "grain": 0 if detailed else 1 if sectors != {None} else 2, "everywhere": everywhere,
                  **measure_params(kinds)}
        # Keyed by where they live and their sector ('*': all of them, at grain 2).
        cells: dict[tuple, list[tuple]] = defaultdict(list)
        for row in self.db.execute(_CELL_SUMS, params | {"roots": "[]"} if everywhere else params):
            home = ("pairing", row[0]) if row[0] is not None else ("place", row[1]) if row[1] is not None else _EVERY
            cells[(*home, row[2])].append(row)
        parts: dict[tuple, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
        for row in self.db.execute(_CROSS_PARTS, params):
            parts[("pairing", row[1]) if row[1] is not None else ("place", row[2])][row[0]].append(row)
        found = [self._sum_scope(scope, scope_roots, scope_places, cells, parts, everywhere)
                 for scope, scope_roots, scope_places in zip(scopes, roots, places)]
        if detailed:
            for scope, sums in zip(scopes, found):
                self._name_parts(scope, params, sums)
        return found

    def _name_parts(self, scope: Scope, params: dict, sums: SumsByMeasure) -> None:
        """Add to each total the first parts it left out, and the parts it added when the figures
        no total covers are too few to fill its list."""
        scope_level = level(scope)
        for (measure, unit), group in sums.items():
            known = set(group.covered)
            for names, levels, wanted in ((group.covered, (SAME_CELL, scope_level), group.covered_count),
                                          (group.added, (scope_level + 1, NOWHERE_SURE), group.count)):
                if wanted > len(names):
                    rows = self.db.execute(_SAMPLE_PARTS, params | {
                        "measure": measure, "unit": unit, "lowest": levels[0], "highest": levels[1],
                        "limit": SAMPLE + len(known)})
                    names += [figure_id for (figure_id,) in rows if figure_id not in known][:SAMPLE]

    def _sum_scope(self, scope: Scope, roots: list[Root], places: list[int], cells: dict, parts: dict,
                   everywhere: bool) -> SumsByMeasure:
        scope_level = level(scope)
        root_ids = {root.id for root in roots}
        own_homes = [("pairing", root_id) for root_id in root_ids] + [("place", place) for place in places]
        homes = [_EVERY, *own_homes[len(root_ids):]] if everywhere else own_homes
        sectors = ["*", scope.sector] if scope.sector else ["*", None, *self._sector_codes]
        sums: SumsByMeasure = defaultdict(Sums)
        for kind, ref in homes:
            for (_, _, _, measure, unit, shown, year, value, figures, largest, *covered, sample) in (
                    row for sector in sectors for row in cells.get((kind, ref, sector), ())):
                group = sums[(measure, unit)]
                left_out, left_out_count = covered[2 * scope_level - 2], covered[2 * scope_level - 1]
                group.take(value - left_out, figures - left_out_count, shown, year)
                group.covered_count += left_out_count
                group.see(largest)
                if sample and len(group.added) < SAMPLE:
                    group.added += map(int, sample.split())
        place_set = set(places)
        for home in own_homes:
            for figure_id, rows in parts.get(home, {}).items():
                _, _, _, sector, measure, unit, shown, year, value, figure_level, *_ = rows[0]
                if scope.sector not in (None, sector) or figure_level <= scope_level:
                    continue
                if any(ancestor_place in place_set if ancestor_pairing is None else
                       ancestor_pairing in root_ids and scope.sector in (None, ancestor_sector)
                       for *_, ancestor_pairing, ancestor_place, ancestor_sector in rows):
                    sums[(measure, unit)].leave_out(figure_id, value, shown, year)
        return sums

    def projects(self, scopes: list[Scope]) -> list[int]:
        """How many projects each scope holds."""
        roots = [self.roots_of(scope) for scope in scopes]
        wanted = sorted({root.id for group in roots for root in group})
        by_sector = any(scope.sector is not None for scope in scopes)
        counts: dict[tuple[int, str], int] = {}
        totals: dict[int, int] = defaultdict(int)
        for pairing_id, sector, projects in self.db.execute(_PROJECTS, {"roots": json.dumps(wanted),
                                                                        "by_sector": by_sector}):
            counts[(pairing_id, sector)] = projects
            totals[pairing_id] += projects
        return [sum(counts.get((root.id, scope.sector), 0) if scope.sector else totals[root.id] for root in group)
                for scope, group in zip(scopes, roots)]
