"""The read-only data layer: the tree, the detail of any node, and roll-ups.

The tree is donor → recipient → sector → project (or another order, for the pivot). Every node
stands for a Scope, the filters of its path; children, details and roll-ups are all asked of a
Scope. Roll-ups add a figure only when no figure it is part of is in the same sum, so a total
is never added to its own parts (design §3).
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable

ORDERS: dict[str, tuple[str, ...]] = {
    "donor": ("donor", "recipient", "sector", "project"),
    "recipient": ("recipient", "donor", "sector", "project"),
    "sector": ("sector", "donor", "project"),
}
MONEY = ("aid_funds", "CNY")
PAGE = 200


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

    def params(self) -> dict[str, object]:
        return {
            "donor_place": self.donor.place_id if self.donor else None,
            "donor_org": self.donor.org_id if self.donor else None,
            "recipient_place": self.recipient.place_id if self.recipient else None,
            "recipient_org": self.recipient.org_id if self.recipient else None,
            "sector": self.sector,
            "project": self.project,
        }


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
    """A roll-up: which figures it added, and which parts it left out because their total was added."""
    measure: str
    unit: str
    value: float
    added: tuple[int, ...]
    covered: tuple[int, ...]


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


_SCOPE = """
WITH roots AS (
    SELECT id, donor_place_id FROM pairing
    WHERE parent_id IS NULL
      AND (:donor_place IS NULL OR (donor_place_id = :donor_place AND donor_org_id IS :donor_org))
      AND (:recipient_place IS NULL OR (recipient_place_id = :recipient_place AND recipient_org_id IS :recipient_org))
), pairings AS (
    SELECT id FROM pairing WHERE coalesce(parent_id, id) IN (SELECT id FROM roots)
), projects AS (
    SELECT id, sector FROM project
    WHERE pairing_id IN (SELECT id FROM pairings)
      AND (:sector IS NULL OR sector = :sector)
      AND (:project IS NULL OR id = :project OR parent_id = :project)
), figures AS (
    SELECT f.*, coalesce(f.sector, p.sector) AS scope_sector
    FROM figure f LEFT JOIN project p ON p.id = f.project_id
    WHERE f.project_id IN (SELECT id FROM projects)
       OR (:project IS NULL AND f.pairing_id IN (SELECT id FROM pairings)
           AND (:sector IS NULL OR f.sector = :sector))
       OR (:project IS NULL AND :sector IS NULL AND :recipient_place IS NULL
           AND f.project_id IS NULL AND f.pairing_id IS NULL
           AND f.place_id IN (SELECT donor_place_id FROM roots))
)
"""

def _party_children(side: str) -> str:
    """The donors (or recipients) under a scope; `side` is one of two constant column prefixes."""
    return _SCOPE + f"""
        SELECT r.{side}_place_id, r.{side}_org_id, n.{side} FROM pairing r JOIN pairing_names n ON n.id = r.id
        WHERE r.id IN (SELECT id FROM roots)
          AND (:sector IS NULL OR EXISTS (SELECT 1 FROM pairing s JOIN project p ON p.pairing_id = s.id
                                          WHERE coalesce(s.parent_id, s.id) = r.id AND p.sector = :sector)
                               OR EXISTS (SELECT 1 FROM pairing s JOIN figure f ON f.pairing_id = s.id
                                          WHERE coalesce(s.parent_id, s.id) = r.id AND f.sector = :sector))
        GROUP BY 1, 2 ORDER BY 3 LIMIT :limit OFFSET :offset"""


_PARTY_CHILDREN = {side: _party_children(side) for side in ("donor", "recipient")}
_SECTOR_CHILDREN = _SCOPE + """
    SELECT s.code, s.name_zh FROM sector s
    WHERE (:sector IS NULL OR s.code = :sector)
      AND (s.code IN (SELECT sector FROM projects) OR s.code IN (SELECT scope_sector FROM figures))
    ORDER BY s.rowid LIMIT :limit OFFSET :offset"""
_PROJECT_CHILDREN = _SCOPE + """
    SELECT p.id, p.name FROM project p
    WHERE p.id IN (SELECT id FROM projects) AND (:project IS NOT NULL OR p.parent_id IS NULL
                                                 OR p.parent_id NOT IN (SELECT id FROM projects))
    ORDER BY p.name, p.id LIMIT :limit OFFSET :offset"""
_PROJECT_COUNT = _SCOPE + "SELECT count(*) FROM projects"
_SCOPE_FIGURES = _SCOPE + """
    SELECT id, name, measure, value, unit, qualifier, wording, year, end_year, scope_sector, project_id,
           part_of_id, document, evidence
    FROM figures ORDER BY project_id IS NOT NULL, measure, year, id"""
_PROJECT_MONEY = """
    SELECT id, measure, unit, value, part_of_id FROM figure
    WHERE project_id IN (SELECT :project UNION ALL SELECT id FROM project WHERE parent_id = :project)
      AND measure = :measure AND unit = :unit"""
_LARGEST = _SCOPE + "SELECT max(value) FROM figures WHERE measure = :measure AND unit = :unit"
_MONEY_FIGURES = _SCOPE + """
    SELECT f.id, f.measure, f.unit, f.value, f.part_of_id, f.scope_sector, f.year
    FROM figures f JOIN measure m ON m.code = f.measure WHERE m.additive = 1"""


class Atlas:
    """Read-only questions asked of one open database connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._sector_names = dict(db.execute("SELECT code, name_zh FROM sector"))
        self._documents: dict[str, Document] = {
            row[0]: Document(*row)
            for row in db.execute("SELECT key, title, publisher, author, published FROM document")}

    # -- the tree -----------------------------------------------------------------------------

    def children(self, node: Node | None, order: str = "donor", offset: int = 0,
                 limit: int = PAGE) -> list[Node]:
        """The children of `node` (None: the root) in the tree of the given order, one page."""
        levels = ORDERS[order]
        depth = 0 if node is None else levels.index(node.level) + 1
        if depth >= len(levels):
            return []
        level = levels[depth]
        has_children = depth + 1 < len(levels) and level != "project"
        return [self._node(level, child_scope, label, has_children)
                for child_scope, label in self.child_scopes(node.scope if node else Scope(), level, offset, limit)]

    def child_scopes(self, scope: Scope, level: str, offset: int = 0, limit: int = PAGE) -> list[tuple[Scope, str]]:
        """The scopes and labels of the children at `level` under `scope`, one page, without their roll-ups."""
        params = scope.params() | {"limit": limit, "offset": offset}
        if level in _PARTY_CHILDREN:
            return [(replace(scope, **{level: Party(place, org)}), name)
                    for place, org, name in self.db.execute(_PARTY_CHILDREN[level], params)]
        if level == "sector":
            return [(replace(scope, sector=code), f"{name} {code}")
                    for code, name in self.db.execute(_SECTOR_CHILDREN, params)]
        return [(replace(scope, project=project_id), name)
                for project_id, name in self.db.execute(_PROJECT_CHILDREN, params)]

    def _node(self, level: str, scope: Scope, label: str, has_children: bool) -> Node:
        if level == "project":  # one indexed query, not the whole scope: a page holds hundreds
            rows = self.db.execute(_PROJECT_MONEY, {"project": scope.project, "measure": MONEY[0],
                                                    "unit": MONEY[1]}).fetchall()
            money, projects = self._sum(*MONEY, rows), 1
        else:
            money = self.total(scope, *MONEY)
            projects = self.db.execute(_PROJECT_COUNT, scope.params()).fetchone()[0]
        return Node(level, scope, label, money.value if money.added else None, projects, has_children)

    # -- roll-ups -----------------------------------------------------------------------------

    def totals(self, scope: Scope) -> list[Total]:
        """Every additive measure of the scope summed without double counting."""
        rows = self.db.execute(_MONEY_FIGURES, scope.params()).fetchall()
        groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for row in rows:
            groups[(row[1], row[2])].append(row)
        return [self._sum(measure, unit, group) for (measure, unit), group in sorted(groups.items())]

    def total(self, scope: Scope, measure: str, unit: str) -> Total:
        rows = [r for r in self.db.execute(_MONEY_FIGURES, scope.params()) if r[1] == measure and r[2] == unit]
        return self._sum(measure, unit, rows)

    def _sum(self, measure: str, unit: str, rows: Iterable[tuple]) -> Total:
        rows = list(rows)
        in_sum = {row[0] for row in rows}
        added, covered = [], []
        for row in rows:
            (covered if self._has_ancestor_in(row[4], in_sum) else added).append(row)
        return Total(measure, unit, sum(r[3] for r in added),
                     tuple(r[0] for r in added), tuple(r[0] for r in covered))

    def largest(self, scope: Scope, measure: str, unit: str) -> float | None:
        """The largest single figure of a measure whose reports may overlap, so cannot be added."""
        return self.db.execute(_LARGEST, scope.params() | {"measure": measure, "unit": unit}).fetchone()[0]

    def _has_ancestor_in(self, parent: int | None, ids: set[int]) -> bool:
        seen: set[int] = set()
        while parent is not None and parent not in seen:
            if parent in ids:
                return True
            seen.add(parent)
            parent = self.db.execute("SELECT part_of_id FROM figure WHERE id = ?", (parent,)).fetchone()[0]
        return False

    def _grouped_money(self, scope: Scope, column: int) -> dict:
        rows = [r for r in self.db.execute(_MONEY_FIGURES, scope.params()) if (r[1], r[2]) == MONEY]
        groups: dict = defaultdict(list)
        for row in rows:
            groups[row[column]].append(row)
        # A part is left out only when its total is in the same group, so sum over the whole scope
        # first and then split what was added.
        added = set(self._sum(*MONEY, rows).added)
        return {key: sum(r[3] for r in group if r[0] in added)
                for key, group in sorted(groups.items(), key=lambda item: (item[0] is None, item[0]))
                if key is not None and any(r[0] in added for r in group)}

    # -- details ------------------------------------------------------------------------------

    def scope_detail(self, scope: Scope) -> ScopeDetail:
        figures = tuple(self._figure(row) for row in self.db.execute(_SCOPE_FIGURES, scope.params())
                        if row[10] is None)
        detail = ScopeDetail(scope, tuple(self.totals(scope)), figures,
                             money_by_sector=self._grouped_money(scope, 5),
                             money_by_year=self._grouped_money(scope, 6),
                             pairings=tuple(self.pairings(scope)))
        if scope.recipient is not None and scope.donor is None:
            detail = replace(detail, place_path=self.place_path(scope.recipient.place_id),
                             outcomes=tuple(self.place_figures(scope.recipient.place_id)))
        return detail

    def pairings(self, scope: Scope = Scope()) -> list[PairingRow]:
        rows = self.db.execute(_SCOPE + """
            SELECT r.id, n.donor, n.recipient, r.kind, r.start_year, r.end_year
            FROM pairing r JOIN pairing_names n ON n.id = r.id WHERE r.id IN (SELECT id FROM roots)
            ORDER BY n.donor, n.recipient""", scope.params()).fetchall()
        result = []
        for pairing_id, donor, recipient, kind, start, end in rows:
            pair_scope = self.pairing_scope(pairing_id)
            money = self.total(pair_scope, *MONEY)
            cadres = self.largest(pair_scope, "cadres_sent", "person")
            exits = self.total(pair_scope, "poverty_exit", "person")
            projects = self.db.execute(_PROJECT_COUNT, pair_scope.params()).fetchone()[0]
            result.append(PairingRow(pairing_id, donor, recipient, kind, start, end,
                                     money.value if money.added else None,
                                     cadres, projects,
                                     exits.value if exits.added else None))
        return result

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
