"""Every total in v_total equals the same total worked out from scratch, plainly, for random small
databases, and stays equal after random changes made with plain sqlite3 and Duikou's catch-up;
and files built before the roll-ups, or that Duikou may not write, are summed too."""
from __future__ import annotations

import json
import random
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import pytest

from tui.data import open_database
from tui.data.atlas import ORDERS, Atlas, Party, Scope
from tui.data.bundled import ROLLUP, SCHEMA
from tui.data.check import check
from tui.data.derived import catch_up

SECTORS = ("overall", "education", "health")
MEASURES = {"aid_funds": 1, "donation": 1, "income": 0}       # code: additive
UNITS = ("CNY", "CNY", "CNY", "person", "CNY/year", "item")
NEVER_SUMMED = {"CNY/month", "CNY/year", "CNY/person", "CNY/person/month", "CNY/person/year", "percent", "year", "item"}
DONORS, RECIPIENTS = (1, 2), (3, 4, 5)


# -- the reference: every total, worked out from scratch -------------------------------------------

def reference_totals(db: sqlite3.Connection) -> dict[tuple, tuple]:
    """Every row v_total should hold, keyed as `stored_totals` keys them."""
    figures = {row[0]: row for row in db.execute("""
        SELECT f.id, coalesce(pr.parent_id, pr.id), CASE WHEN pr.id IS NULL THEN f.place_id END,
               coalesce(f.sector, p.sector, 'overall'), f.year, f.end_year, f.measure, f.unit,
               coalesce(f.basis, CASE WHEN f.qualifier = 'planned' THEN 'planned' ELSE 'actual' END),
               f.counts_in_sums, f.value, f.qualifier IN ('approx', 'range'), f.part_of_id
        FROM figure f LEFT JOIN project p ON p.id = f.project_id
        LEFT JOIN pairing pr ON pr.id = coalesce(f.pairing_id, p.pairing_id)""")}
    roots = {row[0]: row[1:] for row in db.execute(
        "SELECT id, donor_place_id, recipient_place_id FROM pairing WHERE parent_id IS NULL")}
    name = dict(db.execute("SELECT id, name FROM place"))
    scopes = [(("pairing", root, name[donor], name[recipient]), {root}, set())
              for root, (donor, recipient) in roots.items()]
    for donor in {donor for donor, _ in roots.values()}:
        scopes.append((("donor", None, name[donor], None), {r for r, (d, _) in roots.items() if d == donor}, {donor}))
    for recipient in {recipient for _, recipient in roots.values()}:
        scopes.append((("recipient", None, None, name[recipient]),
                       {r for r, (_, rc) in roots.items() if rc == recipient}, set()))
    if roots:
        scopes.append((("all", None, None, None), set(roots), {donor for donor, _ in roots.values()}))

    def chain(figure_id):
        """The figures this one is part of, nearest first (a part_of naming no figure ends it)."""
        found, above = [], figures[figure_id][12]
        while above in figures and above not in found:
            found.append(above)
            above = figures[above][12]
        return found

    expected = {}
    for key, in_roots, own_places in scopes:
        held = [f for f in figures.values() if f[1] in in_roots or (f[1] is None and f[2] in own_places)]
        held = [f for f in held if MEASURES[f[6]] and f[7] not in NEVER_SUMMED]
        for kind in {(f[6], f[7], f[8]) for f in held}:
            of_kind = [f for f in held if (f[6], f[7], f[8]) == kind]
            years = {f[4] for f in of_kind if f[4] is not None and f[5] in (None, f[4])}
            for year in (None, *years):
                chosen = [f for f in of_kind if year is None or (f[4] == year and f[5] in (None, year))]
                counted = {f[0]: f for f in chosen if f[9]}
                chosen_ids = {f[0] for f in chosen}
                nearest = {f[0]: next((a for a in chain(f[0]) if a in counted), None) for f in counted.values()}
                rows = defaultdict(lambda: [0.0, [], 0.0])     # sector: value, figures counted, beside
                for f in chosen:
                    if not f[9]:
                        if not any(a in chosen_ids for a in chain(f[0])):
                            rows[None][2] += f[10]
                            rows[f[3]][2] += f[10]
                        continue
                    total = nearest[f[0]]
                    if total is None:
                        rows[None][0] += f[10]
                        rows[None][1].append(f)
                    # by sector, a figure keeps its value less its parts'
                    rows[f[3]][0] += f[10]
                    if total is not None:
                        rows[counted[total][3]][0] -= f[10]
                    if total is None or counted[total][3] != f[3]:
                        rows[f[3]][1].append(f)
                for sector, (value, added, beside) in rows.items():
                    if added or beside:
                        expected[(*key, sector, year, *kind)] = (
                            round(value, 3), len(added), round(beside, 3),
                            "approx" if any(f[11] for f in added) else None,
                            min((f[4] for f in added if f[4] is not None), default=None),
                            max((f[5] if f[5] is not None else f[4] for f in added if f[4] is not None), default=None))
    return expected


def stored_totals(db: sqlite3.Connection) -> dict[tuple, tuple]:
    return {(scope, pairing if scope == "pairing" else None, donor, recipient, sector, year, measure, unit, basis):
            (round(value, 3), figures, round(beside, 3), qualifier, year_from, year_to)
            for (scope, pairing, donor, recipient, sector, year, measure, unit, basis, value, qualifier, year_from,
                 year_to, figures, beside) in db.execute(
                "SELECT scope, pairing_id, donor, recipient, sector, year, measure, unit, basis, value, qualifier, "
                "year_from, year_to, figures, beside FROM v_total")}


# -- random small databases ------------------------------------------------------------------------

def empty_database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA.read_text(encoding="utf-8") + ROLLUP.read_text(encoding="utf-8"))
    db.executemany("INSERT INTO sector VALUES (?, ?, ?, 43042)", [(code, code, code) for code in SECTORS])
    db.executemany("INSERT INTO measure VALUES (?, ?, ?, ?)", [(code, code, code, add) for code, add in MEASURES.items()])
    db.executemany("INSERT INTO place (id, name, level) VALUES (?, ?, 'county')",
                   [(place, f"地{place}") for place in (*DONORS, *RECIPIENTS)])
    return db


def random_figure(rng: random.Random, number: int, pairings: int, projects: int) -> dict:
    home = rng.choice(("project", "pairing", "pairing", "place") if projects else ("pairing", "place"))
    year = rng.choice((None, 2016, 2017, 2018))
    return {"id": number,
            "project_id": rng.randint(1, projects) if home == "project" else None,
            "pairing_id": rng.randint(1, pairings) if home == "pairing" else None,
            "place_id": rng.choice((*DONORS, *RECIPIENTS)) if home == "place" else None,
            "sector": rng.choice((None, *SECTORS)), "measure": rng.choice(list(MEASURES)),
            "value": rng.randint(1, 1000), "unit": rng.choice(UNITS),
            "qualifier": rng.choice((None, None, "approx", "planned", "range")),
            "basis": rng.choice((None, None, "actual", "planned")), "counts_in_sums": rng.choice((1, 1, 1, 0)),
            "year": year, "end_year": year + rng.choice((0, 0, 1, 2)) if year and rng.random() < 0.4 else None,
            # a part of an earlier figure, or of one that is gone
            "part_of_id": rng.randint(1, number) if number > 1 and rng.random() < 0.6 else None}


def insert_figure(db: sqlite3.Connection, figure: dict) -> None:
    if figure["part_of_id"] == figure["id"]:
        figure["part_of_id"] = None
    db.execute(f"INSERT INTO figure (name, {', '.join(figure)}) VALUES ('数', {', '.join('?' * len(figure))})",
               list(figure.values()))


def random_database(rng: random.Random) -> sqlite3.Connection:
    db = empty_database()
    roots: list[int] = []
    pairings = rng.randint(1, 5)
    for number in range(1, pairings + 1):
        parent = roots[0] if roots and rng.random() < 0.3 else None
        if parent is None:
            roots.append(number)
        db.execute("INSERT INTO pairing (id, parent_id, kind, donor_place_id, recipient_place_id) "
                   "VALUES (?, ?, '省内对口帮扶', ?, ?)", (number, parent, rng.choice(DONORS), rng.choice(RECIPIENTS)))
    projects = rng.randint(0, 6)
    for number in range(1, projects + 1):
        db.execute("INSERT INTO project (id, pairing_id, sector, name) VALUES (?, ?, ?, ?)",
                   (number, rng.randint(1, pairings), rng.choice(SECTORS), f"项目{number}"))
    for number in range(1, rng.randint(1, 16) + 1):
        insert_figure(db, random_figure(rng, number, pairings, projects))
    return db


def change_randomly(db: sqlite3.Connection, rng: random.Random) -> None:
    """One change a curator might make with plain sqlite3: a figure added, edited or deleted."""
    ids = [figure_id for (figure_id,) in db.execute("SELECT id FROM figure")]
    pairings = db.execute("SELECT count(*) FROM pairing").fetchone()[0]
    projects = db.execute("SELECT count(*) FROM project").fetchone()[0]
    target = rng.choice(ids) if ids else None
    change = rng.choice(("insert", "delete", "value", "part_of", "basis", "counts", "years", "sector", "move", "unit"))
    if change == "insert" or target is None:
        insert_figure(db, random_figure(rng, max(ids, default=0) + 1, pairings, projects))
    elif change == "delete":
        db.execute("DELETE FROM figure WHERE id = ?", (target,))
    elif change == "part_of":
        db.execute("UPDATE figure SET part_of_id = ? WHERE id = ?",
                   (rng.choice([None, *[i for i in ids if i < target]]), target))
    else:
        column, value = {"value": ("value", rng.randint(1, 1000)), "basis": ("basis", rng.choice((None, "planned"))),
                         "counts": ("counts_in_sums", rng.choice((0, 1))), "years": ("end_year", None),
                         "sector": ("sector", rng.choice(SECTORS)), "unit": ("unit", rng.choice(UNITS)),
                         "move": ("pairing_id", rng.randint(1, pairings))}[change]
        if change == "move":
            db.execute("UPDATE figure SET project_id = NULL, place_id = NULL, pairing_id = ? WHERE id = ?", (value, target))
        else:
            db.execute(f"UPDATE figure SET {column} = ? WHERE id = ?", (value, target))


@pytest.mark.parametrize("seed", range(30))
def test_every_total_equals_the_one_worked_out_from_scratch_before_and_after_changes(seed: int):
    rng = random.Random(seed)
    db = random_database(rng)
    catch_up(db)
    assert stored_totals(db) == reference_totals(db)
    for _ in range(6):
        for _ in range(rng.randint(1, 3)):
            change_randomly(db, rng)
        catch_up(db)
        assert stored_totals(db) == reference_totals(db)


@pytest.mark.parametrize("seed", range(8))
def test_every_tree_node_shows_its_scopes_money_and_projects(seed: int):
    db = random_database(random.Random(seed))
    catch_up(db)
    expected = reference_totals(db)
    atlas = Atlas(db)
    for order in ORDERS:
        pending = [None]
        while pending:
            node = pending.pop()
            for child in atlas.children(node, order):
                if child.level == "project":
                    continue
                scope = child.scope
                key = scope_key(db, scope)
                for total in child.money:
                    assert (round(total.value, 3), total.figures) == \
                        expected[(*key, scope.sector, None, "aid_funds", "CNY", total.basis)][:2], (order, scope)
                assert {total.basis for total in child.money} == {
                    k[-1] for k in expected if k[:4] == key and k[4:8] == (scope.sector, None, "aid_funds", "CNY")}
                assert child.projects == count_projects(db, scope), (order, scope)
                pending.append(child)


def scope_key(db: sqlite3.Connection, scope: Scope) -> tuple:
    name = dict(db.execute("SELECT id, name FROM place"))
    if scope.pairing is not None:
        return ("pairing", scope.pairing, name[scope.donor.place_id], name[scope.recipient.place_id])
    if scope.donor is not None:
        return ("donor", None, name[scope.donor.place_id], None)
    if scope.recipient is not None:
        return ("recipient", None, None, name[scope.recipient.place_id])
    return ("all", None, None, None)


def count_projects(db: sqlite3.Connection, scope: Scope) -> int:
    return db.execute("""SELECT count(*) FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                         JOIN pairing r ON r.id = coalesce(pr.parent_id, pr.id)
                         WHERE (:donor IS NULL OR r.donor_place_id = :donor)
                           AND (:recipient IS NULL OR r.recipient_place_id = :recipient)
                           AND (:pairing IS NULL OR r.id = :pairing)
                           AND (:sector IS NULL OR p.sector = :sector)""",
                      {"donor": scope.donor and scope.donor.place_id,
                       "recipient": scope.recipient and scope.recipient.place_id,
                       "pairing": scope.pairing, "sector": scope.sector}).fetchone()[0]


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
    monkeypatch.setattr("tui.data.bring_up_to_date", lambda path, progress=None, **options: None)
    total = Atlas(open_database(fresh_db)).total(Scope(Party(4), Party(7)), "aid_funds", "CNY")
    assert 990001 in total.added
    with closing(sqlite3.connect(fresh_db)) as db:
        assert db.execute("SELECT count(*) FROM rollup_figure_was").fetchone()[0] > 0   # the file is untouched


ROLL_UPS = ("total", "total_home", "total_link", "rollup_home", "rollup_largest", "rollup_cell", "rollup_stale",
            "rollup_figure_was", "rollup_project_was", "figure_summed", "project_summed",
            "v_total", "figure_cell", "figure_home", "search_name", "figure_basis", "figure_money_rank", "project_money")


def make_old(path: Path) -> None:
    """Make `path` a file built before the roll-up tables, the name index, and figure's basis and
    counts_in_sums columns."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE name IN (SELECT value FROM "
                                     "json_each(?)) OR tbl_name IN ('figure', 'v_metric', 'v_project') "
                                     "AND type IN ('trigger', 'view') OR type = 'trigger' AND (sql LIKE '%rollup_stale%' OR sql LIKE '%figure%' "
                                     "OR sql LIKE '%rollup_project_was%')",
                                     (json.dumps(ROLL_UPS),)).fetchall():
            db.execute(f"DROP {kind.upper()} IF EXISTS {name}")
        kept = [row[1] for row in db.execute("PRAGMA table_info(figure)") if row[1] not in ("basis", "counts_in_sums")]
        db.execute(f"CREATE TABLE old_figure AS SELECT {', '.join(kept)} FROM figure")
        db.execute("DROP TABLE figure")
        db.execute("ALTER TABLE old_figure RENAME TO figure")
        db.execute("UPDATE figure SET qualifier = 'planned' WHERE id IN (40501, 40507)")   # plans, as files then said it


def test_a_file_built_before_the_roll_ups_and_new_columns_gains_them(fresh_db: Path):
    make_old(fresh_db)
    db = open_database(fresh_db)
    columns = [row[1] for row in db.execute("PRAGMA table_info(figure)")]
    assert columns[-2:] == ["basis", "counts_in_sums"]
    totals = Atlas(db).totals(Scope(pairing=40201))
    assert {(t.measure, t.basis) for t in totals if t.measure == "aid_funds"} == {("aid_funds", "planned")}
    assert db.execute("SELECT n.name FROM search_name n JOIN search_key k ON k.entry = n.entry "
                      "WHERE kind = 'place' AND ref = 7").fetchone() == ("九龙县",)


def test_a_file_built_before_the_new_columns_that_duikou_may_not_write_still_opens(fresh_db: Path, monkeypatch):
    make_old(fresh_db)
    monkeypatch.setattr("tui.data.bring_up_to_date", lambda path, progress=None, **options: None)
    db = open_database(fresh_db)
    totals = Atlas(db).totals(Scope(pairing=40201))
    assert {(t.measure, t.basis) for t in totals if t.measure == "aid_funds"} == {("aid_funds", "planned")}
    with closing(sqlite3.connect(fresh_db)) as file:
        assert "basis" not in [row[1] for row in file.execute("PRAGMA table_info(figure)")]   # untouched


def test_check_says_when_sums_wait_for_the_file_to_be_opened(fresh_db: Path):
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit) "
                   "VALUES (990001, 1, 'health', 'aid_funds', '新增资金', 1000000, 'CNY')")
    # Sums waiting are no damage: every reader of a sum brings them up to date first.
    assert [(problem.kind, problem.warning) for problem in check(fresh_db) if problem.kind == "rollups"] == \
        [("rollups", True)]
    open_database(fresh_db)
    assert not [problem for problem in check(fresh_db) if problem.kind == "rollups"]
