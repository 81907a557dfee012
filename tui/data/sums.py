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

from .rollup import DONOR_PLACE, SAME_CELL, SAME_PAIRING

SAMPLE = 50     # figure ids a total lists of those it added, and of the parts it left out

_ROOTS = """
    SELECT r.id, r.donor_place_id, r.donor_org_id, r.recipient_place_id, r.recipient_org_id, n.donor, n.recipient
    FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL ORDER BY r.id"""
_IN_ROOTS = "pairing_id IN (SELECT value FROM json_each(:roots)) AND (:sector IS NULL OR sector = :sector)"
_IN_PLACES = "pairing_id IS NULL AND place_id IN (SELECT value FROM json_each(:places))"
_OF_MEASURE = "(:measure IS NULL OR (measure = :measure AND unit = :unit))"
# The rows of one grain (db/rollup.sql): 0 for sums by sector and year, 1 when the scopes differ
# in sector, else 2.
_CELL_SUMS = f"""
    SELECT pairing_id, place_id, CASE WHEN grain = 2 THEN '*' ELSE sector END, measure, unit, shown_sector, year,
           value, figures, largest, covered_1, covered_1_count, covered_2, covered_2_count,
           covered_3, covered_3_count, sample
    FROM rollup WHERE grain = :grain AND (({_IN_ROOTS}) OR ({_IN_PLACES})) AND {_OF_MEASURE}"""
# Parts whose total is elsewhere (reach NULL) can be left out only by looking at the scope; with
# :detailed every part is read, to name the parts a total left out.
_PARTS = f"""
    SELECT figure_id, pairing_id, place_id, sector, measure, unit, shown_sector, year, value, level, reach,
           ancestor_pairing_id, ancestor_place_id, ancestor_sector
    FROM rollup_part
    WHERE covers = 1 AND (reach IS NULL OR :detailed) AND (({_IN_ROOTS}) OR ({_IN_PLACES})) AND {_OF_MEASURE}"""
_PROJECTS = "SELECT pairing_id, sector, projects FROM rollup_cell WHERE pairing_id IN (SELECT value FROM json_each(?))"
ROOTS_WITH_SECTOR = "SELECT pairing_id FROM rollup_cell WHERE sector = ?"


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


@dataclass
class Sums:
    """One measure and unit summed over a scope, as it is being worked out."""
    value: float = 0.0
    count: int = 0
    largest: float | None = None
    by_sector: dict = field(default_factory=lambda: defaultdict(float))
    by_year: dict = field(default_factory=lambda: defaultdict(float))
    added: list[int] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)
    covered_count: int = 0

    def take(self, value: float, count: int, sector: str | None = None, year: int | None = None) -> None:
        self.value += value
        self.count += count
        self.by_sector[sector] += value
        self.by_year[year] += value

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

    def sums(self, scopes: list[Scope], measure: str | None = None, unit: str | None = None,
             detailed: bool = False) -> list[SumsByMeasure]:
        """Each scope's sums, from one reading of the cells all of them hold."""
        roots = [self.roots_of(scope) for scope in scopes]
        places = [self.places(scope, scope_roots) for scope, scope_roots in zip(scopes, roots)]
        sectors = {scope.sector for scope in scopes}
        params = {"roots": json.dumps(sorted({root.id for group in roots for root in group})),
                  "places": json.dumps(sorted({place for group in places for place in group})),
                  "sector": next(iter(sectors)) if len(sectors) == 1 else None,
                  "grain": 0 if detailed else 1 if sectors != {None} else 2,
                  "measure": measure, "unit": unit, "detailed": detailed}
        # Keyed by where they live and their sector ('*': all of them, at grain 2).
        cells: dict[tuple, list[tuple]] = defaultdict(list)
        for row in self.db.execute(_CELL_SUMS, params):
            cells[("pairing", row[0], row[2]) if row[0] is not None else ("place", row[1], row[2])].append(row)
        parts: dict[tuple, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
        for row in self.db.execute(_PARTS, params):
            parts[("pairing", row[1]) if row[1] is not None else ("place", row[2])][row[0]].append(row)
        return [self._sum_scope(scope, scope_roots, scope_places, cells, parts)
                for scope, scope_roots, scope_places in zip(scopes, roots, places)]

    def _sum_scope(self, scope: Scope, roots: list[Root], places: list[int], cells: dict, parts: dict) -> SumsByMeasure:
        scope_level = level(scope)
        root_ids = {root.id for root in roots}
        homes = [("pairing", root_id) for root_id in root_ids] + [("place", place) for place in places]
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
        for home in homes:
            for figure_id, rows in parts.get(home, {}).items():
                _, _, _, sector, measure, unit, shown, year, value, figure_level, *_ = rows[0]
                if scope.sector not in (None, sector):
                    continue
                group = sums[(measure, unit)]
                if figure_level is not None and figure_level <= scope_level:
                    group.covered.append(figure_id)
                elif any(reach is None and (ancestor_place in place_set if ancestor_pairing is None else
                                            ancestor_pairing in root_ids and scope.sector in (None, ancestor_sector))
                         for *_, reach, ancestor_pairing, ancestor_place, ancestor_sector in rows):
                    group.leave_out(figure_id, value, shown, year)
                else:
                    group.added.append(figure_id)
        return sums

    def projects(self, scopes: list[Scope]) -> list[int]:
        """How many projects each scope holds."""
        roots = [self.roots_of(scope) for scope in scopes]
        counts: dict[int, list[tuple[str, int]]] = defaultdict(list)
        wanted = sorted({root.id for group in roots for root in group})
        for pairing_id, sector, projects in self.db.execute(_PROJECTS, (json.dumps(wanted),)):
            counts[pairing_id].append((sector, projects))
        return [sum(projects for root in group for sector, projects in counts[root.id]
                    if scope.sector in (None, sector))
                for scope, group in zip(scopes, roots)]
