"""The stored roll-ups give the same sums as adding the figures up from scratch, for every scope of
randomly drawn data, after the data changes, and on files Duikou may not write."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing
from itertools import product
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.data import open_database, rollup
from tui.data.atlas import ORDERS, Atlas, Party, Scope
from tui.data.bundled import ROLLUP, SCHEMA
from tui.data.check import check

SECTORS = ("overall", "education", "health")
MEASURES = ("aid_funds", "donation")
DONORS, RECIPIENTS = (1, 2), (3, 4, 5)

# Which figures a scope holds, as the design defines it: a pairing's figures (and its projects')
# when the pairing is in scope and the sector matches; a donor place's own figures when the scope
# names no recipient and no sector.
IN_SCOPE = """
WITH roots AS (
    SELECT id, donor_place_id FROM pairing WHERE parent_id IS NULL
      AND (:donor IS NULL OR donor_place_id = :donor) AND (:recipient IS NULL OR recipient_place_id = :recipient)),
pairings AS (SELECT id FROM pairing WHERE coalesce(parent_id, id) IN (SELECT id FROM roots)),
projects AS (SELECT id FROM project WHERE pairing_id IN (SELECT id FROM pairings)
                                     AND (:sector IS NULL OR sector = :sector))
SELECT id, measure, unit, value, part_of_id FROM figure
WHERE project_id IN (SELECT id FROM projects)
   OR (pairing_id IN (SELECT id FROM pairings) AND (:sector IS NULL OR sector = :sector))
   OR (:sector IS NULL AND :recipient IS NULL AND project_id IS NULL AND pairing_id IS NULL
       AND place_id IN (SELECT donor_place_id FROM roots))"""


def sums_from_scratch(db: sqlite3.Connection, donor, recipient, sector) -> dict[tuple[str, str], float]:
    rows = db.execute(IN_SCOPE, {"donor": donor, "recipient": recipient, "sector": sector}).fetchall()
    part_of = dict(db.execute("SELECT id, part_of_id FROM figure"))
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for figure_id, measure, unit, *_ in rows:
        groups[(measure, unit)].add(figure_id)
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for figure_id, measure, unit, value, parent in rows:
        seen = set()
        while parent is not None and parent not in groups[(measure, unit)] and parent not in seen:
            seen.add(parent)
            parent = part_of.get(parent)
        if parent is None or parent in seen:
            sums[(measure, unit)] += value
    return dict(sums)


def sums_from_rollups(db: sqlite3.Connection, donor, recipient, sector) -> dict[tuple[str, str], float]:
    scope = Scope(Party(donor) if donor else None, Party(recipient) if recipient else None, sector)
    return {(total.measure, total.unit): total.value for total in Atlas(db).totals(scope) if total.added_count}


def every_scope():
    return product((None, *DONORS), (None, *RECIPIENTS), (None, *SECTORS))


def assert_same_sums(db: sqlite3.Connection) -> None:
    for donor, recipient, sector in every_scope():
        expected = {key: round(value, 6) for key, value in sums_from_scratch(db, donor, recipient, sector).items()}
        stored = {key: round(value, 6) for key, value in sums_from_rollups(db, donor, recipient, sector).items()}
        assert stored == expected, (donor, recipient, sector)


def assert_tree_sums_as_from_scratch(db: sqlite3.Connection) -> None:
    """Every node of every order shows the money and project count its scope holds."""
    atlas = Atlas(db)
    for order in ORDERS:
        pending = [None]
        while pending:
            node = pending.pop()
            for child in atlas.children(node, order):
                scope = child.scope
                if child.level == "project":
                    continue
                money = sums_from_scratch(db, scope.donor and scope.donor.place_id,
                                          scope.recipient and scope.recipient.place_id,
                                          scope.sector).get(("aid_funds", "CNY"))
                assert (None if child.money is None else round(child.money, 6)) == \
                    (None if money is None else round(money, 6)), (order, scope)
                assert child.projects == count_projects(db, scope), (order, scope)
                pending.append(child)


def count_projects(db: sqlite3.Connection, scope: Scope) -> int:
    return db.execute("""SELECT count(*) FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                         JOIN pairing r ON r.id = coalesce(pr.parent_id, pr.id)
                         WHERE (:donor IS NULL OR r.donor_place_id = :donor)
                           AND (:recipient IS NULL OR r.recipient_place_id = :recipient)
                           AND (:sector IS NULL OR p.sector = :sector)""",
                      {"donor": scope.donor and scope.donor.place_id,
                       "recipient": scope.recipient and scope.recipient.place_id,
                       "sector": scope.sector}).fetchone()[0]


def empty_database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA.read_text(encoding="utf-8") + ROLLUP.read_text(encoding="utf-8"))
    db.executemany("INSERT INTO sector VALUES (?, ?, ?, 43042)", [(code, code, code) for code in SECTORS])
    db.executemany("INSERT INTO measure VALUES (?, ?, ?, 1)", [(code, code, code) for code in MEASURES])
    db.executemany("INSERT INTO place (id, name, level) VALUES (?, ?, 'county')",
                   [(place, f"地{place}") for place in (*DONORS, *RECIPIENTS)])
    return db


pairings = st.lists(st.tuples(st.sampled_from(DONORS), st.sampled_from(RECIPIENTS), st.booleans()),
                    min_size=1, max_size=5)
projects = st.lists(st.tuples(st.integers(0, 9), st.sampled_from(SECTORS)), max_size=8)
figures = st.lists(st.tuples(st.sampled_from(("project", "pairing", "place")), st.integers(0, 9),
                             st.sampled_from((None, *SECTORS)), st.sampled_from(MEASURES),
                             st.integers(1, 1000), st.integers(0, 12)),
                   min_size=1, max_size=14)


def fill(db: sqlite3.Connection, pairing_rows, project_rows, figure_rows) -> None:
    """Insert drawn rows; a figure's part_of points at an earlier figure (or none), so chains end."""
    roots: list[int] = []
    for number, (donor, recipient, is_sub) in enumerate(pairing_rows, 1):
        parent = roots[0] if is_sub and roots else None
        if parent is None:
            roots.append(number)
        db.execute("INSERT INTO pairing (id, parent_id, kind, donor_place_id, recipient_place_id) "
                   "VALUES (?, ?, '省内对口帮扶', ?, ?)", (number, parent, donor, recipient))
    for number, (pairing, sector) in enumerate(project_rows, 1):
        db.execute("INSERT INTO project (id, pairing_id, sector, name) VALUES (?, ?, ?, ?)",
                   (number, pairing % len(pairing_rows) + 1, sector, f"项目{number}"))
    for number, (home, ref, sector, measure, value, part_of) in enumerate(figure_rows, 1):
        if home == "project" and not project_rows:
            home = "pairing"
        columns = {"project": (ref % max(len(project_rows), 1) + 1, None, None),
                   "pairing": (None, ref % len(pairing_rows) + 1, None),
                   "place": (None, None, (*DONORS, *RECIPIENTS)[ref % 5])}[home]
        db.execute("INSERT INTO figure (id, project_id, pairing_id, place_id, sector, measure, name, value, unit, "
                   "part_of_id) VALUES (?, ?, ?, ?, ?, ?, '资金', ?, 'CNY', ?)",
                   (number, *columns, sector, measure, value, part_of if 0 < part_of < number else None))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairings, projects, figures)
def test_every_scope_sums_as_if_added_up_from_scratch(pairing_rows, project_rows, figure_rows):
    db = empty_database()
    fill(db, pairing_rows, project_rows, figure_rows)
    rollup.refresh(db)
    assert_same_sums(db)
    assert_tree_sums_as_from_scratch(db)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairings, projects, figures, st.data())
def test_sums_stay_right_after_rows_change(pairing_rows, project_rows, figure_rows, data):
    db = empty_database()
    fill(db, pairing_rows, project_rows, figure_rows)
    rollup.refresh(db)
    figure_ids = [row[0] for row in db.execute("SELECT id FROM figure")]
    target = data.draw(st.sampled_from(figure_ids))
    change = data.draw(st.sampled_from(["unlink", "relink", "revalue", "delete", "move_project", "regroup"]))
    if change == "unlink":
        db.execute("UPDATE figure SET part_of_id = NULL WHERE id = ?", (target,))
    elif change == "relink":
        db.execute("UPDATE figure SET part_of_id = (SELECT min(id) FROM figure) WHERE id = ? AND id <> "
                   "(SELECT min(id) FROM figure)", (target,))
    elif change == "revalue":
        db.execute("UPDATE figure SET value = value * 3, measure = 'donation' WHERE id = ?", (target,))
    elif change == "delete":
        db.execute("UPDATE figure SET part_of_id = NULL WHERE part_of_id = ?", (target,))
        db.execute("DELETE FROM figure WHERE id = ?", (target,))
    elif change == "move_project":
        db.execute("UPDATE project SET sector = 'health', pairing_id = 1 WHERE id = (SELECT min(id) FROM project)")
    else:
        db.execute("UPDATE pairing SET parent_id = NULL WHERE parent_id IS NOT NULL")
    rollup.refresh(db)
    assert_same_sums(db)


def test_rows_added_with_plain_sqlite_are_rolled_up_when_duikou_next_opens_the_file(fresh_db: Path):
    jiulong = Scope(Party(4), Party(7))
    before = Atlas(open_database(fresh_db)).total(jiulong, "aid_funds", "CNY").value
    with sqlite3.connect(fresh_db) as db:
        db.execute("INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit) "
                   "VALUES (990001, 1, 'health', 'aid_funds', '新增资金', 1000000, 'CNY')")
    after = Atlas(open_database(fresh_db)).total(jiulong, "aid_funds", "CNY")
    assert after.value == before + 1_000_000 and 990001 in after.added


def test_a_file_duikou_may_not_write_is_summed_afresh_in_memory(fresh_db: Path, monkeypatch):
    with sqlite3.connect(fresh_db) as db:
        db.execute("INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit) "
                   "VALUES (990001, 1, 'health', 'aid_funds', '新增资金', 1000000, 'CNY')")
    # What open_database meets when the file is read-only: no writer can catch the tables up.
    monkeypatch.setattr("tui.data._catch_up", lambda path: None)
    total = Atlas(open_database(fresh_db)).total(Scope(Party(4), Party(7)), "aid_funds", "CNY")
    assert 990001 in total.added
    with closing(sqlite3.connect(fresh_db)) as db:
        assert db.execute("SELECT count(*) FROM rollup_stale").fetchone()[0] > 0   # the file is untouched


def test_a_file_built_before_roll_ups_and_the_name_index_gets_them(fresh_db: Path):
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        old = db.execute("SELECT type, name FROM sqlite_master WHERE (sql LIKE '%rollup%' OR name LIKE 'figure_%' "
                         "OR name = 'search_name') AND type <> 'index' ORDER BY type = 'table'").fetchall()
        for kind, name in old:
            db.execute(f"DROP {kind.upper()} IF EXISTS {name}")
    db = open_database(fresh_db)
    assert Atlas(db).total(Scope(Party(4), Party(7)), "aid_funds", "CNY").added_count > 0
    assert db.execute("SELECT count(*) FROM rollup").fetchone()[0] > 0
    assert db.execute("SELECT n.name FROM search_name n JOIN search_key k ON k.entry = n.entry "
                      "WHERE kind = 'place' AND ref = 7").fetchone() == ("九龙县",)


def test_check_says_when_sums_wait_for_the_file_to_be_opened(fresh_db: Path):
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit) "
                   "VALUES (990001, 1, 'health', 'aid_funds', '新增资金', 1000000, 'CNY')")
    assert [problem.kind for problem in check(fresh_db) if problem.kind == "rollups"] == ["rollups"]
    open_database(fresh_db)
    assert not [problem for problem in check(fresh_db) if problem.kind == "rollups"]
