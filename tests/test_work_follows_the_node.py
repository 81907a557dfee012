"""Opening a node costs what the node holds, not what the file holds: a county with thousands of
other counties' figures beside it opens with the same work as in the bundled file. Work is
counted in SQLite's own steps, not in seconds, so the test says the same on any machine."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from support import copy_database

from tui.data import Atlas, open_database
from tui.data.rollup import project_sums

# A project whose figures are parts of totals outside it: summing it looks those totals up.
PROJECT_WITH_OUTSIDE_TOTALS = """
    SELECT f.project_id FROM figure f JOIN figure t ON t.id = f.part_of_id
    WHERE f.project_id IS NOT NULL AND t.project_id IS NOT f.project_id ORDER BY f.id LIMIT 1"""


def steps(db: sqlite3.Connection, call) -> int:
    """How many thousand virtual-machine steps SQLite takes for `call`."""
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0
    db.set_progress_handler(count, 1000)
    try:
        call()
    finally:
        db.set_progress_handler(None, 0)
    return counted[0]


def add_other_counties_figures(path: Path, how_many: int) -> None:
    """Copies of the bundled figures of places, as another program would add them."""
    db = sqlite3.connect(path)
    with db:
        db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
            INSERT INTO figure (place_id, measure, name, value, unit, year, document, evidence)
            SELECT f.place_id, f.measure, f.name, f.value + n.i, f.unit, f.year, f.document, f.evidence
            FROM n, (SELECT * FROM figure WHERE place_id IS NOT NULL ORDER BY id LIMIT 1) f""", {"count": how_many})
    db.close()


def test_a_projects_sums_and_its_tree_node_cost_the_same_beside_thousands_more_figures(seed_db, tmp_path):
    small, large = copy_database(seed_db, tmp_path / "small.db"), copy_database(seed_db, tmp_path / "large.db")
    add_other_counties_figures(large, 3_000)

    def work(path: Path) -> int:
        db = open_database(path)            # brings the roll-ups up to date first, outside the count
        (project,) = db.execute(PROJECT_WITH_OUTSIDE_TOTALS).fetchone()
        atlas = Atlas(db)
        node = atlas.project(project)
        assert node is not None
        return steps(db, lambda: (project_sums(db, project), atlas.project(project)))

    assert work(large) <= 2 * work(small) + 5
