"""Reading the stored totals (db/rollup.sql, the rows of v_total) for one scope or a page of them.

A scope is one top-level pairing, a donor's pairings, a recipient's pairings, or every pairing;
a sector narrows it to that sector's row of the breakdown. The sums themselves are worked out in
one place, tui/data/rollup.py.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from functools import cached_property
from typing import Iterable, NamedTuple

from tui.data.rollup import Acc, Key, ScopeKey

_ROOTS = """
    SELECT r.id, r.donor_place_id, r.donor_org_id, r.recipient_place_id, r.recipient_org_id, n.donor, n.recipient,
           r.kind
    FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL ORDER BY r.id"""
_TOTAL_COLUMNS = "k.asked, measure, unit, basis, value, approx > 0, year_from, year_to, figures, beside, sample, t.sector, year"
# The stored scopes asked for, each a JSON array [asked, scope, pairing, donor place, donor org,
# recipient place, recipient org, sector]: a page of the tree is read in one query, not one per
# node. Materialised, so that each key's JSON is read once, not once for every row it is compared with.
_KEYS = """WITH k AS MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS asked, json_extract(value, '$[1]') AS scope,
           json_extract(value, '$[2]') AS pairing,
           json_extract(value, '$[3]') AS donor_place, json_extract(value, '$[4]') AS donor_org,
           json_extract(value, '$[5]') AS recipient_place, json_extract(value, '$[6]') AS recipient_org,
           json_extract(value, '$[7]') AS sector
    FROM json_each(:keys))"""
_SCOPE = """k JOIN total t ON t.scope = k.scope AND t.pairing_id IS k.pairing AND t.donor_place_id IS k.donor_place
    AND t.donor_org_id IS k.donor_org AND t.recipient_place_id IS k.recipient_place AND t.recipient_org_id IS k.recipient_org"""
# Naming both bases lets the index seek on to the sector and year rather than scan every row of a kind.
_OF_KIND = "measure = :measure AND unit = :unit AND basis IN ('actual', 'planned')"
# The rows of one sector (NULL: all sectors) and one year (NULL: all years), of every kind or of one.
_TOTALS = f"{_KEYS} SELECT {_TOTAL_COLUMNS} FROM {_SCOPE} WHERE t.sector IS k.sector AND year IS :year"
_TOTALS_OF_KIND = f"{_KEYS} SELECT {_TOTAL_COLUMNS} FROM {_SCOPE} WHERE {_OF_KIND} AND t.sector IS k.sector AND year IS :year"
_BY_SECTOR = f"""{_KEYS} SELECT {_TOTAL_COLUMNS} FROM {_SCOPE}
    WHERE {_OF_KIND} AND t.sector IS NOT NULL AND year IS :year"""
_BY_YEAR = f"""{_KEYS} SELECT {_TOTAL_COLUMNS} FROM {_SCOPE}
    WHERE {_OF_KIND} AND t.sector IS k.sector AND year IS NOT NULL"""
_YEARS = f"{_KEYS} SELECT DISTINCT year FROM {_SCOPE} WHERE t.sector IS k.sector AND year IS NOT NULL"
# Projects per cell, or per pairing when no scope names a sector. Two queries: grouping by a column
# chosen in the query sorted every cell of a start's 933 pairings anew (3.2 ms; 1.9 without).
_PROJECTS_BY_CELL = "SELECT pairing_id, sector, projects FROM rollup_cell WHERE pairing_id IN (SELECT value FROM json_each(?))"
_PROJECTS_BY_PAIRING = """SELECT pairing_id, '*', sum(projects) FROM rollup_cell
    WHERE pairing_id IN (SELECT value FROM json_each(?)) GROUP BY pairing_id"""
ROOTS_WITH_SECTOR = "SELECT pairing_id FROM rollup_cell WHERE sector = ?"


class Party(NamedTuple):
    """A donor or recipient: a place, or an organisation attached to one. A start makes two for
    each of the 933 top-level pairings at national scale, and every scope of the tree hashes them."""
    place_id: int
    org_id: int | None = None


class Scope(NamedTuple):
    donor: Party | None = None
    recipient: Party | None = None
    sector: str | None = None
    project: int | None = None
    pairing: int | None = None      # one top-level pairing of this donor and recipient


class Root(NamedTuple):
    """A top-level pairing, with its parties' names as the tree shows them."""
    id: int
    donor: Party
    recipient: Party
    donor_name: str
    recipient_name: str
    kind: str


class Total(NamedTuple):
    """One sum (a row of v_total): figures of one measure and unit on one basis that cannot
    overlap, added; `beside` what may overlap them, not added."""
    measure: str
    unit: str
    basis: str                      # 'actual' | 'planned'
    value: float
    approximate: bool               # some figure added is approximate
    year_from: int | None
    year_to: int | None
    figures: int                    # how many figures were added
    beside: float
    added: tuple[int, ...] = ()     # the first few of them
    sector: str | None = None       # None: all sectors
    year: int | None = None         # None: all years

    @classmethod
    def of_row(cls, row: tuple) -> "Total":
        *head, sample, sector, year = row
        return cls(*head[:4], bool(head[4]), *head[5:], tuple(map(int, sample.split())), sector, year)


def totals_of(sums: dict[Key, Acc], sector: str | None = None) -> list[Total]:
    """The all-years totals of one sector (None: all) of sums worked out directly (rollup.sum_figures)."""
    return sorted((Total(measure, unit, basis, acc.value, acc.approx > 0, acc.year_from, acc.year_to, acc.figures,
                         acc.beside, tuple(sorted(acc.sample)), key_sector, year)
                   for (key_sector, year, measure, unit, basis), acc in sums.items()
                   if key_sector == sector and year is None),
                  key=lambda total: (total.measure, total.unit, total.basis))


class Rollups:
    """The totals of one connection, and the pairings that scopes are made of."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.roots = [Root(row[0], Party(row[1], row[2]), Party(row[3], row[4]), *row[5:])
                      for row in db.execute(_ROOTS)]
        self._by_party: dict[tuple[str, Party], list[Root]] = defaultdict(list)
        for root in self.roots:
            self._by_party[("donor", root.donor)].append(root)
            self._by_party[("recipient", root.recipient)].append(root)

    @cached_property
    def _members(self) -> dict[int, list[int]]:
        """Every pairing under each top-level one, itself included: read when a sector or a
        project is first asked of, not for the root's donors that a start shows."""
        members: dict[int, list[int]] = defaultdict(list)
        for pairing_id, root_id in self.db.execute("SELECT id, coalesce(parent_id, id) FROM pairing"):
            members[root_id].append(pairing_id)
        return members

    def roots_of(self, scope: Scope) -> list[Root]:
        if scope.donor is not None:
            candidates = self._by_party.get(("donor", scope.donor), [])
        elif scope.recipient is not None:
            candidates = self._by_party.get(("recipient", scope.recipient), [])
        else:
            candidates = self.roots
        return [root for root in candidates if (scope.recipient is None or root.recipient == scope.recipient)
                and (scope.pairing is None or root.id == scope.pairing)]

    def members(self, roots: Iterable[Root]) -> list[int]:
        """Every pairing under these top-level ones, themselves included."""
        return [member for root in roots for member in self._members[root.id]]

    def places(self, scope: Scope, roots: Iterable[Root]) -> list[int]:
        """The donor places whose own figures (a budget for all its pairings) the scope lists: a
        donor's, or every donor's."""
        return sorted({root.donor.place_id for root in roots}) if scope.recipient is None and scope.sector is None else []

    def keys(self, scope: Scope) -> list[ScopeKey]:
        """The stored scopes whose sums make up `scope`'s: a donor and a recipient with two top-level
        pairings have each pairing's own."""
        if scope.recipient is not None and scope.donor is not None or scope.pairing is not None:
            return [("pairing", root.id, root.donor.place_id, root.donor.org_id, root.recipient.place_id,
                     root.recipient.org_id) for root in self.roots_of(scope)]
        if scope.donor is not None:
            return [("donor", None, scope.donor.place_id, scope.donor.org_id, None, None)]
        if scope.recipient is not None:
            return [("recipient", None, None, None, scope.recipient.place_id, scope.recipient.org_id)]
        return [("all", None, None, None, None, None)]

    def totals(self, scope: Scope, kind: tuple[str, str] | None = None, year: int | None = None) -> list[Total]:
        """The scope's totals (of its sector, or of all sectors) of all years or of figures lying in
        one, of one kind or every kind."""
        return self.page_totals([scope], kind, year)[0]

    def page_totals(self, scopes: list[Scope], kind: tuple[str, str] | None = None,
                    year: int | None = None) -> list[list[Total]]:
        """`totals` of each of a page of scopes, in one query."""
        return self._read(_TOTALS if kind is None else _TOTALS_OF_KIND, scopes, kind, year=year)

    def by_sector(self, scope: Scope, kind: tuple[str, str], year: int | None = None) -> list[Total]:
        """The sector breakdown of one kind (of all years or one): its rows add up to the all-sector total."""
        return self._read(_BY_SECTOR, [scope], kind, year=year)[0]

    def years(self, scope: Scope) -> list[int]:
        """The years the scope has sums of figures lying in them."""
        return sorted({year for (year,) in self.db.execute(_YEARS, {"keys": self._keys_json([scope])})})

    def by_year(self, scope: Scope, kind: tuple[str, str]) -> list[Total]:
        """Each year's totals of one kind: only figures lying in that year."""
        return self._read(_BY_YEAR, [scope], kind)[0]

    def _keys_json(self, scopes: list[Scope], keys: list[list[ScopeKey]] | None = None) -> str:
        """The stored scopes making up each scope, as _KEYS reads them."""
        keys = keys or [self.keys(scope) for scope in scopes]
        return json.dumps([[asked, *key, scope.sector] for asked, (scope, group) in enumerate(zip(scopes, keys))
                           for key in group])

    def _read(self, sql: str, scopes: list[Scope], kind: tuple[str, str] | None,
              year: int | None = None) -> list[list[Total]]:
        keys = [self.keys(scope) for scope in scopes]
        rows: list[list[Total]] = [[] for _ in scopes]
        for asked, *row in self.db.execute(sql, {"keys": self._keys_json(scopes, keys), "year": year,
                                                 "measure": kind[0] if kind else None,
                                                 "unit": kind[1] if kind else None}):
            rows[asked].append(Total.of_row(row))
        return [sorted(_added_together(found) if len(group) > 1 else found,
                       key=lambda total: (total.measure, total.unit, total.basis, total.sector or "", total.year or 0))
                for found, group in zip(rows, keys)]

    def projects(self, scopes: list[Scope]) -> list[int]:
        """How many projects each scope holds."""
        roots = [self.roots_of(scope) for scope in scopes]
        wanted = sorted({root.id for group in roots for root in group})
        by_sector = any(scope.sector is not None for scope in scopes)
        counts: dict[tuple[int, str], int] = {}
        totals: dict[int, int] = defaultdict(int)
        for pairing_id, sector, projects in self.db.execute(_PROJECTS_BY_CELL if by_sector else _PROJECTS_BY_PAIRING,
                                                            (json.dumps(wanted),)):
            counts[(pairing_id, sector)] = projects
            totals[pairing_id] += projects
        return [sum(counts.get((root.id, scope.sector), 0) if scope.sector else totals[root.id] for root in group)
                for scope, group in zip(scopes, roots)]


def _added_together(rows: list[Total]) -> list[Total]:
    """Several top-level pairings' own totals of the same kind added (the tree shows each pairing
    on its own; a part in one of a total in the other would be added twice here)."""
    groups: dict[tuple, list[Total]] = defaultdict(list)
    for row in rows:
        groups[(row.measure, row.unit, row.basis, row.sector, row.year)].append(row)
    merged = []
    for (measure, unit, basis, sector, year), group in groups.items():
        froms = [row.year_from for row in group if row.year_from is not None]
        tos = [row.year_to for row in group if row.year_to is not None]
        merged.append(Total(measure, unit, basis, sum(row.value for row in group), any(row.approximate for row in group),
                            min(froms, default=None), max(tos, default=None), sum(row.figures for row in group),
                            sum(row.beside for row in group), tuple(sorted(i for row in group for i in row.added)),
                            sector, year))
    return merged
