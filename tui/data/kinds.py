"""The kinds of thing search finds, one record each: adding a kind is one record here, plus the
schema's triggers that queue its changed rows in `search_stale`.

Search, the index, `duikou check`, the way from a hit to the tree and the browser's headings all
read these records. How a kind finds its tree node is a function of a Locator, the few questions
tui.data.locate answers about the tree, so that this module imports nothing that imports it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from tui.data.places import PLACE_AND_ABOVE
from tui.data.sums import Scope

Node = tuple[Scope, str]   # a scope with every level down to the node, and the node's level


class Locator(Protocol):
    """The tree as a kind's `nearest` asks it."""

    def row(self, sql: str, params: tuple | dict) -> tuple | None: ...
    def project(self, project_id: int) -> Node | None: ...
    def pairing(self, pairing_id: int) -> Node | None: ...
    def donor(self, pairing_id: int) -> Node | None:
        """The donor's node above a pairing, not the pairing's own."""
    def sector(self, pairing_id: int, sector: str) -> Node | None:
        """The node of one sector under a pairing."""
    def place(self, place_id: int) -> Node | None: ...
    def first(self, kinds: tuple[str, ...], refs: tuple | None) -> Node | None:
        """The node nearest the first item `refs` names, trying them in order: refs[i] is of kinds[i]."""


@dataclass(frozen=True)
class SearchKind:
    name: str        # search_index.kind and search_stale.kind
    table: str       # the table its rows are in
    key: str         # the column search_index.ref names
    heading: str     # its hits' heading, in English (the browser translates it)
    # What a row is indexed from: ref, name, English name, detail, quote[, value]; the table is `t`,
    # so that the index can join it to the queued refs.
    rows: str
    # A hit described, ? its ref: label, where it sits, what it is, then texts to quote from when
    # the evidence matched.
    describe: str
    nearest: Callable[[Locator, int | str], Node | None]   # the tree node nearest a row, from its ref
    aliases: str | None = None     # alias's column naming its rows: their other names
    evidence: str | None = None    # evidence's column naming its rows: their further quotes


def _figure(tree: Locator, ref: int | str) -> Node | None:
    row = tree.row("SELECT project_id, pairing_id, sector, place_id FROM figure WHERE id = ?", (ref,))
    if row is None:
        return None
    project, pairing, sector, place = row
    if project is not None:
        return tree.project(project)
    if pairing is not None:
        return tree.sector(pairing, sector) if sector is not None else tree.pairing(pairing)
    return tree.place(place) if place is not None else None


def _organisation(tree: Locator, ref: int | str) -> Node | None:
    row = tree.row("""
        SELECT (SELECT id FROM pairing WHERE parent_id IS NULL AND recipient_org_id = o.id ORDER BY id),
               (SELECT id FROM pairing WHERE parent_id IS NULL AND donor_org_id = o.id ORDER BY id),
               (SELECT id FROM project WHERE implementer_id = o.id ORDER BY id),
               o.place_id, o.parent_id
          FROM organisation o WHERE o.id = ?""", (ref,))
    if row is None:
        return None
    as_recipient, as_donor, project, place, parent = row
    if as_recipient is not None:
        return tree.pairing(as_recipient)
    if as_donor is not None:
        return tree.donor(as_donor)
    if project is not None:
        return tree.project(project)
    if place is not None:
        return tree.place(place)
    return tree.first(("organisation",), (parent,))


def _person(tree: Locator, ref: int | str) -> Node | None:
    row = tree.row("SELECT pairing_id, organisation_id, place_id FROM person WHERE id = ?", (ref,))
    return tree.first(("pairing", "organisation", "place"), row)


def _document(tree: Locator, ref: int | str) -> Node | None:
    row = tree.row("""
        SELECT (SELECT id FROM project WHERE document = :key
                UNION ALL SELECT project_id FROM evidence WHERE document = :key AND project_id IS NOT NULL
                LIMIT 1),
               (SELECT id FROM figure WHERE document = :key
                UNION ALL SELECT figure_id FROM evidence WHERE document = :key AND figure_id IS NOT NULL
                LIMIT 1),
               (SELECT id FROM pairing WHERE document = :key
                UNION ALL SELECT pairing_id FROM evidence WHERE document = :key AND pairing_id IS NOT NULL
                LIMIT 1)""", {"key": str(ref)})
    return tree.first(("project", "figure", "pairing"), row)


# In the order search ranks hits of the same closeness, and `duikou check` reports.
SEARCH_KINDS = (
    SearchKind(
        "place", "place", "id", "Places",
        rows="SELECT t.id, t.name, t.name_en, NULL, NULL FROM place t",
        describe=PLACE_AND_ABOVE + """
        SELECT (SELECT name FROM up WHERE depth = 0),
               (SELECT group_concat(name, ' → ') FROM (SELECT name FROM up WHERE depth BETWEEN 1 AND 3
                                                       ORDER BY depth DESC)),
               (SELECT level FROM place WHERE id = (SELECT id FROM up WHERE depth = 0)),
               NULL, NULL, NULL""",
        nearest=lambda tree, ref: tree.place(int(ref)),
        aliases="place_id"),
    SearchKind(
        "organisation", "organisation", "id", "Organisations",
        rows="SELECT t.id, t.name, t.name_en, NULL, t.evidence FROM organisation t",
        describe="""
        SELECT o.name, pl.name, o.kind, o.evidence, NULL, NULL
          FROM organisation o LEFT JOIN place pl ON pl.id = o.place_id WHERE o.id = ?""",
        nearest=_organisation,
        aliases="organisation_id"),
    SearchKind(
        "pairing", "pairing", "id", "Pairings",
        rows="SELECT t.id, n.donor || ' ' || n.recipient, NULL, t.kind || ' ' || coalesce(t.note, ''), t.evidence "
             "FROM pairing t JOIN pairing_names n ON n.id = t.id",
        describe="""
        SELECT n.donor || ' → ' || n.recipient,
               CASE WHEN p.parent_id IS NULL THEN NULL ELSE root.donor || ' → ' || root.recipient END,
               p.kind || CASE WHEN p.start_year IS NULL THEN '' ELSE ' · ' || p.start_year || '–'
                                   || coalesce(p.end_year, '') END,
               p.evidence, p.note, (SELECT group_concat(quote, '\n') FROM evidence WHERE pairing_id = p.id)
          FROM pairing p JOIN pairing_names n ON n.id = p.id JOIN pairing_names root ON root.id = n.root_id
         WHERE p.id = ?""",
        nearest=lambda tree, ref: tree.pairing(int(ref)),
        evidence="pairing_id"),
    SearchKind(
        "project", "project", "id", "Projects",
        rows="SELECT t.id, t.name, NULL, t.description, t.evidence FROM project t",
        describe="""
        SELECT p.name, root.donor || ' → ' || root.recipient,
               p.sector || coalesce(' · ' || p.year, ''),
               p.evidence, p.description, (SELECT group_concat(quote, '\n') FROM evidence WHERE project_id = p.id)
          FROM project p JOIN pairing pr ON pr.id = p.pairing_id
          JOIN pairing_names root ON root.id = coalesce(pr.parent_id, pr.id)
         WHERE p.id = ?""",
        nearest=lambda tree, ref: tree.project(int(ref)),
        aliases="project_id", evidence="project_id"),
    SearchKind(
        "figure", "figure", "id", "Figures",
        rows="SELECT t.id, t.name, NULL, t.wording, t.evidence, t.value FROM figure t",
        describe="""
        SELECT f.name,
               coalesce(pj.name,
                        (SELECT n.donor || ' → ' || n.recipient FROM pairing_names n
                          WHERE n.id = (SELECT coalesce(pr.parent_id, pr.id) FROM pairing pr
                                         WHERE pr.id = coalesce(f.pairing_id, pj.pairing_id))),
                        pl.name),
               coalesce(f.wording, f.value || ' ' || f.unit) || coalesce(' · ' || f.year, ''),
               f.evidence, f.wording, (SELECT group_concat(quote, '\n') FROM evidence WHERE figure_id = f.id)
          FROM figure f
          LEFT JOIN project pj ON pj.id = f.project_id
          LEFT JOIN place pl ON pl.id = f.place_id
         WHERE f.id = ?""",
        nearest=_figure,
        evidence="figure_id"),
    SearchKind(
        "person", "person", "id", "People",
        rows="SELECT t.id, t.name, NULL, t.role, t.evidence FROM person t",
        describe="""
        SELECT pe.name, coalesce(o.name, pl.name), pe.role, pe.evidence, NULL, NULL
          FROM person pe LEFT JOIN organisation o ON o.id = pe.organisation_id
          LEFT JOIN place pl ON pl.id = pe.place_id WHERE pe.id = ?""",
        nearest=_person,
        aliases="person_id"),
    SearchKind(
        "document", "document", "key", "Documents",
        rows="SELECT t.key, t.title, NULL, coalesce(t.author, '') || ' ' || coalesce(t.publisher, ''), NULL "
             "FROM document t",
        describe="""
        SELECT title, publisher, published, NULL, author, NULL FROM document WHERE key = ?""",
        nearest=_document),
)
BY_NAME = {kind.name: kind for kind in SEARCH_KINDS}
