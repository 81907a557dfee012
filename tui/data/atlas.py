"""The read-only data layer: the tree, the detail of any node, and roll-ups.

The tree is donor → recipient → sector → project (or another order, for the pivot). Every node
stands for a Scope, the filters of its path; children, details and totals are all asked of a
Scope. Totals are read from the stored sums (v_total), worked out in one place (tui/data/rollup.py).
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from functools import cached_property
from typing import NamedTuple, Union

from tui.data.index import own_pinyin, reading_key
from tui.data.places import PLACE_AND_ABOVE
from tui.data.rollup import Acc, Key, page_project_sums, project_sums
from tui.data.rollup import is_stale as sums_wait
from tui.data.sums import ROOTS_WITH_SECTOR, Party, Rollups, Scope, Total, totals_of

ORDERS: dict[str, tuple[str, ...]] = {
    "donor": ("donor", "recipient", "sector", "project"),
    "recipient": ("recipient", "donor", "sector", "project"),
    "sector": ("sector", "donor", "project"),
}
MONEY = ("aid_funds", "CNY")
EXITS = ("poverty_exit", "person")
PAGE = 200


class Node(NamedTuple):
    level: str                  # 'donor' | 'recipient' | 'sector' | 'project'
    scope: Scope
    label: str
    money: tuple[Total, ...]    # aid funds summed without double counting, actual and planned apart
    projects: int
    has_children: bool
    english: str | None = None  # a sector's name in English (label: its Chinese name), for the English interface


class Document(NamedTuple):
    key: str
    title: str
    publisher: str | None
    author: str | None
    published: str | None


class Quote(NamedTuple):
    text: str
    document: Document


class Figure(NamedTuple):
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


class PairingRow(NamedTuple):
    id: int
    donor: str
    recipient: str
    kind: str
    start_year: int | None
    end_year: int | None
    money: tuple[Total, ...]            # aid funds, actual and planned apart
    cadres_sent: float | None           # at least this many: the largest single report, as reports overlap
    projects: int
    poverty_exit: Total | None          # actually lifted out of poverty


class Project(NamedTuple):
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
    amount_basis: str | None = None     # 'planned' when the amount is only a plan


class ScopeDetail(NamedTuple):
    scope: Scope
    totals: tuple[Total, ...]
    figures: tuple[Figure, ...]          # figures not attached to a project
    money_by_sector: tuple[Total, ...] = ()   # actual aid funds; the rows add up to the total
    money_by_year: tuple[Total, ...] = ()     # actual aid funds lying in one year each
    pairings: tuple[PairingRow, ...] = ()
    place_path: tuple[str, ...] = ()     # for a recipient: where it sits
    outcomes: tuple[Figure, ...] = ()    # for a recipient: its own situation over time
    updating: bool = False               # its sums are as they were before other programs' changes, being updated


class Name(NamedTuple):
    """A measure's or sector's name in both languages, as the database holds them."""
    zh: str
    en: str


class Labels(NamedTuple):
    """The names of the codes a figure carries, read from the `measure` and `sector` tables, so a
    measure a curator adds is shown by its name."""
    measures: dict[str, Name]
    sectors: dict[str, Name]

    def measure(self, code: str, lang: str) -> str:
        name = self.measures.get(code)
        if name is None:
            return code
        return name.zh if lang == "zh" else name.en[:1].upper() + name.en[1:]

    def sector(self, code: str) -> str:
        """The Chinese name, as the tree and the documents call a sector."""
        name = self.sectors.get(code)
        return code if name is None else name.zh


class ScopeView(NamedTuple):
    """What the detail pane shows for a donor, recipient or sector node."""
    node: Node
    detail: ScopeDetail
    labels: Labels


# What the detail pane shows for a node: every pairing at the root, a project, or a scope.
Detail = Union[list[PairingRow], Project, ScopeView, None]


class Counts(NamedTuple):
    pairings: int
    projects: int
    figures: int
    documents: int
    updating: bool = False      # sums are being brought up to date with other programs' changes


_SECTOR_CHILDREN = """
    SELECT s.code, s.name_zh FROM sector s
    WHERE s.code IN (SELECT sector FROM rollup_cell WHERE pairing_id IN (SELECT value FROM json_each(:roots))
                                                      AND (:sector IS NULL OR sector = :sector))
    ORDER BY s.rowid LIMIT :limit OFFSET :offset"""
# A sector's projects in the tree: those of its pairings in that sector, less the parts of a
# project listed there already; by name as written, then id.
_PROJECT_FAMILY = """
    FROM project p
    WHERE p.pairing_id IN (SELECT value FROM json_each(:members)) AND p.sector = :sector
      AND (p.parent_id IS NULL OR NOT EXISTS (
               SELECT 1 FROM project q WHERE q.id = p.parent_id AND q.sector = :sector
                                          AND q.pairing_id IN (SELECT value FROM json_each(:members))))"""
_PROJECT_CHILDREN = f"SELECT p.id, p.name {_PROJECT_FAMILY} ORDER BY p.name, p.id LIMIT :limit OFFSET :offset"
# Where a project stands among them (NULL: it is not one of them): how many come before it.
_PROJECT_PLACE = f"""
    SELECT CASE WHEN EXISTS (SELECT 1 {_PROJECT_FAMILY} AND p.id = :project)
                THEN (SELECT count(*) {_PROJECT_FAMILY}
                      AND (p.name, p.id) < (SELECT name, id FROM project WHERE id = :project)) END"""
_FIGURE_COLUMNS = """id, name, measure, value, unit, qualifier, wording, year, end_year, sector, project_id,
    part_of_id, document, evidence"""
# Figures by id, with their further quotes and their documents, a few queries for any number of them.
_FIGURES_BY_ID = f"SELECT {_FIGURE_COLUMNS} FROM figure WHERE id IN (SELECT value FROM json_each(?))"
_QUOTES_OF_FIGURES = "SELECT figure_id, document, quote FROM evidence WHERE figure_id IN (SELECT value FROM json_each(?))"
_DOCUMENTS_BY_KEY = "SELECT key, title, publisher, author, published FROM document WHERE key IN (SELECT value FROM json_each(?))"
# A scope's figures on no project: its pairings' own, and its donors' places' own; two selects, so
# that each reads through its index (the unary + keeps SQLite off the index of project_id, whose
# NULLs are every figure on no project).
_OWN_FIGURES = f"""
    SELECT {_FIGURE_COLUMNS} FROM figure
    WHERE pairing_id IN (SELECT value FROM json_each(:members)) AND (:sector IS NULL OR sector = :sector)
    UNION ALL
    SELECT {_FIGURE_COLUMNS} FROM figure
    WHERE place_id IN (SELECT value FROM json_each(:places)) AND +pairing_id IS NULL AND +project_id IS NULL
    ORDER BY measure, year, id"""
# Reports of cadres sent overlap: the pairings table shows the largest single one, a lower bound.
_LARGEST_CADRES = """SELECT value FROM rollup_largest
    WHERE kind = 'pairing' AND ref = ? AND measure = 'cadres_sent' AND unit = 'person'"""


class Atlas:
    """Read-only questions asked of one open database connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.labels = Labels({code: Name(zh, en) for code, zh, en in db.execute("SELECT code, name_zh, name_en FROM measure")},
                             {code: Name(zh, en) for code, zh, en in db.execute("SELECT code, name_zh, name_en FROM sector")})
        self._additive = {code for (code,) in db.execute("SELECT code FROM measure WHERE additive = 1")}
        self._rollups = Rollups(db)
        # Opened before catching up with other programs' changes (the app paints first): sums are as they were.
        self.updating = sums_wait(db)

    @cached_property
    def _documents(self) -> dict[str, Document]:
        """Every document by key, read at the first quote: a national-scale file has thousands,
        which the first paint need not wait for."""
        return {row[0]: Document(*row)
                for row in self.db.execute("SELECT key, title, publisher, author, published FROM document")}

    def scope_params(self, scope: Scope, **more) -> dict[str, object]:
        """What a query binds to ask about a scope: its top-level pairings (:roots), every pairing
        under them (:members), the donor places whose own figures it holds (:places), its parties'
        places, :sector and :project."""
        roots = self._rollups.roots_of(scope)
        return {"roots": json.dumps([root.id for root in roots]),
                "members": json.dumps(self._rollups.members(roots)),
                "places": json.dumps(self._rollups.places(scope, roots)),
                "donor_place": scope.donor.place_id if scope.donor else None,
                "recipient_place": scope.recipient.place_id if scope.recipient else None,
                "sector": scope.sector, "project": scope.project} | more

    # -- the tree -----------------------------------------------------------------------------

    def children(self, node: Node | None, order: str = "donor", offset: int = 0,
                 limit: int = PAGE, year: int | None = None) -> list[Node]:
        """The children of `node` (None: the root) in the tree of the given order, one page, with
        their money of all years or of the figures lying in one `year`."""
        levels = ORDERS[order]
        depth = 0 if node is None else levels.index(node.level) + 1
        if depth >= len(levels):
            return []
        level = levels[depth]
        scopes = self.child_scopes(node.scope if node else Scope(), level, offset, limit)
        if level == "project":
            sums = page_project_sums(self.db, [child.project for child, _ in scopes], MONEY, year)
            return [Node(level, child, name, _money(sums[child.project]), 1, False) for child, name in scopes]
        children = [child for child, _ in scopes]
        projects = self._rollups.projects(children)
        money = self._rollups.page_totals(children, MONEY, year) if children else []
        return [Node(level, child, label, tuple(totals), count, depth + 1 < len(levels),
                     self._english_sector(child.sector) if level == "sector" else None)
                for (child, label), count, totals in zip(scopes, projects, money)]

    def _english_sector(self, code: str | None) -> str | None:
        name = self.labels.sectors.get(code)
        return name.en if name is not None else None

    def child_scopes(self, scope: Scope, level: str, offset: int = 0, limit: int = PAGE) -> list[tuple[Scope, str]]:
        """The scopes and labels of the children at `level` under `scope`, one page, without their totals."""
        if level in ("donor", "recipient"):
            return self._parties(scope, level)[offset:offset + limit]
        params = self.scope_params(scope, limit=limit, offset=offset)
        if level == "sector":
            return [(scope._replace(sector=code), name)
                    for code, name in self.db.execute(_SECTOR_CHILDREN, params)]
        return [(Scope(scope.donor, scope.recipient, scope.sector, project_id, scope.pairing), name)
                for project_id, name in self.db.execute(_PROJECT_CHILDREN, params)]

    def project_place(self, scope: Scope, project_id: int) -> int | None:
        """How many of `scope`'s project children (a sector's) come before `project_id`, as
        child_scopes pages them; None when it is not one of them (a part of a project listed)."""
        return self.db.execute(_PROJECT_PLACE, self.scope_params(scope, project=project_id)).fetchone()[0]

    def _parties(self, scope: Scope, side: str) -> list[tuple[Scope, str]]:
        """The donors (or recipients) of a scope's pairings, by name; once the other side is chosen,
        each top-level pairing of the two on its own (two pairings of the same donor and recipient
        each have their own sums), its kind told apart."""
        roots = self._rollups.roots_of(scope)
        if scope.sector is not None:
            with_sector = {root for (root,) in self.db.execute(ROOTS_WITH_SECTOR, (scope.sector,))}
            roots = [root for root in roots if root.id in with_sector]
        other = "recipient" if side == "donor" else "donor"
        # By the names' reading (pinyin), as the tree sorts a page by name: pages of a family larger
        # than one then follow on from each other.
        readings = self._readings({getattr(root, side) for root in roots})

        def order(party: Party, label: str, pairing: int = 0) -> tuple:
            return reading_key(readings.get(party), label), party.place_id, party.org_id or 0, pairing

        if getattr(scope, other) is None:
            parties = {getattr(root, side): getattr(root, f"{side}_name") for root in roots}
            named = sorted(parties.items(), key=lambda item: order(*item))
            return [(scope._replace(**{side: party}), name) for party, name in named]
        alike = defaultdict(int)
        for root in roots:
            alike[getattr(root, side)] += 1
        labelled = [(root, getattr(root, f"{side}_name") + (f" · {root.kind}" if alike[getattr(root, side)] > 1 else ""))
                    for root in roots]
        labelled.sort(key=lambda item: order(getattr(item[0], side), item[1], item[0].id))
        return [(scope._replace(**{side: getattr(root, side)}, pairing=root.id), label) for root, label in labelled]

    def _readings(self, parties: set[Party]) -> dict[Party, str]:
        """The pinyin of each party's name, as the search index spells it."""
        places = own_pinyin(self.db, "place", [party.place_id for party in parties if party.org_id is None])
        organisations = own_pinyin(self.db, "organisation", [party.org_id for party in parties if party.org_id is not None])
        return {party: reading for party in parties
                if (reading := (places.get(party.place_id) if party.org_id is None else organisations.get(party.org_id)))}

    # -- totals -------------------------------------------------------------------------------

    def totals(self, scope: Scope) -> list[Total]:
        """Every sum of the scope: one per additive measure, unit and basis, without double counting."""
        if scope.project is not None:
            return totals_of(project_sums(self.db, scope.project))
        return self._rollups.totals(scope)

    def year_totals(self, scope: Scope, year: int) -> list[Total]:
        """The scope's totals of the figures lying in one year (a span of years lies in each)."""
        return self._rollups.totals(scope, year=year)

    def money_by_sector(self, scope: Scope, year: int | None = None) -> tuple[Total, ...]:
        """Money actually given, by sector, of all years or one: the rows add up to the total."""
        return tuple(total for total in self._rollups.by_sector(scope, MONEY, year) if total.basis == "actual")

    def sum_years(self, scope: Scope) -> list[int]:
        """The years the scope has sums of."""
        return self._rollups.years(scope)

    def total(self, scope: Scope, measure: str, unit: str, basis: str = "actual") -> Total:
        """One sum of the scope; nothing added (value 0, no figures) when it has no such figure."""
        found = [total for total in self.totals(scope)
                 if (total.measure, total.unit, total.basis) == (measure, unit, basis)]
        return found[0] if found else Total(measure, unit, basis, 0.0, False, None, None, 0, 0.0)

    # -- details ------------------------------------------------------------------------------

    def scope_detail(self, scope: Scope) -> ScopeDetail:
        figures = tuple(self._figure(row) for row in self.db.execute(_OWN_FIGURES, self.scope_params(scope)))
        by_sector = self.money_by_sector(scope)
        by_year = tuple(total for total in self._rollups.by_year(scope, MONEY) if total.basis == "actual")
        detail = ScopeDetail(scope, tuple(self.totals(scope)), figures,
                             money_by_sector=by_sector if scope.sector is None else (), money_by_year=by_year,
                             pairings=tuple(self.pairings(scope)), updating=self.updating)
        if scope.recipient is not None and scope.donor is None:
            detail = detail._replace(place_path=self.place_path(scope.recipient.place_id),
                             outcomes=tuple(self.place_figures(scope.recipient.place_id)))
        return detail

    def pairings(self, scope: Scope = Scope()) -> list[PairingRow]:
        """Every top-level pairing of the scope, each with its own sums."""
        roots = {root.id: root for root in self._rollups.roots_of(scope)}
        rows = self.db.execute("SELECT id, kind, start_year, end_year FROM pairing "
                               "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(roots)),)).fetchall()
        result = []
        for (pairing_id, kind, start, end), projects in zip(rows, self._rollups.projects(
                [Scope(pairing=row[0]) for row in rows])):
            root = roots[pairing_id]
            own = Scope(root.donor, root.recipient, pairing=pairing_id)
            totals = self._rollups.totals(own)
            exits = [total for total in totals if (total.measure, total.unit, total.basis) == (*EXITS, "actual")]
            cadres = self.db.execute(_LARGEST_CADRES, (pairing_id,)).fetchone()
            result.append(PairingRow(pairing_id, root.donor_name, root.recipient_name, kind, start, end,
                                     tuple(total for total in totals if (total.measure, total.unit) == MONEY),
                                     cadres[0] if cadres else None, projects, exits[0] if exits else None))
        return sorted(result, key=lambda row: (row.donor, row.recipient, row.id))

    def pairing_scope(self, pairing_id: int) -> Scope:
        donor_place, donor_org, recipient_place, recipient_org = self.db.execute(
            "SELECT donor_place_id, donor_org_id, recipient_place_id, recipient_org_id FROM pairing WHERE id = ?",
            (pairing_id,)).fetchone()
        return Scope(Party(donor_place, donor_org), Party(recipient_place, recipient_org), pairing=pairing_id)

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

    def figures_by_id(self, ids: list[int]) -> tuple[Figure, ...]:
        """These figures, in this order, each with its quotes; ids naming no figure are left out."""
        return figures_by_id(self.db, ids, self._documents)

    def figure_alone(self, figure_id: int) -> Figure | None:
        """A figure without the names v_metric reports it under: quick by the million, as an export needs."""
        row = self.db.execute(f"SELECT {_FIGURE_COLUMNS} FROM figure WHERE id = ?", (figure_id,)).fetchone()
        return None if row is None else self._figure(row)

    def project(self, project_id: int) -> Project | None:
        row = self.db.execute("""
            SELECT p.id, p.name, p.kind, p.sector, s.name_zh, coalesce(p.dac5, s.dac5), v.donor, v.recipient,
                   p.place_id, o.name, p.year, p.end_year, p.status, p.description, v.amount_cny,
                   p.document, p.evidence, v.basis
            FROM project p JOIN sector s ON s.code = p.sector JOIN v_project v ON v.id = p.id
            LEFT JOIN organisation o ON o.id = p.implementer_id
            WHERE p.id = ?""", (project_id,)).fetchone()
        if row is None:
            return None
        figures = tuple(self._figure(r) for r in self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figure WHERE project_id = ? ORDER BY measure, year, id", (project_id,)))
        quotes = self._quotes(row[15], row[16], "SELECT document, quote FROM evidence WHERE project_id = ?",
                              project_id)
        place = self.place_path(row[8]) if row[8] is not None else ()
        return Project(*row[:8], place, *row[9:15], quotes, figures, amount_basis=row[17])

    def place_path(self, place_id: int) -> tuple[str, ...]:
        rows = self.db.execute(PLACE_AND_ABOVE + " SELECT name FROM up ORDER BY depth DESC", (place_id,)).fetchall()
        return tuple(name for (name,) in rows)

    def place_figures(self, place_id: int) -> list[Figure]:
        return [self._figure(row) for row in self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figure WHERE place_id = ? AND pairing_id IS NULL AND project_id IS NULL "
            f"ORDER BY measure, year, id", (place_id,))]

    def pairing_quotes(self, pairing_id: int) -> tuple[Quote, ...]:
        """A pairing's sources: its own quote first, then any further ones."""
        row = self.db.execute("SELECT document, evidence FROM pairing WHERE id = ?", (pairing_id,)).fetchone()
        return self._quotes(*(row or (None, None)), "SELECT document, quote FROM evidence WHERE pairing_id = ?",
                            pairing_id)

    def _figure(self, row: tuple) -> Figure:
        quotes = self._quotes(row[12], row[13], "SELECT document, quote FROM evidence WHERE figure_id = ?", row[0])
        return Figure(*row[:12], quotes)

    def _quotes(self, document: str | None, evidence: str | None, more_sql: str, ref: int) -> tuple[Quote, ...]:
        pairs = ([(document, evidence)] if document else []) + list(self.db.execute(more_sql, (ref,)))
        # A key with no document (a row added with foreign keys off) is cited as missing, not a crash.
        return tuple(Quote(text, self._documents.get(key) or Document(key, "no such document", None, None, None))
                     for key, text in pairs)

    def detail(self, node: Node | None) -> Detail:
        """What the detail pane shows for `node` (None: the root)."""
        if node is None:
            return self.pairings()
        if node.level == "project":
            return self.project(node.scope.project)
        return ScopeView(node, self.scope_detail(node.scope), self.labels)

    def counts(self) -> Counts:
        """How much the database holds; projects and figures as the roll-ups count them, which a
        million rows make the quicker way (a figure whose pairing is missing is `duikou check`'s)."""
        return Counts(*self.db.execute("""SELECT (SELECT count(*) FROM pairing WHERE parent_id IS NULL),
            (SELECT coalesce(sum(projects), 0) FROM rollup_cell),
            (SELECT coalesce(sum(figures), 0) FROM rollup_home),
            (SELECT count(*) FROM document)""").fetchone(), updating=self.updating)


def _money(sums: dict[Key, Acc]) -> tuple[Total, ...]:
    return tuple(total for total in totals_of(sums) if (total.measure, total.unit) == MONEY)


def figures_by_id(db: sqlite3.Connection, ids: list[int],
                  documents: dict[str, Document] | None = None) -> tuple[Figure, ...]:
    """These figures, in this order, each with its own quote and further ones; `documents` the
    documents already read (else the ones cited are read). A key with no document is cited as
    missing, as Atlas cites it."""
    wanted = json.dumps(ids)
    rows = {row[0]: row for row in db.execute(_FIGURES_BY_ID, (wanted,))}
    quotes: dict[int, list[tuple[str, str]]] = {figure_id: [(row[12], row[13])] if row[12] else []
                                                for figure_id, row in rows.items()}
    for figure_id, document, quote in db.execute(_QUOTES_OF_FIGURES, (wanted,)):
        quotes[figure_id].append((document, quote))
    if documents is None:
        keys = sorted({key for pairs in quotes.values() for key, _ in pairs})
        documents = {row[0]: Document(*row) for row in db.execute(_DOCUMENTS_BY_KEY, (json.dumps(keys),))}
    return tuple(Figure(*rows[figure_id][:12], tuple(
        Quote(text, documents.get(key) or Document(key, "no such document", None, None, None))
        for key, text in quotes[figure_id])) for figure_id in ids if figure_id in rows)
