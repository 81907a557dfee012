"""Whatever another program changes with plain sqlite3 (its own connection, no Duikou code): rows
replaced, a pairing's donor moved, a quote edited, a place renamed, a cycle of parts, every tree
node's sums and every search answer Duikou shows after catching up are those of the same data
built from scratch."""
from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.data import open_database
from tui.data.atlas import ORDERS, Atlas, Scope
from tui.data.check import check
from tui.data.derived import DERIVED, derived_names
from tui.data.search import find
from tui.data.shared import SharedAtlas

NEW_CHARACTERS = "甲乙丙丁戊己庚辛壬癸"


def new_name(rng: random.Random) -> str:
    """A name no seed row holds, so that search for it finds only what the change made."""
    return "新" + "".join(rng.choice(NEW_CHARACTERS) for _ in range(3))


def one(db: sqlite3.Connection, sql: str, rng: random.Random):
    """A random row of a query's answer (None when it has none)."""
    rows = db.execute(sql).fetchall()
    return rng.choice(rows) if rows else None


def replace_row(db: sqlite3.Connection, table: str, key: object, **changed) -> None:
    """INSERT OR REPLACE the row of `table` whose id is `key`, with some columns changed: the old row
    is deleted without its delete triggers firing."""
    row = dict(zip([column[0] for column in db.execute(f"SELECT * FROM {table} WHERE id = ?", (key,)).description],
                   db.execute(f"SELECT * FROM {table} WHERE id = ?", (key,)).fetchone()))
    row |= changed
    db.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
               list(row.values()))


def change(db: sqlite3.Connection, kind: str, rng: random.Random, names: list[str]) -> None:
    """One change of `kind`, made as any program could; `names` gathers the names it gives and takes."""
    figure = one(db, "SELECT id FROM figure", rng)
    pairing = one(db, "SELECT id FROM pairing", rng)
    root = one(db, "SELECT id FROM pairing WHERE parent_id IS NULL", rng)
    project = one(db, "SELECT id FROM project", rng)
    place = one(db, "SELECT id, name FROM place", rng)
    if kind == "replace figure into another pairing":
        replace_row(db, "figure", figure[0], project_id=None, pairing_id=pairing[0], value=rng.randint(1, 10**7))
    elif kind == "replace project into another pairing":
        name = new_name(rng)
        names.append(name)
        replace_row(db, "project", project[0], pairing_id=pairing[0], name=name)
    elif kind in ("move a pairing's donor", "move a pairing's recipient"):
        column = "donor_place_id" if "donor" in kind else "recipient_place_id"
        db.execute(f"UPDATE pairing SET {column} = ? WHERE id = ?", (place[0], root[0]))
    elif kind == "move a sub-pairing under another":
        sub = one(db, "SELECT id FROM pairing WHERE parent_id IS NOT NULL", rng)
        if sub:
            db.execute("UPDATE pairing SET parent_id = ? WHERE id = ?", (root[0], sub[0]))
    elif kind == "move a project":
        db.execute("UPDATE project SET pairing_id = ? WHERE id = ?", (pairing[0], project[0]))
    elif kind == "move a figure":
        db.execute("UPDATE figure SET project_id = NULL, place_id = NULL, pairing_id = ? WHERE id = ?",
                   (pairing[0], figure[0]))
    elif kind == "make a figure part of another (cycles too)":
        other = one(db, "SELECT id FROM figure", rng)
        if other[0] != figure[0]:
            db.execute("UPDATE figure SET part_of_id = ? WHERE id = ?", (other[0], figure[0]))
            if rng.random() < 0.5:
                db.execute("UPDATE figure SET part_of_id = ? WHERE id = ?", (figure[0], other[0]))
    elif kind == "change a figure's basis, flag or value":
        column, value = rng.choice((("basis", rng.choice((None, "actual", "planned"))),
                                    ("counts_in_sums", rng.choice((0, 1))), ("value", rng.randint(1, 10**7))))
        db.execute(f"UPDATE figure SET {column} = ? WHERE id = ?", (value, figure[0]))
    elif kind == "insert a figure":
        db.execute("INSERT INTO figure (pairing_id, sector, measure, name, value, unit) VALUES (?, ?, 'aid_funds', ?, ?, 'CNY')",
                   (pairing[0], rng.choice(("health", "education", None)), new_name(rng), rng.randint(1, 10**7)))
    elif kind == "delete a figure":
        db.execute("DELETE FROM figure WHERE id = ?", figure)
    elif kind == "edit a quote":
        quote = new_name(rng) + "的资金投入了一千万元"
        names.append(quote[:4])
        evidence = one(db, "SELECT id, quote FROM evidence", rng)
        db.execute("UPDATE evidence SET quote = ? WHERE id = ?", (quote, evidence[0]))
        names.append(evidence[1][:4])
    elif kind == "replace a quote onto another figure":
        evidence = one(db, "SELECT id, quote FROM evidence", rng)
        replace_row(db, "evidence", evidence[0], figure_id=figure[0], project_id=None, pairing_id=None)
        names.append(evidence[1][:4])
    elif kind in ("rename a place", "replace a place under a new name"):
        name = new_name(rng)
        names += [name, place[1]]
        if kind == "rename a place":
            db.execute("UPDATE place SET name = ? WHERE id = ?", (name, place[0]))
        else:
            replace_row(db, "place", place[0], name=name)
    elif kind == "replace an alias onto another place":
        alias = one(db, "SELECT id, name FROM alias", rng)
        name = new_name(rng)
        names += [name, alias[1]]
        replace_row(db, "alias", alias[0], place_id=place[0], organisation_id=None, project_id=None, person_id=None,
                    name=name)
    elif kind == "rename an organisation":
        organisation = one(db, "SELECT id, name FROM organisation", rng)
        name = new_name(rng)
        names += [name, organisation[1]]
        db.execute("UPDATE organisation SET name = ? WHERE id = ?", (name, organisation[0]))
    elif kind == "retitle a document":
        name = new_name(rng)
        names.append(name)
        db.execute("UPDATE document SET title = ? WHERE key = (SELECT key FROM document ORDER BY key LIMIT 1)", (name,))


CHANGES = ("replace figure into another pairing", "replace project into another pairing", "move a pairing's donor",
           "move a pairing's recipient", "move a sub-pairing under another", "move a project", "move a figure",
           "make a figure part of another (cycles too)", "change a figure's basis, flag or value", "insert a figure",
           "delete a figure", "edit a quote", "replace a quote onto another figure", "rename a place",
           "replace a place under a new name", "replace an alias onto another place", "rename an organisation",
           "retitle a document")


def built_from_scratch(database: Path, target: Path) -> Path:
    """A copy of `database` whose derived tables are dropped and built anew from its data."""
    shutil.copyfile(database, target)
    made_in_python = {name for family in DERIVED for name in family.made_in_python}
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') "
                                     "AND name IN (SELECT value FROM json_each(?))",
                                     (json.dumps(sorted(derived_names() - made_in_python)),)).fetchall():
            db.execute(f"DROP {kind} IF EXISTS {name}")
    return target


def summed(totals) -> tuple:
    return tuple((t.measure, t.unit, t.basis, round(t.value, 3), t.approximate, t.year_from, t.year_to, t.figures,
                  round(t.beside, 3)) for t in totals)


def what_the_tree_shows(db: sqlite3.Connection) -> list[tuple]:
    """Every node of every order with its sums and projects, and the root's table of pairings."""
    atlas = Atlas(db)
    shown = [("pairing", row.id, row.donor, row.recipient, summed(row.money), row.cadres_sent, row.projects,
              summed([row.poverty_exit] if row.poverty_exit else []))
             for row in atlas.pairings()]
    for order in ORDERS:
        pending = [(None, ())]
        while pending:
            node, path = pending.pop()
            for child in atlas.children(node, order):
                shown.append((order, *path, child.label, summed(child.money), child.projects))
                if child.has_children:
                    pending.append((child, (*path, child.label)))
                    shown.append((order, *path, child.label, "totals", summed(atlas.totals(child.scope))))
    return shown


def what_search_finds(db: sqlite3.Connection, queries: list[str]) -> dict[str, tuple]:
    """Each query's items matching every word, and how many there are. (Items matching only some
    words are drawn from a pool whose ties follow the index's row order, which a rebuild renumbers.)"""
    found = {query: find(db, query, 1000) for query in queries}
    return {query: ({(hit.kind, hit.ref, hit.label, hit.context) for hit in answer.complete}, answer.total)
            for query, answer in found.items()}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 2**32)), min_size=1, max_size=5))
def test_after_any_change_by_another_program_duikou_shows_what_a_fresh_build_shows(seed_db: Path, changes):
    with tempfile.TemporaryDirectory() as folder:
        changed = Path(folder) / "changed.db"
        shutil.copyfile(seed_db, changed)
        names = ["九龙", "青白江", "教育", "jiulong"]
        with closing(sqlite3.connect(changed, isolation_level=None)) as db:   # another program: plain sqlite3
            for kind, seed in changes:
                change(db, kind, random.Random(seed), names)
        caught_up = open_database(changed)
        fresh = open_database(built_from_scratch(changed, Path(folder) / "fresh.db"))
        try:
            assert what_the_tree_shows(caught_up) == what_the_tree_shows(fresh)
            assert what_search_finds(caught_up, names) == what_search_finds(fresh, names)
        finally:
            caught_up.close()
            fresh.close()
        assert not [problem for problem in check(changed) if problem.kind in ("index", "rollups")]


def test_a_command_waiting_for_the_catch_up_says_so_on_one_line(fresh_db: Path, capsys, monkeypatch):
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("INSERT INTO figure (pairing_id, sector, measure, name, value, unit) "
                   "VALUES (1, 'health', 'aid_funds', '新甲乙丙资金', 1000, 'CNY')")
    monkeypatch.setattr("tui.cli.progress.SILENT_SECONDS", 0.0)   # as if it took more than a second
    assert main(["show", "pairing:1", "--db", str(fresh_db)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "bringing search and sums up to date" in captured.err
    assert main(["search", "新甲乙丙", "--db", str(fresh_db)]) == 0
    assert capsys.readouterr().err == ""     # nothing waited: nothing said


def test_a_search_waits_for_the_index_alone_and_a_question_also_for_the_sums_it_reads(fresh_db: Path, capsys,
                                                                                        monkeypatch):
    """Sums another program's change leaves out of step cost a search nothing until it asks for
    one: then they are brought up to date before the answer line is given."""
    question = ["search", "九龙 资金 多少", "--db", str(fresh_db)]
    assert main(question) == 0 and "九龙县 · Aid funds: 2,470 万元" in capsys.readouterr().out
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("INSERT INTO figure (pairing_id, sector, measure, name, value, unit, year) "
                   "VALUES (1, 'health', 'aid_funds', '新甲乙丙资金', 1000000, 'CNY', 2018)")
    monkeypatch.setattr("tui.cli.progress.SILENT_SECONDS", 0.0)
    assert main(["search", "新甲乙丙", "--db", str(fresh_db)]) == 0
    captured = capsys.readouterr()
    assert "新甲乙丙资金" in captured.out and "bringing search up to date" in captured.err
    with closing(sqlite3.connect(fresh_db)) as db:
        assert db.execute("SELECT count(*) FROM rollup_figure_was").fetchone()[0] == 1   # the sums wait
    assert main(question) == 0
    captured = capsys.readouterr()
    assert "九龙县 · Aid funds: 2,570 万元" in captured.out and "bringing search and sums up to date" in captured.err
    assert not [problem for problem in check(fresh_db, integrity=False) if problem.kind in ("index", "rollups")]


def test_the_catch_ups_log_beside_the_file_stays_small_and_the_app_folds_it_in(fresh_db: Path, capsys, monkeypatch):
    """The command line leaves the pages its catch-up wrote in the write-ahead log, for a later
    checkpoint to copy into the file (a tenth of a second a search would otherwise pay at a million
    projects), but never more than WAL_KEPT_BYTES; the app, which catches up after painting, copies
    them in at once."""
    log = fresh_db.with_name(fresh_db.name + "-wal")

    def another_program_adds(name: str) -> None:
        with closing(sqlite3.connect(fresh_db)) as db, db:
            db.execute("INSERT INTO figure (pairing_id, sector, measure, name, value, unit) "
                       "VALUES (1, 'health', 'aid_funds', ?, 1000, 'CNY')", (name,))

    another_program_adds("新甲乙丙资金")
    assert main(["search", "新甲乙丙", "--db", str(fresh_db)]) == 0 and "新甲乙丙资金" in capsys.readouterr().out
    assert log.stat().st_size > 0      # waiting for the next checkpoint
    monkeypatch.setattr("tui.data.WAL_KEPT_BYTES", 0)
    another_program_adds("新丁戊己资金")
    assert main(["search", "新丁戊己", "--db", str(fresh_db)]) == 0 and "新丁戊己资金" in capsys.readouterr().out
    assert log.stat().st_size == 0
    monkeypatch.undo()
    another_program_adds("新庚辛壬资金")
    atlas = SharedAtlas(fresh_db)
    assert atlas.catch_up() and [hit.label for hit in atlas.search("新庚辛壬", 5)] and log.stat().st_size == 0


def test_check_reports_a_cycle_of_parts_a_dropped_trigger_and_sums_out_of_step(fresh_db: Path):
    assert not [problem for problem in check(fresh_db, integrity=False) if not problem.warning]
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("UPDATE figure SET part_of_id = 10442 WHERE id = 10435")     # 10442 is a part of 10435
    open_database(fresh_db)
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("DROP TRIGGER figure_sums_del")
        db.execute("UPDATE total_home SET value = value + 1 WHERE kind = 'pairing' AND ref = 1 AND sector IS NULL")
    found = {(problem.kind, problem.row) for problem in check(fresh_db, integrity=False)}
    assert {("cycle", 10435), ("cycle", 10442), ("trigger", None), ("rollups", 1)} <= found
    assert ("rollups", 2) not in found


def test_check_names_a_total_edited_by_hand_and_its_advice_mends_it(fresh_db: Path):
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("UPDATE total SET value = value + 1 WHERE scope = 'all' AND sector IS NULL AND year IS NULL "
                   "AND measure = 'aid_funds' AND unit = 'CNY' AND basis = 'actual'")
        db.execute("UPDATE total SET donor = '另一个名字' WHERE scope = 'donor' AND donor = '成华区'")
    found = {problem.row: problem.message for problem in check(fresh_db, integrity=False) if problem.kind == "rollups"}
    assert set(found) == {"all", "donor 成华区"}
    assert "aid_funds CNY actual all sectors all years: stored" in found["all"]
    assert "stored as of 另一个名字, its parties are now 成华区" in found["donor 成华区"]
    advice = re.search(r"INSERT INTO rollup_stale VALUES \('(\w+)', (\d+)\)", found["all"])
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("INSERT INTO rollup_stale VALUES (?, ?)", (advice[1], int(advice[2])))
    open_database(fresh_db).close()
    assert "all" not in {problem.row for problem in check(fresh_db, integrity=False) if problem.kind == "rollups"}


def test_a_cycle_of_parts_never_drops_its_figures_from_the_sums(fresh_db: Path):
    before = Atlas(open_database(fresh_db)).total(Scope(pairing=1), "aid_funds", "CNY")
    with closing(sqlite3.connect(fresh_db)) as db, db:
        db.execute("UPDATE figure SET part_of_id = 10442 WHERE id = 10435")     # the total made a part of its part
    after = Atlas(open_database(fresh_db)).total(Scope(pairing=1), "aid_funds", "CNY")
    # the cycle is cut at its lowest id, the total here: the sum is what it was, the total in it
    assert (after.value, after.figures) == (before.value, before.figures) and 10435 in after.added


@pytest.mark.parametrize("dictionary", [True, False], ids=["with its dictionary", "an older file without it"])
def test_figures_another_program_adds_read_as_a_fresh_build_reads_them(fresh_db: Path, tmp_path: Path, monkeypatch,
                                                                       dictionary: bool):
    """Their pinyin comes from the file's copy of pypinyin's dictionary, which a file without one
    (an older Duikou's) gets at this catch-up. Either way `duikou search` finds them by the pinyin
    of their names, and indexes them as a file built from scratch does."""
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        if not dictionary:
            db.execute("DELETE FROM search_dictionary")
        project, project_name = db.execute("SELECT id, name FROM project WHERE place_id IS NOT NULL "
                                           "ORDER BY id LIMIT 1").fetchone()
        known_name = db.execute("SELECT name FROM figure ORDER BY id LIMIT 1").fetchone()[0]
        # an item's own name, one written in traditional characters, and a name the file never held
        for name in (project_name, known_name, "援藏資金", "新甲乙丙戊"):
            db.execute("INSERT INTO figure (project_id, measure, name, value, unit) VALUES (?, 'aid_funds', ?, 1, 'CNY')",
                       (project, name))
    # The catch-up as a person meets it: the next command, a process of its own.
    searched = subprocess.run([sys.executable, "-m", "tui", "search", "--db", str(fresh_db), "xinjiayibingwu"],
                              capture_output=True, text=True, check=True)
    assert "新甲乙丙戊" in searched.stdout
    # The same data built anew, every name read with pypinyin, as a build too large to look them up is.
    monkeypatch.setattr("tui.data.index._FEW", -1)
    open_database(built_from_scratch(fresh_db, tmp_path / "built_from_scratch.db")).close()
    rows = "SELECT ref, names, body FROM search_index WHERE kind = 'figure' ORDER BY ref DESC LIMIT 4"
    with closing(sqlite3.connect(fresh_db)) as caught_up, \
            closing(sqlite3.connect(tmp_path / "built_from_scratch.db")) as fresh:
        assert caught_up.execute(rows).fetchall() == fresh.execute(rows).fetchall()
        # a file that had no dictionary has one now
        assert caught_up.execute("SELECT count(*) FROM search_dictionary").fetchone()[0] > 100_000


def test_a_catch_up_loads_no_pinyin_tables(fresh_db: Path):
    """pypinyin's tables take a fifth of a second and 70 MB to load: the figures' names, places,
    pairing and sector are read in pinyin from the file's copy of its dictionary, a name the file
    never held included."""
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        project, name = db.execute("SELECT p.id, f.name FROM project p JOIN figure f ON f.project_id = p.id "
                                   "WHERE p.place_id IS NOT NULL AND p.sector = 'industry' LIMIT 1").fetchone()
        db.executemany("INSERT INTO figure (project_id, measure, name, value, unit) VALUES (?, 'aid_funds', ?, ?, 'CNY')",
                       [(project, text, value) for value, text in enumerate((name, name, "重庆另一个程序的资金"))])
    caught_up = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                                "from tui.data import open_database; open_database(Path(sys.argv[1])).close(); "
                                "print('pypinyin' in sys.modules)", str(fresh_db)],
                               capture_output=True, text=True, check=True)
    assert caught_up.stdout.split() == ["False"]
    assert not [problem for problem in check(fresh_db) if problem.kind == "index"]
    assert "重庆另一个程序的资金" in subprocess.run(
        [sys.executable, "-m", "tui", "search", "--db", str(fresh_db), "chongqinglingyige"],
        capture_output=True, text=True, check=True).stdout


CONFLICT_CLAUSES = ("UPDATE OR ROLLBACK", "UPDATE OR FAIL", "UPDATE OR ABORT", "UPDATE OR REPLACE", "UPDATE OR IGNORE")


def test_another_programs_statements_with_a_conflict_clause_never_fail_on_duikous_queues(fresh_db: Path):
    """A statement's OR clause overrides its triggers' own: the queues must never conflict."""
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        figure, place = db.execute("SELECT min(id), (SELECT min(id) FROM place) FROM figure").fetchone()
        for clause in CONFLICT_CLAUSES * 2:     # the second time round, every row is queued already
            db.execute(f"{clause} figure SET value = value + 1 WHERE id = ?", (figure,))
            db.execute(f"{clause} place SET name = name || '' WHERE id = ?", (place,))
    caught_up = open_database(fresh_db)
    try:
        (value,) = caught_up.execute("SELECT value FROM figure WHERE id = ?", (figure,)).fetchone()
        assert [hit.ref for hit in find(caught_up, str(int(value)), 50).hits if hit.kind == "figure"].count(figure) == 1
    finally:
        caught_up.close()
    assert not [problem for problem in check(fresh_db) if problem.kind in ("index", "rollups", "trigger")]


def test_a_file_with_an_older_duikous_triggers_gets_the_present_ones_on_opening(fresh_db: Path):
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        (older,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'figure_stale_upd'").fetchone()
        db.execute("DROP TRIGGER figure_stale_upd")
        db.execute(older.replace("INSERT INTO search_stale", "INSERT OR IGNORE INTO search_stale")
                   .replace(" ON CONFLICT DO NOTHING", ""))
    reported = [problem.message for problem in check(fresh_db, integrity=False) if problem.kind == "trigger"]
    assert len(reported) == 1 and "figure_stale_upd is not the one this Duikou makes" in reported[0]
    open_database(fresh_db).close()
    with closing(sqlite3.connect(fresh_db, isolation_level=None)) as db:
        assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'figure_stale_upd'").fetchone() == (older,)
        for _ in range(2):
            db.execute("UPDATE OR ROLLBACK figure SET value = value + 1 WHERE id = (SELECT min(id) FROM figure)")
