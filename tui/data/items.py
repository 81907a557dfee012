"""What `duikou export` writes: the projects and figures under one tree node, one at a time.

Items come off a single cursor and each is completed with the Atlas's own project and figure
records, so an export of a million projects holds one project in memory, never the whole set.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Iterator

from tui.data.atlas import ORDERS, PAGE, Atlas, Figure, Project, Quote, Scope
from tui.data.errors import DuikouError


@dataclass(frozen=True)
class Pairing:
    """A top-level pairing, as an export's heading."""
    id: int
    donor: str
    recipient: str
    kind: str
    level: str
    start_year: int | None
    end_year: int | None
    note: str | None
    recipient_place: tuple[str, ...]    # where the recipient sits, country first
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Item:
    """A project with its figures, or a figure on no project (a pairing's, a donor's, a place's own)."""
    pairing: Pairing | None
    project: Project | None = None
    figure: Figure | None = None
    donor: str | None = None            # of a figure on no project, as v_metric names them
    recipient: str | None = None


# Projects in the tree order (sector, then name); a pairing's own figures before its projects.
# Figures on no project: those the scope holds, plus, for the whole set or a recipient, the
# figures describing a place's own situation (a county's poverty rate), which no pairing holds.
_PROJECTS = """
WITH projects AS (
    SELECT id FROM project WHERE pairing_id IN (SELECT value FROM json_each(:members))
      AND (:sector IS NULL OR sector = :sector) AND (:project IS NULL OR id = :project OR parent_id = :project)
)"""
_ITEMS = _PROJECTS + """, loose AS (
    SELECT id FROM figure WHERE :project IS NULL AND pairing_id IN (SELECT value FROM json_each(:members))
                            AND (:sector IS NULL OR sector = :sector)
    UNION
    SELECT id FROM figure WHERE :project IS NULL AND project_id IS NULL AND pairing_id IS NULL
                            AND place_id IN (SELECT value FROM json_each(:places))
    UNION
    SELECT id FROM figure
     WHERE project_id IS NULL AND pairing_id IS NULL AND :sector IS NULL AND :project IS NULL
       AND (place_id = :recipient_place OR (:donor_place IS NULL AND :recipient_place IS NULL))
)
SELECT * FROM (
SELECT coalesce(pr.parent_id, pr.id) AS root, 1 AS is_project, p.sector AS sector, p.name AS name, p.id AS ref
  FROM project p JOIN pairing pr ON pr.id = p.pairing_id
 WHERE p.id IN (SELECT id FROM projects)
UNION ALL
SELECT (SELECT coalesce(pr.parent_id, pr.id) FROM pairing pr WHERE pr.id = f.pairing_id), 0, f.sector, f.name, f.id
  FROM figure f WHERE f.id IN (SELECT id FROM loose))
ORDER BY root IS NULL, root, is_project, sector, name, ref"""

_PROJECT_NAMED = _PROJECTS + """
    SELECT id, name FROM project WHERE id IN (SELECT id FROM projects) AND (name = :name OR '#' || id = :name)
    ORDER BY id LIMIT 5"""

_PAIRING = """
    SELECT pr.id, n.donor, n.recipient, pr.kind, pr.level, pr.start_year, pr.end_year, pr.note,
           pr.recipient_place_id
      FROM pairing pr JOIN pairing_names n ON n.id = pr.id WHERE pr.id = ?"""


def items(atlas: Atlas, scope: Scope) -> Iterator[Item]:
    """Every project and every figure on no project under `scope`, grouped by top-level pairing."""
    pairing: Pairing | None = None
    for root, is_project, _sector, _name, ref in atlas.db.execute(_ITEMS, atlas.scope_params(scope)):
        if root is not None and (pairing is None or pairing.id != root):
            pairing = _pairing(atlas, root)
        elif root is None:
            pairing = None
        if is_project:
            project = atlas.project(ref)
            if project is not None:
                yield Item(pairing, project=project)
            continue
        found = atlas.figure(ref)
        if found is not None:
            figure, donor, recipient = found
            yield Item(pairing, figure=figure, donor=donor, recipient=recipient)


def _pairing(atlas: Atlas, pairing_id: int) -> Pairing:
    row = atlas.db.execute(_PAIRING, (pairing_id,)).fetchone()
    return Pairing(*row[:8], atlas.place_path(row[8]), atlas.pairing_quotes(pairing_id))


def sector_dac5(atlas: Atlas) -> dict[str, int]:
    """Each sector's default DAC 5 purpose code."""
    return dict(atlas.db.execute("SELECT code, dac5 FROM sector"))


def resolve_node(atlas: Atlas, path: str) -> tuple[Scope, tuple[str, ...]]:
    """The scope of the tree node `path` names (donor/recipient/sector/project, by the names the
    app shows; a sector by its code or its name, a project also as #ID), with the labels of its steps.

    A name may itself hold a slash (a sector's 教育/支教/助学), so each step takes the longest
    name the rest of the path starts with, and a project is all that is left of it."""
    scope, labels, rest = Scope(), [], path.strip().strip("/")
    for level in ORDERS["donor"]:
        if not rest:
            break
        if level == "project":   # the rest of the path is the name: ask for it, not for every project
            return _project_node(atlas, scope, rest, labels)
        choices = _choices(atlas, scope, level)
        fits = [(len(key), child, label) for child, label, keys in choices for key in keys
                if rest == key or rest.startswith(key + "/")]
        if not fits:
            raise DuikouError(_no_such(level, rest.split("/")[0], labels, [label for _, label, _ in choices]))
        used, scope, label = max(fits, key=lambda fit: fit[0])
        rest = rest[used:].lstrip("/")
        labels.append(label)
    return scope, tuple(labels)


def _project_node(atlas: Atlas, scope: Scope, name: str, labels: list[str]) -> tuple[Scope, tuple[str, ...]]:
    found = atlas.db.execute(_PROJECT_NAMED, atlas.scope_params(scope, name=name)).fetchall()
    if len(found) > 1:
        raise DuikouError(f"more than one project under {'/'.join(labels)} is named “{name}”: "
                          f"give one as {', '.join(f'#{ref}' for ref, _ in found)}")
    if not found:
        labels_seen = [label for _, label, _ in _choices(atlas, scope, "project", pages=10)]
        raise DuikouError(_no_such("project", name, labels, labels_seen))
    (ref, label), = found
    return replace(scope, project=ref), (*labels, label)


def _choices(atlas: Atlas, scope: Scope, level: str, pages: int | None = None
             ) -> list[tuple[Scope, str, tuple[str, ...]]]:
    """The children at `level` under `scope` (all, or the first pages), with the names that may stand for each."""
    found: list[tuple[Scope, str, tuple[str, ...]]] = []
    while pages is None or len(found) < pages * PAGE:
        page = atlas.child_scopes(scope, level, len(found), PAGE)
        for child, label in page:
            keys = (label, child.sector, label.removesuffix(f" {child.sector}")) if level == "sector" else (label,)
            found.append((child, label, keys))
        if len(page) < PAGE:
            break
    return found


def _no_such(level: str, wanted: str, above: list[str], labels: list[str]) -> str:
    where = "/".join(above) or "the top"
    if not labels:
        return f"no {level} under {where}: it has nothing below it"
    nearest = difflib.get_close_matches(wanted, labels, n=5, cutoff=0.2) or labels[:5]
    return f"no {level} “{wanted}” under {where}; nearest: {', '.join(nearest)}"
