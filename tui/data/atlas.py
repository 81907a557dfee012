"""The read-only data layer: the tree, the detail of any node, and roll-ups.

The tree is donor → recipient → sector → project (or another order, for the pivot). Every node
stands for a Scope, the filters of its path; children, details and roll-ups are all asked of a
Scope. Roll-ups add a figure only when no figure it is part of is in the same sum, so a total
is never added to its own parts (design §3).
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace

from .rollup import DONOR_PLACE, SAME_CELL, SAME_PAIRING

ORDERS: dict[str, tuple[str, ...]] = {
    "donor": ("donor", "recipient", "sector", "project"),
    "recipient": ("recipient", "donor", "sector", "project"),
    "sector": ("sector", "donor", "project"),
}
MONEY = ("aid_funds", "CNY")
PAGE = 200
SAMPLE = 50     # figure ids a total lists of those it added, and of the parts it left out


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
class Node:
    level: str                  # 'donor' | 'recipient' | 'sector' | 'project'
    scope: Scope
    label: str
    money: float | None         # aid funds rolled up without double counting
    projects: int
    has_children: bool


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    publisher: str | None
    author: str | None
    published: str | None


@dataclass(frozen=True)
class Quote:
    text: str
    document: Document


@dataclass(frozen=True)
class Figure:
    id: int
    name: str
    measure: str
    value: float
    unit: str
    qualifier: str | None
    wording: str | None
    year: int | None
    end_year: int | None
    sector: str | None
    project_id: int | None
    part_of_id: int | None
    quotes: tuple[Quote, ...]


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


@dataclass(frozen=True)
class PairingRow:
    id: int
    donor: str
    recipient: str
    kind: str
    start_year: int | None
    end_year: int | None
    money: float | None
    cadres_sent: float | None           # at least this many: the largest single report, as reports overlap
    projects: int
    poverty_exit: float | None


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    kind: str
    sector: str
    sector_name: str
    dac5: int
    donor: str
    recipient: str
    place: tuple[str, ...]              # the hierarchy, country first
    implementer: str | None
    year: int | None
    end_year: int | None
    status: str | None
    description: str | None
    amount: float | None
    quotes: tuple[Quote, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class ScopeDetail:
    scope: Scope
    totals: tuple[Total, ...]
    figures: tuple[Figure, ...]          # figures not attached to a project
    money_by_sector: dict[str, float] = field(default_factory=dict)
    money_by_year: dict[int, float] = field(default_factory=dict)
    pairings: tuple[PairingRow, ...] = ()
    place_path: tuple[str, ...] = ()     # for a recipient: where it sits
    outcomes: tuple[Figure, ...] = ()    # for a recipient: its own situation over time


@dataclass(frozen=True)
class Counts:
    pairings: int
    projects: int
    figures: int
    documents: int


_ROOTS = """
    SELECT r.id, r.donor_place_id, r.donor_org_id, r.recipient_place_id, r.recipient_org_id, n.donor, n.recipient
    FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.parent_id IS NULL ORDER BY r.id"""
_IN_ROOTS = "pairing_id IN (SELECT value FROM json_each(:roots)) AND (:sector IS NULL OR sector = :sector)"
_IN_PLACES = "pairing_id IS NULL AND place_id IN (SELECT value FROM json_each(:places))"
_OF_MEASURE = "(:measure IS NULL OR (measure = :measure AND unit = :unit))"
_ROLLUP_COLUMNS = """measure, unit, shown_sector, year, value, figures, largest,
    CASE :level WHEN 1 THEN covered_1 WHEN 2 THEN covered_2 ELSE covered_3 END,
    CASE :level WHEN 1 THEN covered_1_count WHEN 2 THEN covered_2_count ELSE covered_3_count END, sample"""
_ROLLUP_ROWS = f"""
    SELECT {_ROLLUP_COLUMNS} FROM rollup WHERE {_IN_ROOTS} AND {_OF_MEASURE}
    UNION ALL SELECT {_ROLLUP_COLUMNS} FROM rollup WHERE {_IN_PLACES} AND {_OF_MEASURE}"""
_PART_COLUMNS = """figure_id, measure, unit, shown_sector, year, value, level, reach,
    ancestor_pairing_id, ancestor_place_id, ancestor_sector"""
_ROLLUP_PARTS = f"""
    SELECT {_PART_COLUMNS} FROM rollup_part WHERE covers = 1 AND {_IN_ROOTS} AND {_OF_MEASURE}
    UNION ALL SELECT {_PART_COLUMNS} FROM rollup_part WHERE covers = 1 AND {_IN_PLACES} AND {_OF_MEASURE}"""
_ROLLUP_PROJECTS = f"SELECT coalesce(sum(projects), 0) FROM rollup_cell WHERE {_IN_ROOTS}"
_ROOTS_WITH_SECTOR = "SELECT pairing_id FROM rollup_cell WHERE sector = ?"
_SECTOR_CHILDREN = f"""
    SELECT s.code, s.name_zh FROM sector s
    WHERE s.code IN (SELECT sector FROM rollup_cell WHERE {_IN_ROOTS})
    ORDER BY s.rowid LIMIT :limit OFFSET :offset"""
_PROJECT_CHILDREN = """
    SELECT p.id, p.name FROM project p
    WHERE p.pairing_id IN (SELECT value FROM json_each(:members)) AND p.sector = :sector
      AND (p.parent_id IS NULL OR NOT EXISTS (
               SELECT 1 FROM project q WHERE q.id = p.parent_id AND q.sector = :sector
                                          AND q.pairing_id IN (SELECT value FROM json_each(:members))))
    ORDER BY p.name, p.id LIMIT :limit OFFSET :offset"""
_OWN_FIGURES = """
    SELECT id, name, measure, value, unit, qualifier, wording, year, end_year, sector, project_id,
           part_of_id, document, evidence
    FROM figure
    WHERE (pairing_id IN (SELECT value FROM json_each(:members)) AND (:sector IS NULL OR sector = :sector))
       OR (pairing_id IS NULL AND project_id IS NULL AND place_id IN (SELECT value FROM json_each(:places)))
    ORDER BY measure, year, id"""
_PROJECT_FIGURES = """
    SELECT f.id, f.measure, f.unit, f.value, f.part_of_id, coalesce(f.sector, p.sector), f.year
    FROM figure f JOIN project p ON p.id = f.project_id JOIN measure m ON m.code = f.measure
    WHERE (p.id = :project OR p.parent_id = :project) AND m.additive = 1
      AND (:measure IS NULL OR (f.measure = :measure AND f.unit = :unit))"""


@dataclass(frozen=True)
class _Root:
    id: int
    donor: Party
    recipient: Party
    donor_name: str
    recipient_name: str


@dataclass
class _Sums:
    """What the roll-ups give for one measure and unit over a scope."""
    value: float = 0.0
    count: int = 0
    largest: float | None = None
    by_sector: dict = field(default_factory=lambda: defaultdict(float))
    by_year: dict = field(default_factory=lambda: defaultdict(float))
    added: list[int] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)
    covered_count: int = 0

    def take(self, value: float, count: int, sector: str | None, year: int | None) -> None:
        self.value += value
        self.count += count
        self.by_sector[sector] += value
        self.by_year[year] += value

    def total(self, measure: str, unit: str) -> Total:
        return Total(measure, unit, self.value, tuple(sorted(self.added)[:SAMPLE]),
                     tuple(sorted(self.covered)[:SAMPLE]), self.count, self.covered_count)


class Atlas:
    """Read-only questions asked of one open database connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._sector_names = dict(db.execute("SELECT code, name_zh FROM sector"))
        self._additive = {code for (code,) in db.execute("SELECT code FROM measure WHERE additive = 1")}
        self._documents: dict[str, Document] = {
            row[0]: Document(*row)
            for row in db.execute("SELECT key, title, publisher, author, published FROM document")}
        self._roots = [_Root(row[0], Party(row[1], row[2]), Party(row[3], row[4]), row[5], row[6])
                       for row in db.execute(_ROOTS)]
        self._members: dict[int, list[int]] = defaultdict(list)
        for pairing_id, root in db.execute("SELECT id, coalesce(parent_id, id) FROM pairing"):
            self._members[root].append(pairing_id)

    # -- scopes --------------------------------------------------------------------------------

    def _roots_of(self, scope: Scope) -> list[_Root]:
        return [root for root in self._roots
                if (scope.donor is None or root.donor == scope.donor)
                and (scope.recipient is None or root.recipient == scope.recipient)]

    def _params(self, scope: Scope, roots: list[_Root] | None = None, **more) -> dict[str, object]:
        """The bound parameters of the roll-up queries: which pairings, places and sector a scope
        holds, and from which level up a part is covered there (see db/rollup.sql)."""
        roots = self._roots_of(scope) if roots is None else roots
        level = SAME_CELL if scope.sector else SAME_PAIRING if scope.recipient else DONOR_PLACE
        places = sorted({root.donor.place_id for root in roots}) if level == DONOR_PLACE else []
        return {"roots": json.dumps([root.id for root in roots]), "places": json.dumps(places),
                "members": json.dumps([m for root in roots for m in self._members[root.id]]),
                "sector": scope.sector, "level": level, "measure": None, "unit": None} | more

    # -- the tree -----------------------------------------------------------------------------

    def children(self, node: Node | None, order: str = "donor", offset: int = 0,
                 limit: int = PAGE) -> list[Node]:
        """The children of `node` (None: the root) in the tree of the given order, one page."""
        levels = ORDERS[order]
        depth = 0 if node is None else levels.index(node.level) + 1
        if depth >= len(levels):
            return []
        scope = node.scope if node else Scope()
        level = levels[depth]
        has_children = depth + 1 < len(levels)
        params = self._params(scope) | {"limit": limit, "offset": offset}
        if level in ("donor", "recipient"):
            scopes = [(replace(scope, **{level: party}), name)
                      for party, name in self._parties(scope, level)[offset:offset + limit]]
        elif level == "sector":
            scopes = [(replace(scope, sector=code), f"{name} {code}")
                      for code, name in self.db.execute(_SECTOR_CHILDREN, params)]
        else:
            scopes = [(replace(scope, project=project_id), name)
                      for project_id, name in self.db.execute(_PROJECT_CHILDREN, params)]
            has_children = False
        return [self._node(level, child_scope, label, has_children) for child_scope, label in scopes]

    def _parties(self, scope: Scope, side: str) -> list[tuple[Party, str]]:
        """The donors (or recipients) of a scope's pairings, by name."""
        roots = self._roots_of(scope)
        if scope.sector is not None:
            with_sector = {root for (root,) in self.db.execute(_ROOTS_WITH_SECTOR, (scope.sector,))}
            roots = [root for root in roots if root.id in with_sector]
        parties = {getattr(root, side): getattr(root, f"{side}_name") for root in roots}
        return sorted(parties.items(), key=lambda item: (item[1], item[0].place_id, item[0].org_id or 0))

    def _node(self, level: str, scope: Scope, label: str, has_children: bool) -> Node:
        money = self.total(scope, *MONEY)
        if level == "project":
            projects = 1
        else:
            projects = self.db.execute(_ROLLUP_PROJECTS, self._params(scope)).fetchone()[0]
        return Node(level, scope, label, money.value if money.added_count else None, projects, has_children)

    # -- roll-ups -----------------------------------------------------------------------------

    def totals(self, scope: Scope) -> list[Total]:
        """Every additive measure of the scope summed without double counting."""
        return [sums.total(measure, unit) for (measure, unit), sums in sorted(self._sums(scope).items())
                if measure in self._additive]

    def total(self, scope: Scope, measure: str, unit: str) -> Total:
        return self._sums(scope, measure, unit).get((measure, unit), _Sums()).total(measure, unit)

    def largest(self, scope: Scope, measure: str, unit: str) -> float | None:
        """The largest single figure of a measure whose reports may overlap, so cannot be added."""
        return self._sums(scope, measure, unit).get((measure, unit), _Sums()).largest

    def _sums(self, scope: Scope, measure: str | None = None, unit: str | None = None) -> dict[tuple[str, str], _Sums]:
        if scope.project is not None:
            return self._project_sums(scope.project, measure, unit)
        roots = self._roots_of(scope)
        params = self._params(scope, roots, measure=measure, unit=unit)
        sums: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
        for (row_measure, row_unit, sector, year, value, figures, largest, covered,
             covered_count, sample) in self.db.execute(_ROLLUP_ROWS, params):
            group = sums[(row_measure, row_unit)]
            group.take(value - covered, figures - covered_count, sector, year)
            group.largest = largest if group.largest is None else max(group.largest, largest)
            group.covered_count += covered_count
            if len(group.added) < SAMPLE:
                group.added += map(int, sample.split())
        self._apply_parts(scope, params, roots, sums)
        return sums

    def _apply_parts(self, scope: Scope, params: dict, roots: list[_Root], sums: dict) -> None:
        """Parts whose total is in the scope are left out: those in the same cell, pairing or
        donor were left out by the roll-up rows already; those whose total lies elsewhere are
        left out here when the scope holds that total."""
        root_ids = {root.id for root in roots}
        places = set(json.loads(params["places"]))
        parts: dict[int, list[tuple]] = defaultdict(list)
        for row in self.db.execute(_ROLLUP_PARTS, params):
            parts[row[0]].append(row)
        for figure_id, rows in parts.items():
            _, measure, unit, sector, year, value, level, *_ = rows[0]
            group = sums[(measure, unit)]
            if level is not None and level <= params["level"]:
                group.covered.append(figure_id)
            elif any(reach is None and (ancestor_place in places if ancestor_pairing is None else
                                        ancestor_pairing in root_ids and scope.sector in (None, ancestor_sector))
                     for *_, reach, ancestor_pairing, ancestor_place, ancestor_sector in rows):
                group.take(-value, -1, sector, year)
                group.covered.append(figure_id)
                group.covered_count += 1
            else:
                group.added.append(figure_id)

    def _project_sums(self, project_id: int, measure: str | None, unit: str | None) -> dict[tuple[str, str], _Sums]:
        """A project and its sub-projects, summed from their few figures directly."""
        rows = self.db.execute(_PROJECT_FIGURES, {"project": project_id, "measure": measure, "unit": unit}).fetchall()
        in_sum: dict[tuple[str, str], set[int]] = defaultdict(set)
        for row in rows:
            in_sum[(row[1], row[2])].add(row[0])
        sums: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
        for figure_id, row_measure, row_unit, value, part_of, sector, year in rows:
            group = sums[(row_measure, row_unit)]
            group.largest = value if group.largest is None else max(group.largest, value)
            if self._has_ancestor_in(part_of, in_sum[(row_measure, row_unit)]):
                group.covered.append(figure_id)
                group.covered_count += 1
            else:
                group.take(value, 1, sector, year)
                group.added.append(figure_id)
        return sums

    def _has_ancestor_in(self, parent: int | None, ids: set[int]) -> bool:
        seen: set[int] = set()
        while parent is not None and parent not in seen:
            if parent in ids:
                return True
            seen.add(parent)
            row = self.db.execute("SELECT part_of_id FROM figure WHERE id = ?", (parent,)).fetchone()
            parent = row[0] if row else None
        return False

    # -- details ------------------------------------------------------------------------------

    def scope_detail(self, scope: Scope) -> ScopeDetail:
        figures = tuple(self._figure(row) for row in self.db.execute(_OWN_FIGURES, self._params(scope)))
        sums = self._sums(scope)
        money = sums.get(MONEY, _Sums())
        detail = ScopeDetail(scope, tuple(group.total(measure, unit) for (measure, unit), group in sorted(sums.items())
                                          if measure in self._additive), figures,
                             money_by_sector=_nonzero(money.by_sector), money_by_year=_nonzero(money.by_year),
                             pairings=tuple(self.pairings(scope)))
        if scope.recipient is not None and scope.donor is None:
            detail = replace(detail, place_path=self.place_path(scope.recipient.place_id),
                             outcomes=tuple(self.place_figures(scope.recipient.place_id)))
        return detail

    def pairings(self, scope: Scope = Scope()) -> list[PairingRow]:
        roots = {root.id: root for root in self._roots_of(scope)}
        rows = self.db.execute("SELECT id, kind, start_year, end_year FROM pairing "
                               "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(roots)),)).fetchall()
        result = []
        for pairing_id, kind, start, end in rows:
            root = roots[pairing_id]
            pair_scope = Scope(root.donor, root.recipient)
            sums = self._sums(pair_scope)
            money, exits = sums.get(MONEY, _Sums()), sums.get(("poverty_exit", "person"), _Sums())
            projects = self.db.execute(_ROLLUP_PROJECTS, self._params(pair_scope)).fetchone()[0]
            result.append(PairingRow(pairing_id, root.donor_name, root.recipient_name, kind, start, end,
                                     money.value if money.count else None,
                                     sums.get(("cadres_sent", "person"), _Sums()).largest, projects,
                                     exits.value if exits.count else None))
        return sorted(result, key=lambda row: (row.donor, row.recipient))

    def pairing_scope(self, pairing_id: int) -> Scope:
        donor_place, donor_org, recipient_place, recipient_org = self.db.execute(
            "SELECT donor_place_id, donor_org_id, recipient_place_id, recipient_org_id FROM pairing WHERE id = ?",
            (pairing_id,)).fetchone()
        return Scope(Party(donor_place, donor_org), Party(recipient_place, recipient_org))

    def pairing(self, pairing_id: int) -> PairingRow | None:
        row = self.db.execute("SELECT parent_id IS NULL FROM pairing WHERE id = ?", (pairing_id,)).fetchone()
        if row is None:
            return None
        return next((p for p in self.pairings(self.pairing_scope(pairing_id)) if p.id == pairing_id), None) \
            if row[0] else None

    def figure(self, figure_id: int) -> tuple[Figure, str | None, str | None] | None:
        """A figure with the donor and recipient it is reported under (as in v_metric)."""
        row = self.db.execute("""
            SELECT f.id, f.name, f.measure, f.value, f.unit, f.qualifier, f.wording, f.year, f.end_year,
                   v.sector, f.project_id, f.part_of_id, f.document, f.evidence, v.donor, v.recipient
            FROM figure f JOIN v_metric v ON v.id = f.id WHERE f.id = ?""", (figure_id,)).fetchone()
        return None if row is None else (self._figure(row[:14]), row[14], row[15])

    def project(self, project_id: int) -> Project | None:
        row = self.db.execute("""
            SELECT p.id, p.name, p.kind, p.sector, s.name_zh, coalesce(p.dac5, s.dac5), v.donor, v.recipient,
                   p.place_id, o.name, p.year, p.end_year, p.status, p.description, v.amount_cny,
                   p.document, p.evidence
            FROM project p JOIN sector s ON s.code = p.sector JOIN v_project v ON v.id = p.id
            LEFT JOIN organisation o ON o.id = p.implementer_id
            WHERE p.id = ?""", (project_id,)).fetchone()
        if row is None:
            return None
        figures = tuple(self._figure(r) for r in self.db.execute("""
            SELECT id, name, measure, value, unit, qualifier, wording, year, end_year, sector, project_id,
                   part_of_id, document, evidence
            FROM figure WHERE project_id = ? ORDER BY measure, year, id""", (project_id,)))
        quotes = self._quotes(row[15], row[16], "SELECT document, quote FROM evidence WHERE project_id = ?",
                              project_id)
        place = self.place_path(row[8]) if row[8] is not None else ()
        return Project(*row[:8], place, *row[9:15], quotes, figures)

    def place_path(self, place_id: int) -> tuple[str, ...]:
        rows = self.db.execute("""
            WITH RECURSIVE up(id, name, parent_id, depth) AS (
                SELECT id, name, parent_id, 0 FROM place WHERE id = ?
                UNION ALL SELECT p.id, p.name, p.parent_id, up.depth + 1 FROM place p JOIN up ON p.id = up.parent_id
                WHERE up.depth < 10)
            SELECT name FROM up ORDER BY depth DESC""", (place_id,)).fetchall()
        return tuple(name for (name,) in rows)

    def place_figures(self, place_id: int) -> list[Figure]:
        return [self._figure(row) for row in self.db.execute("""
            SELECT id, name, measure, value, unit, qualifier, wording, year, end_year, sector, project_id,
                   part_of_id, document, evidence
            FROM figure WHERE place_id = ? AND pairing_id IS NULL AND project_id IS NULL
            ORDER BY measure, year, id""", (place_id,))]

    def _figure(self, row: tuple) -> Figure:
        quotes = self._quotes(row[12], row[13], "SELECT document, quote FROM evidence WHERE figure_id = ?", row[0])
        return Figure(*row[:12], quotes)

    def _quotes(self, document: str | None, evidence: str | None, more_sql: str, ref: int) -> tuple[Quote, ...]:
        pairs = ([(document, evidence)] if document else []) + list(self.db.execute(more_sql, (ref,)))
        return tuple(Quote(text, self._documents[key]) for key, text in pairs)

    def sector_name(self, code: str) -> str:
        return self._sector_names.get(code, code)

    def counts(self) -> Counts:
        return Counts(*self.db.execute("""SELECT (SELECT count(*) FROM pairing WHERE parent_id IS NULL),
            (SELECT count(*) FROM project), (SELECT count(*) FROM figure), (SELECT count(*) FROM document)""").fetchone())


def _nonzero(groups: dict) -> dict:
    return {key: value for key, value in sorted(groups.items(), key=lambda item: (item[0] is None, item[0]))
            if key is not None and value}
