"""What `duikou export` writes: the projects and figures under one tree node, one at a time.

Items come off a single cursor and each is completed with the Atlas's own project and figure
records, so an export of a million projects holds one project in memory, never the whole set.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from tui.data.atlas import ORDERS, PAGE, Atlas, Figure, Project, Quote, Scope
from tui.data.errors import DuikouError


class Pairing(NamedTuple):
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
    totals: tuple[PairingTotal, ...] = ()


class PairingTotal(NamedTuple):
    """A pairing's total of one measure on one basis, as the public view v_total gives it: the
    non-overlapping sum of `figures` figures, and `beside` what may be part of it but is not in it."""
    measure: str
    unit: str
    basis: str
    value: float
    qualifier: str | None
    year_from: int | None
    year_to: int | None
    figures: int
    beside: float | None


@dataclass(frozen=True)
class Item:
    """A project with its figures, or a figure on no project (a pairing's, a donor's, a place's own)."""
    pairing: Pairing | None
    project: Project | None = None
    figure: Figure | None = None
    donor: str | None = None            # of a figure on no project, as v_metric names them
    recipient: str | None = None
    bases: dict[int, str] = field(default_factory=dict)   # each figure's basis: 'actual' or 'planned'
    apart: frozenset[int] = frozenset()  # figures the curator cannot place inside or outside a sum


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
SELECT root, is_project, ref, place, place_gives FROM (
SELECT coalesce(pr.parent_id, pr.id) AS root, 1 AS is_project, p.sector AS sector, p.name AS name, p.id AS ref,
       NULL AS place, NULL AS place_gives
  FROM project p JOIN pairing pr ON pr.id = p.pairing_id
 WHERE p.id IN (SELECT id FROM projects)
UNION ALL
SELECT (SELECT coalesce(pr.parent_id, pr.id) FROM pairing pr WHERE pr.id = f.pairing_id), 0, f.sector, f.name, f.id,
       (SELECT name FROM place WHERE id = f.place_id),
       EXISTS (SELECT 1 FROM pairing d WHERE d.donor_place_id = f.place_id AND d.parent_id IS NULL)
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
    for root, is_project, ref, place, place_gives in atlas.db.execute(_ITEMS, atlas.scope_params(scope)):
        if root is not None and (pairing is None or pairing.id != root):
            pairing = _pairing(atlas, root)
        elif root is None:
            pairing = None
        if is_project:
            project = atlas.project(ref)
            if project is not None:
                yield Item(pairing, project=project, **_accounts(atlas, "project_id", ref))
            continue
        figure = atlas.figure_alone(ref)
        if figure is None:
            continue
        # Named as v_metric names them: a pairing's figure by its pairing; a place's own by the
        # place, as donor when it gives to some pairing, else as recipient.
        if pairing is not None:
            donor, recipient = pairing.donor, pairing.recipient
        else:
            donor, recipient = (place, None) if place_gives else (None, place)
        yield Item(pairing, figure=figure, donor=donor, recipient=recipient, **_accounts(atlas, "id", ref))


# A figure's basis as README "The schema" defines it: its own, or when not given, planned for a
# figure qualified as planned and actual for any other.
_ACCOUNTS = {column: f"""
    SELECT id, coalesce(basis, CASE WHEN qualifier = 'planned' THEN 'planned' ELSE 'actual' END), counts_in_sums
      FROM figure WHERE {column} = ?""" for column in ("id", "project_id")}


def _accounts(atlas: Atlas, column: str, ref: int) -> dict:
    rows = atlas.db.execute(_ACCOUNTS[column], (ref,)).fetchall()
    return {"bases": {figure_id: basis for figure_id, basis, _ in rows},
            "apart": frozenset(figure_id for figure_id, _, counts in rows if not counts)}


def _pairing(atlas: Atlas, pairing_id: int) -> Pairing:
    row = atlas.db.execute(_PAIRING, (pairing_id,)).fetchone()
    return Pairing(*row[:8], atlas.place_path(row[8]), atlas.pairing_quotes(pairing_id),
                   pairing_totals(atlas, row[1], row[2]))


_TOTALS = """
    SELECT measure, unit, basis, value, qualifier, year_from, year_to, figures, beside FROM v_total
     WHERE scope = 'pairing' AND donor = ? AND recipient = ? AND sector IS NULL AND year IS NULL
     ORDER BY measure, unit, basis"""


def pairing_totals(atlas: Atlas, donor: str, recipient: str) -> tuple[PairingTotal, ...]:
    """A pairing's totals, all sectors and all years, from the public view v_total: the one place
    a report takes its sums from, so that it prints what the app and users' SQL see."""
    return tuple(PairingTotal(*row) for row in atlas.db.execute(_TOTALS, (donor, recipient)))


def sector_dac5(atlas: Atlas) -> dict[str, int]:
    """Each sector's default DAC 5 purpose code."""
    return dict(atlas.db.execute("SELECT code, dac5 FROM sector"))


class _NoSuchStep(Exception):
    """A path's step that names nothing at its level: how far the path got, and what was there."""

    def __init__(self, depth: int, level: str, wanted: str, above: list[str], labels: list[str]) -> None:
        super().__init__(level)
        self.depth, self.level, self.wanted, self.above, self.labels = depth, level, wanted, above, labels


def resolve_node(atlas: Atlas, path: str) -> tuple[Scope, tuple[str, ...]]:
    """The scope of the tree node `path` names, with the labels of its steps. A path is what the
    tree shows in any of its orders (donor/recipient/sector/project, recipient/donor/…,
    sector/donor/project), a sector by its code or its Chinese or English name, a project by name
    or anywhere as #ID; a donor, recipient or sector alone needs no more when the name is unique.

    A name may itself hold a slash (a sector's 教育/支教/助学), so each step takes the longest
    name the rest of the path starts with, and a project is all that is left of it."""
    path = path.strip().strip("/")
    if path.startswith("#") and path[1:].isdigit():
        return _project_anywhere(atlas, int(path[1:]))
    found: list[tuple[str, Scope, tuple[str, ...]]] = []
    failures: list[_NoSuchStep] = []
    sector_names = _sector_names(atlas)
    for order, levels in ORDERS.items():
        try:
            found.append((order, *_walk(atlas, levels, path, sector_names)))
        except _NoSuchStep as failure:
            failures.append(failure)
        if found and "/" in path:     # only a name alone may stand for two nodes
            break
    if len(found) > 1 and "/" not in path:
        raise DuikouError(f"“{path}” is both a {' and a '.join(order for order, _, _ in found)}: "
                          f"give its path, e.g. {found[0][2][0]}/…")
    if found:
        return found[0][1:]
    deepest = max(failures, key=lambda failure: failure.depth)   # the first order's, of equals
    if deepest.depth == 0:
        raise DuikouError(_no_such("donor, recipient or sector", deepest.wanted, [],
                                   [label for failure in failures for label in failure.labels]))
    raise DuikouError(_no_such(deepest.level, deepest.wanted, deepest.above, deepest.labels))


def _sector_names(atlas: Atlas) -> dict[str, tuple[str, ...]]:
    """What may name each sector: its code, its Chinese and English names, and each part of its
    Chinese name that no other sector's holds (教育 of 教育/支教/助学)."""
    rows = atlas.db.execute("SELECT code, name_zh, name_en FROM sector").fetchall()
    parts = [part for _, zh, _ in rows for part in set(zh.split("/"))]
    return {code: (code, zh, en, *(part for part in zh.split("/") if parts.count(part) == 1))
            for code, zh, en in rows}


def _walk(atlas: Atlas, levels: tuple[str, ...], path: str, sector_names: dict[str, tuple[str, ...]]
          ) -> tuple[Scope, tuple[str, ...]]:
    scope, labels, rest = Scope(), [], path
    for level in levels:
        if not rest:
            break
        if level == "project":   # the rest of the path is the name: ask for it, not for every project
            return _project_node(atlas, scope, rest, labels)
        choices = _choices(atlas, scope, level, sector_names)
        wanted = rest.lower()
        fits = [(len(key), child, label) for child, label, keys in choices for key in keys
                if wanted == key.lower() or wanted.startswith(key.lower() + "/")]
        if not fits:
            raise _NoSuchStep(len(labels), level, rest.split("/")[0], labels, [label for _, label, _ in choices])
        used, scope, label = max(fits, key=lambda fit: fit[0])
        rest = rest[used:].lstrip("/")
        labels.append(label)
    if rest:
        raise _NoSuchStep(len(labels), "step", rest, labels, [])
    return scope, tuple(labels)


_PROJECT_ANYWHERE = """
    SELECT coalesce(pr.parent_id, pr.id), p.sector, s.name_zh, p.name FROM project p
      JOIN pairing pr ON pr.id = p.pairing_id JOIN sector s ON s.code = p.sector WHERE p.id = ?"""


def _project_anywhere(atlas: Atlas, ref: int) -> tuple[Scope, tuple[str, ...]]:
    row = atlas.db.execute(_PROJECT_ANYWHERE, (ref,)).fetchone()
    if row is None:
        raise DuikouError(f"there is no project #{ref}")
    root, sector, sector_name, name = row
    donor, recipient = atlas.db.execute("SELECT donor, recipient FROM pairing_names WHERE id = ?", (root,)).fetchone()
    scope = atlas.pairing_scope(root)._replace(sector=sector, project=ref)
    return scope, (donor, recipient, f"{sector_name} {sector}", name)


def _project_node(atlas: Atlas, scope: Scope, name: str, labels: list[str]) -> tuple[Scope, tuple[str, ...]]:
    found = atlas.db.execute(_PROJECT_NAMED, atlas.scope_params(scope, name=name)).fetchall()
    if len(found) > 1:
        raise DuikouError(f"more than one project under {'/'.join(labels)} is named “{name}”: "
                          f"give one as {', '.join(f'#{ref}' for ref, _ in found)}")
    if not found:
        labels_seen = [label for _, label, _ in _choices(atlas, scope, "project", {}, pages=10)]
        raise _NoSuchStep(len(labels), "project", name, labels, labels_seen)
    (ref, label), = found
    return scope._replace(project=ref), (*labels, label)


def _choices(atlas: Atlas, scope: Scope, level: str, sector_names: dict[str, tuple[str, ...]],
             pages: int | None = None
             ) -> list[tuple[Scope, str, tuple[str, ...]]]:
    """The children at `level` under `scope` (all, or the first pages), with the names that may stand for each."""
    found: list[tuple[Scope, str, tuple[str, ...]]] = []
    while pages is None or len(found) < pages * PAGE:
        page = atlas.child_scopes(scope, level, len(found), PAGE)
        for child, label in page:
            keys = (label, *sector_names.get(child.sector, ())) if level == "sector" else (label,)
            found.append((child, label, keys))
        if len(page) < PAGE:
            break
    return found


def _no_such(level: str, wanted: str, above: list[str], labels: list[str]) -> str:
    where = "/".join(above) or "the top"
    if not labels:
        return f"no {level} under {where}: it has nothing below it"
    return f"no {level} “{wanted}” under {where}; nearest: {', '.join(nearest(wanted, labels))}"


def nearest(wanted: str, labels: list[str], count: int = 5) -> list[str]:
    """The labels most like `wanted`, most alike first: those holding it (九龙 in 九龙县) before
    the rest, each by difflib's similarity."""
    wanted = wanted.lower()

    def likeness(label: str) -> float:
        label = label.lower()
        return (wanted in label) + difflib.SequenceMatcher(None, wanted, label).ratio()
    return sorted(dict.fromkeys(labels), key=likeness, reverse=True)[:count]
