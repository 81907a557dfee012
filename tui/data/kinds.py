"""The kinds of thing search finds, one record each: adding a kind is one record here, plus the
schema's triggers that queue its changed rows in `search_stale`.

Search, the index, `duikou check`, the way from a hit to the tree and the browser's headings all
read these records. How a kind finds its tree node is a function of a Locator, the few questions
tui.data.locate answers about the tree, so that this module imports nothing that imports it.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Protocol

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
    def sector_order(self, sector: str) -> Node | None:
        """A sector's node at the top of the sector order."""
    def first(self, kinds: tuple[str, ...], refs: tuple | None) -> Node | None:
        """The node nearest the first item `refs` names, trying them in order: refs[i] is of kinds[i]."""


class SearchKind(NamedTuple):
    name: str        # search_index.kind and search_stale.kind
    table: str       # the table its rows are in
    key: str         # the column search_index.ref names
    heading: str     # its hits' heading, in English (the browser translates it)
    # What a row is indexed from: ref, name, English name, detail, quote, context, first year, last
    # year[, value, unit]; the table is `t`, so that the index can join it to the queued refs. The
    # context is the names of what the item sits in (its places, pairing, sector, measure), words
    # a question may name it by: a figure of 丹巴县's health project matches 丹巴, 医疗 and health.
    rows: str
    # A hit described, ? its ref: label, where it sits, what it is, then texts to quote from when
    # the evidence matched.
    describe: str
    nearest: Callable[[Locator, int | str], Node | None]   # the tree node nearest a row, from its ref
    aliases: str | None = None     # alias's column naming its rows: their other names
    name_column: str | None = "name"   # the column of its own name, as `rows` reads it; None: named otherwise
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


# The names of a place and the two above it (a village's township and county), and of a pairing's
# parties and its top-level pairing's: an item's context. `{place}`, `{pairing}`: the column naming it.
_PLACE_ABOVE = """(SELECT coalesce(up1.name, '') || ' ' || coalesce(up2.name, '') FROM place here
                    LEFT JOIN place up1 ON up1.id = here.parent_id LEFT JOIN place up2 ON up2.id = up1.parent_id
                   WHERE here.id = {place})"""
_PLACE_AND_ABOVE = """(SELECT here.name || ' ' || coalesce(up1.name, '') || ' ' || coalesce(up2.name, '') FROM place here
                        LEFT JOIN place up1 ON up1.id = here.parent_id LEFT JOIN place up2 ON up2.id = up1.parent_id
                       WHERE here.id = {place})"""
_PAIRING_PARTIES = """(SELECT own.donor || ' ' || own.recipient || ' ' || CASE WHEN own.root_id <> own.id
                                                                  THEN root.donor || ' ' || root.recipient ELSE '' END
                         FROM pairing_names own JOIN pairing_names root ON root.id = own.root_id
                        WHERE own.id = {pairing})"""



def _words(*expressions: str) -> str:
    """SQL joining the expressions' values with spaces, a NULL as nothing."""
    return " || ' ' || ".join(f"coalesce({expression}, '')" for expression in expressions)


# In the order search ranks hits of the same closeness, and `duikou check` reports.
SEARCH_KINDS = (
    SearchKind(
        "place", "place", "id", "Places",
        rows="SELECT t.id, t.name, t.name_en, NULL, NULL, " + _PLACE_ABOVE.format(place="t.id") + ", NULL, NULL "
             "FROM place t",
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
        rows="SELECT t.id, t.name, t.name_en, NULL, t.evidence, " + _PLACE_AND_ABOVE.format(place="t.place_id")
             + ", NULL, NULL FROM organisation t",
        describe="""
        SELECT o.name, pl.name, o.kind, o.evidence, NULL, NULL
          FROM organisation o LEFT JOIN place pl ON pl.id = o.place_id WHERE o.id = ?""",
        nearest=_organisation,
        aliases="organisation_id"),
    SearchKind(
        "pairing", "pairing", "id", "Pairings",
        rows="SELECT t.id, n.donor || ' ' || n.recipient, NULL, t.note, t.evidence, "
             # What a pairing is called (结对, pairing), its kind and level, its top-level pairing.
             + _words("'结对 pairing'", "t.kind", "t.level",
                      "CASE WHEN t.parent_id IS NOT NULL THEN root.donor || ' ' || root.recipient END",
                      _PLACE_AND_ABOVE.format(place="t.recipient_place_id"))
             + ", t.start_year, t.end_year "
             "FROM pairing t JOIN pairing_names n ON n.id = t.id JOIN pairing_names root ON root.id = n.root_id",
        describe="""
        SELECT n.donor || ' → ' || n.recipient
               || CASE WHEN p.parent_id IS NOT NULL AND n.donor = root.donor AND n.recipient = root.recipient
                       THEN ' (' || replace(p.level, '_', ' ') || ')'
                       ELSE '' END,
               CASE WHEN p.parent_id IS NULL THEN NULL ELSE root.donor || ' → ' || root.recipient END,
               p.kind || CASE WHEN p.start_year IS NULL THEN '' ELSE ' · ' || p.start_year || '–'
                                   || coalesce(p.end_year, '') END,
               p.evidence, p.note, (SELECT group_concat(quote, '\n') FROM evidence WHERE pairing_id = p.id)
          FROM pairing p JOIN pairing_names n ON n.id = p.id JOIN pairing_names root ON root.id = n.root_id
         WHERE p.id = ?""",
        nearest=lambda tree, ref: tree.pairing(int(ref)),
        evidence="pairing_id", name_column=None),
    SearchKind(
        "project", "project", "id", "Projects",
        rows="SELECT t.id, t.name, NULL, t.description, t.evidence, "
             + _words(_PAIRING_PARTIES.format(pairing="t.pairing_id"), "s.name_zh", "s.name_en",
                      _PLACE_AND_ABOVE.format(place="t.place_id"))
             + ", t.year, t.end_year FROM project t LEFT JOIN sector s ON s.code = t.sector",
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
        rows="SELECT t.id, t.name, NULL, t.wording, t.evidence, "
             + _words("pj.name", _PAIRING_PARTIES.format(pairing="coalesce(t.pairing_id, pj.pairing_id)"),
                      "s.name_zh", "s.name_en", "m.name_zh", "m.name_en",
                      _PLACE_AND_ABOVE.format(place="coalesce(t.place_id, pj.place_id)"))
             + ", coalesce(t.year, pj.year), coalesce(t.end_year, CASE WHEN t.year IS NULL THEN pj.end_year END), "
             "t.value, t.unit FROM figure t LEFT JOIN project pj ON pj.id = t.project_id "
             "LEFT JOIN sector s ON s.code = coalesce(t.sector, pj.sector) LEFT JOIN measure m ON m.code = t.measure",
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
        rows="SELECT t.id, t.name, NULL, t.role, t.evidence, "
             + _words("(SELECT name FROM organisation WHERE id = t.organisation_id)",
                      _PAIRING_PARTIES.format(pairing="t.pairing_id"), _PLACE_AND_ABOVE.format(place="t.place_id"))
             + ", NULL, NULL FROM person t",
        describe="""
        SELECT pe.name, coalesce(o.name, pl.name), pe.role, pe.evidence, NULL, NULL
          FROM person pe LEFT JOIN organisation o ON o.id = pe.organisation_id
          LEFT JOIN place pl ON pl.id = pe.place_id WHERE pe.id = ?""",
        nearest=_person,
        aliases="person_id"),
    SearchKind(
        "document", "document", "key", "Documents",
        rows="SELECT t.key, t.title, NULL, coalesce(t.author, '') || ' ' || coalesce(t.publisher, ''), NULL, "
             "NULL, NULL, NULL FROM document t",
        describe="""
        SELECT title, publisher, published, NULL, author, NULL FROM document WHERE key = ?""",
        nearest=_document, name_column="title"),
    SearchKind(
        "sector", "sector", "code", "Sectors",
        rows="SELECT t.code, t.name_zh, t.name_en, NULL, NULL, NULL, NULL, NULL FROM sector t",
        describe="""
        SELECT s.name_zh, s.name_en,
               -- as the roll-ups count them: a million projects' sector counted by their index takes too long
               (SELECT coalesce(sum(projects), 0) FROM rollup_cell WHERE sector = s.code) || ' projects',
               NULL, NULL, NULL FROM sector s WHERE s.code = ?""",
        nearest=lambda tree, ref: tree.sector_order(str(ref)), name_column="name_zh"),
)
BY_NAME = {kind.name: kind for kind in SEARCH_KINDS}
