"""From any item (a search hit: place, organisation, person, figure, document …) to the tree node
nearest it, in a given order of the tree."""
from __future__ import annotations

import sqlite3

from tui.data.atlas import ORDERS, Atlas, Scope
from tui.data.kinds import BY_NAME, Node
from tui.data.places import PLACE_AND_ABOVE


def nearest_node(atlas: Atlas, kind: str, ref: int | str, order: str) -> tuple[str, Scope] | None:
    """The order and scope of the tree node nearest an item (a search hit): in `order` when it has
    one, else in the donor order; None when no node is near (a document quoted by nothing in the tree)."""
    found = _nearest(atlas, kind, ref, depth=0)
    if found is None:
        return None
    scope, level = found
    for candidate in dict.fromkeys((order, "donor")):
        levels = ORDERS[candidate]
        if level not in levels:
            continue
        keep = levels[:levels.index(level) + 1]
        if all(getattr(scope, name) is not None for name in keep):
            return candidate, Scope(**{name: getattr(scope, name) for name in keep})
    return None


def _nearest(atlas: Atlas, kind: str, ref: int | str, depth: int) -> Node | None:
    if depth > 8 or kind not in BY_NAME:
        return None
    try:
        return BY_NAME[kind].nearest(_Tree(atlas, depth), ref)
    except (sqlite3.Error, ValueError, TypeError):
        return None


class _Tree:
    """The tree as a kind's `nearest` asks it, `depth` items away from the hit (so that a loop of
    parent organisations ends)."""

    def __init__(self, atlas: Atlas, depth: int) -> None:
        self.atlas, self.depth = atlas, depth

    def row(self, sql: str, params: tuple | dict) -> tuple | None:
        return self.atlas.db.execute(sql, params).fetchone()

    def first(self, kinds: tuple[str, ...], refs: tuple | None) -> Node | None:
        for kind, ref in zip(kinds, refs or ()):
            if ref is not None:
                return _nearest(self.atlas, kind, ref, self.depth + 1)
        return None

    def project(self, project_id: int) -> Node | None:
        return _project(self.atlas, project_id)

    def pairing(self, pairing_id: int) -> Node | None:
        return _pairing(self.atlas, pairing_id)

    def donor(self, pairing_id: int) -> Node | None:
        found = _pairing(self.atlas, pairing_id)
        return (found[0], "donor") if found else None

    def sector(self, pairing_id: int, sector: str) -> Node | None:
        found = _pairing(self.atlas, pairing_id)
        return (found[0]._replace(sector=sector), "sector") if found else None

    def place(self, place_id: int) -> Node | None:
        return _place(self.atlas, place_id)

    def sector_order(self, sector: str) -> Node | None:
        return Scope(sector=sector), "sector"


def _root_pairing(atlas: Atlas, pairing_id: int) -> int | None:
    seen: set[int] = set()
    while pairing_id not in seen:
        seen.add(pairing_id)
        row = atlas.db.execute("SELECT parent_id FROM pairing WHERE id = ?", (pairing_id,)).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return pairing_id
        pairing_id = row[0]
    return None


def _pairing(atlas: Atlas, pairing_id: int) -> Node | None:
    """A pairing's node: its recipient under its donor."""
    root = _root_pairing(atlas, pairing_id)
    return None if root is None else (atlas.pairing_scope(root), "recipient")


def _project(atlas: Atlas, project_id: int) -> Node | None:
    """A project's node; a part of a project in the same pairing and sector is shown as its whole."""
    row = atlas.db.execute("SELECT pairing_id, sector, parent_id FROM project WHERE id = ?", (project_id,)).fetchone()
    if row is None:
        return None
    pairing, sector, parent = row
    root = _root_pairing(atlas, pairing)
    if root is None:
        return None
    seen = {project_id}
    while parent is not None and parent not in seen:
        above = atlas.db.execute("SELECT pairing_id, sector, parent_id FROM project WHERE id = ?",
                                 (parent,)).fetchone()
        if above is None or above[1] != sector or _root_pairing(atlas, above[0]) != root:
            break
        seen.add(parent)
        project_id, parent = parent, above[2]
    return atlas.pairing_scope(root)._replace(sector=sector, project=project_id), "project"


def _place(atlas: Atlas, place_id: int) -> Node | None:
    """The recipient (else donor) node of the place, of the nearest place above it, else of one below."""
    db = atlas.db
    above = [pid for (pid,) in db.execute(PLACE_AND_ABOVE + " SELECT id FROM up ORDER BY depth", (place_id,))]
    for place in above:
        for side in ("recipient", "donor"):
            row = db.execute(f"SELECT id FROM pairing WHERE parent_id IS NULL AND {side}_place_id = ? "
                             f"ORDER BY {side}_org_id IS NOT NULL, id LIMIT 1", (place,)).fetchone()
            if row is not None:
                return atlas.pairing_scope(row[0]), side
    row = db.execute("""
        WITH RECURSIVE down(id, depth) AS (
            SELECT id, 0 FROM place WHERE id = ?
            UNION ALL SELECT p.id, down.depth + 1 FROM place p JOIN down ON p.parent_id = down.id
             WHERE down.depth < 6 LIMIT 5000)
        SELECT id FROM pairing WHERE parent_id IS NULL AND recipient_place_id IN (SELECT id FROM down)
         ORDER BY id LIMIT 1""", (place_id,)).fetchone()
    return (atlas.pairing_scope(row[0]), "recipient") if row is not None else None
