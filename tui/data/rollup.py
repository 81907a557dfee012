"""Keeping the roll-up tables (db/rollup.sql) in step with the figures.

Triggers queue every changed cell in `rollup_stale`, whichever program changed it; `refresh`
recomputes the queued cells. A file Duikou may not write gets the same tables in its connection's
temporary schema instead (derived.compute_rollups_in_memory), which shadow the stale ones.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

SAMPLE = 20          # ids kept per roll-up row of figures that no total covers
_CHAIN_LIMIT = 64    # a longer chain of part_of_id is a cycle

SAME_CELL, SAME_PAIRING, DONOR_PLACE, NOWHERE_SURE = 1, 2, 3, 4


def is_stale(db: sqlite3.Connection) -> bool:
    """Whether any cell waits to be recomputed, or the tables are missing (a file built before them)."""
    try:
        return db.execute("SELECT EXISTS (SELECT 1 FROM rollup_stale)").fetchone()[0] == 1
    except sqlite3.OperationalError:
        return True


def queue_everything(db: sqlite3.Connection) -> None:
    db.execute("""INSERT OR IGNORE INTO rollup_stale
                  SELECT 'pairing', id FROM pairing WHERE parent_id IS NULL
                  UNION ALL SELECT 'place', place_id FROM figure
                  WHERE place_id IS NOT NULL AND pairing_id IS NULL AND project_id IS NULL""")


@dataclass
class _Figure:
    id: int
    pairing: int | None
    place: int | None
    sector: str | None
    shown_sector: str | None
    year: int | None
    measure: str
    unit: str
    value: float
    part_of: int | None


@dataclass
class _Row:
    value: float = 0.0
    figures: int = 0
    largest: float = 0.0
    covered: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    covered_count: list[int] = field(default_factory=lambda: [0, 0, 0])
    sample: list[int] = field(default_factory=list)

    def add(self, figure: _Figure, level: int | None, has_total: bool) -> None:
        """Count `figure`, covered from `level` up (None: never), in this row."""
        self.value += figure.value
        self.figures += 1
        self.largest = max(self.largest, figure.value)
        for index in range(3):
            if level is not None and level <= index + 1:
                self.covered[index] += figure.value
                self.covered_count[index] += 1
        if not has_total and len(self.sample) < SAMPLE:
            self.sample.append(figure.id)


def _grains(figure: _Figure) -> list[tuple]:
    """The keys of the rows that count `figure`, from the finest grain to the coarsest."""
    return [(0, figure.pairing, figure.place, figure.sector, figure.shown_sector, figure.year, figure.measure, figure.unit),
            (1, figure.pairing, figure.place, figure.sector, None, None, figure.measure, figure.unit),
            (2, figure.pairing, figure.place, None, None, None, figure.measure, figure.unit)]


_BATCH = 32     # top-level pairings recomputed at a time: a national database's fit in memory in turn

_BATCH_PAIRINGS = "SELECT value FROM json_each(:pairings)"
_BATCH_PLACES = "SELECT value FROM json_each(:places)"
# Every pairing under the batch's top-level ones, with its top-level one.
_MEMBERS = f"""
WITH batch(root) AS ({_BATCH_PAIRINGS}),
members AS (SELECT id, coalesce(parent_id, id) AS root FROM pairing WHERE coalesce(parent_id, id) IN batch)"""
_STALE_FIGURES = _MEMBERS + """
SELECT f.id, m.root, NULL, p.sector, coalesce(f.sector, p.sector), f.year, f.measure, f.unit, f.value, f.part_of_id
FROM members m JOIN project p ON p.pairing_id = m.id JOIN figure f ON f.project_id = p.id
UNION ALL
SELECT f.id, m.root, NULL, f.sector, f.sector, f.year, f.measure, f.unit, f.value, f.part_of_id
FROM members m JOIN figure f ON f.pairing_id = m.id
UNION ALL
SELECT f.id, NULL, f.place_id, NULL, f.sector, f.year, f.measure, f.unit, f.value, f.part_of_id
FROM figure f WHERE f.place_id IN (SELECT value FROM json_each(:places))
  AND f.pairing_id IS NULL AND f.project_id IS NULL"""
_STALE_CELLS = _MEMBERS + """
SELECT m.root, p.sector, count(*) FROM members m JOIN project p ON p.pairing_id = m.id GROUP BY 1, 2"""
_ONE_FIGURE = """SELECT id, pairing_id, place_id, CASE WHEN pairing_id IS NOT NULL THEN sector END, shown_sector,
                        year, measure, unit, value, part_of_id
                 FROM figure_cell WHERE id = ?"""
# Grain 3 from grain 0: a change anywhere moves these sums, and adding up a few hundred thousand
# rows once a refresh costs less than keeping them right row by row.
_OVER_ALL_PAIRINGS = (
    "DELETE FROM rollup WHERE grain = 3",
    """INSERT INTO rollup
        SELECT 3, NULL, NULL, sector, shown_sector, year, measure, unit, sum(value), sum(figures), max(largest),
               sum(covered_1), sum(covered_1_count), sum(covered_2), sum(covered_2_count),
               sum(covered_3), sum(covered_3_count), coalesce(max(nullif(sample, '')), '')
        FROM rollup WHERE grain = 0 AND pairing_id IS NOT NULL
        GROUP BY sector, shown_sector, year, measure, unit""",
)
_FORGET = (
    f"DELETE FROM rollup WHERE pairing_id IN ({_BATCH_PAIRINGS})",
    f"DELETE FROM rollup WHERE pairing_id IS NULL AND place_id IN ({_BATCH_PLACES})",
    f"DELETE FROM rollup_part WHERE pairing_id IN ({_BATCH_PAIRINGS})",
    f"DELETE FROM rollup_part WHERE pairing_id IS NULL AND place_id IN ({_BATCH_PLACES})",
    f"DELETE FROM rollup_cell WHERE pairing_id IN ({_BATCH_PAIRINGS})",
)


def refresh(db: sqlite3.Connection) -> int:
    """Recompute every queued cell; run inside the caller's transaction. Returns how many."""
    # A part whose total lies in a changed cell may be covered differently now: recompute its cell too.
    db.execute("""INSERT OR IGNORE INTO rollup_stale
                  SELECT CASE WHEN pairing_id IS NULL THEN 'place' ELSE 'pairing' END, coalesce(pairing_id, place_id)
                  FROM rollup_part
                  WHERE ancestor_pairing_id IN (SELECT ref FROM rollup_stale WHERE kind = 'pairing')
                     OR ancestor_place_id IN (SELECT ref FROM rollup_stale WHERE kind = 'place')""")
    todo = db.execute("SELECT kind, ref FROM rollup_stale ORDER BY kind, ref").fetchall()
    donor_place = dict(db.execute("SELECT id, donor_place_id FROM pairing WHERE parent_id IS NULL"))
    for start in range(0, len(todo), _BATCH):
        batch = todo[start:start + _BATCH]
        _recompute(db, {"pairings": json.dumps([ref for kind, ref in batch if kind == "pairing"]),
                        "places": json.dumps([ref for kind, ref in batch if kind == "place"])}, donor_place)
    if todo:
        for statement in _OVER_ALL_PAIRINGS:
            db.execute(statement)
    db.execute("DELETE FROM rollup_stale")
    return len(todo)


def _recompute(db: sqlite3.Connection, batch: dict[str, str], donor_place: dict[int, int]) -> None:
    """The roll-up rows of the cells of some top-level pairings and places, afresh."""
    for statement in _FORGET:
        db.execute(statement, batch)
    figures = {row[0]: _Figure(*row) for row in db.execute(_STALE_FIGURES, batch)}
    cells: dict[tuple[int, str], int] = {(f.pairing, f.sector): 0 for f in figures.values()
                                         if f.pairing is not None and f.sector is not None}
    cells.update(((root, sector), count) for root, sector, count in db.execute(_STALE_CELLS, batch))

    rows: dict[tuple, _Row] = defaultdict(_Row)
    parts = []
    for figure in list(figures.values()):
        # (ancestor, its reach, whether it counts the same measure in the same unit)
        links = [(ancestor, _reach(figure, ancestor, donor_place), _covers(ancestor, figure))
                 for ancestor in _ancestors(db, figure, figures)]
        level = min((reach for _, reach, covers in links if covers and reach is not None), default=None)
        for key in _grains(figure):
            rows[key].add(figure, level, has_total=any(covers for _, _, covers in links))
        parts += [(figure.id, ancestor.id, figure.pairing, figure.place, figure.sector, figure.shown_sector,
                   figure.year, figure.measure, figure.unit, figure.value, ancestor.pairing, ancestor.place,
                   ancestor.sector, int(covers), reach, NOWHERE_SURE if level is None else level)
                  for ancestor, reach, covers in links]

    db.executemany("INSERT INTO rollup VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(*key, row.value, row.figures, row.largest,
                     row.covered[0], row.covered_count[0], row.covered[1], row.covered_count[1],
                     row.covered[2], row.covered_count[2], " ".join(map(str, row.sample)) if key[0] == 0 else "")
                    for key, row in rows.items()])
    db.executemany("INSERT OR IGNORE INTO rollup_part VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", parts)
    db.executemany("INSERT INTO rollup_cell VALUES (?, ?, ?)",
                   [(root, sector, count) for (root, sector), count in cells.items()])


def _ancestors(db: sqlite3.Connection, figure: _Figure, known: dict[int, _Figure]) -> list[_Figure]:
    ancestors: list[_Figure] = []
    seen = {figure.id}
    parent = figure.part_of
    while parent is not None and parent not in seen and len(ancestors) < _CHAIN_LIMIT:
        seen.add(parent)
        ancestor = known.get(parent)
        if ancestor is None:
            row = db.execute(_ONE_FIGURE, (parent,)).fetchone()
            if row is None:
                break        # a part_of_id naming no figure: `duikou check` reports it
            ancestor = known[parent] = _Figure(*row)
        ancestors.append(ancestor)
        parent = ancestor.part_of
    return ancestors


def _covers(ancestor: _Figure, figure: _Figure) -> bool:
    return ancestor.measure == figure.measure and ancestor.unit == figure.unit


def _reach(figure: _Figure, ancestor: _Figure, donor_place: dict[int, int]) -> int | None:
    """From which scope up `ancestor` is summed wherever `figure` is; None: it depends on the scope."""
    if figure.pairing is not None:
        if ancestor.pairing == figure.pairing:
            return SAME_CELL if ancestor.sector == figure.sector else SAME_PAIRING
        if ancestor.pairing is None and ancestor.place == donor_place.get(figure.pairing):
            return DONOR_PLACE
        return None
    return SAME_CELL if ancestor.pairing is None and ancestor.place == figure.place else None
