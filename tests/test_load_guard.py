"""`duikou load` changes rows of its own database and nothing else: no other file, no rule, no
transaction of its own, no derived table. Each refusal is one message naming the line."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.cli import main
from tui.data.derived import derived_names

FIRST = "INSERT INTO measure VALUES ('x_guard', '测', 'test', 1);\n"


def load(database: Path, sql: str, capsys) -> tuple[int, str]:
    path = database.parent / "attack.sql"
    path.write_text(FIRST + sql, encoding="utf-8")
    code = main(["load", str(path), "--db", str(database)])
    return code, capsys.readouterr().err


def unchanged(database: Path) -> bool:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM measure WHERE code = 'x_guard'").fetchone()[0] == 0


def test_attach_inside_a_load_is_refused_and_touches_no_other_file(fresh_db: Path, tmp_path: Path, capsys):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as victim:
        victim.execute("CREATE TABLE precious (x)")
        victim.execute("INSERT INTO precious VALUES (1)")
    new_file = tmp_path / "created.db"
    code, err = load(fresh_db, f"ATTACH DATABASE '{other}' AS o;\nDELETE FROM o.precious;\n"
                               f"ATTACH DATABASE '{new_file}' AS n;\n", capsys)
    assert code == 1
    assert err.splitlines()[0] == f"duikou: {fresh_db.parent / 'attack.sql'}, line 2: a load changes this database " \
                                  f"only: ATTACH and DETACH are refused"
    assert "nothing was loaded" in err and unchanged(fresh_db)
    with sqlite3.connect(other) as victim:
        assert victim.execute("SELECT count(*) FROM precious").fetchone()[0] == 1
    assert not new_file.exists()


@pytest.mark.parametrize("pragma", ["PRAGMA ignore_check_constraints = ON;", "PRAGMA writable_schema = 1;",
                                    "PRAGMA foreign_keys = OFF;", "PRAGMA defer_foreign_keys = ON;",
                                    "PRAGMA trusted_schema = 1;", "PRAGMA journal_mode = OFF;"])
def test_pragmas_that_change_the_rules_are_refused(fresh_db: Path, pragma: str, capsys):
    code, err = load(fresh_db, pragma + "\nINSERT INTO figure (id, pairing_id, measure, name, value, unit) "
                                        "VALUES (960100, 1, 'count', '负', -5, 'item');\n", capsys)
    name = pragma.split()[1]
    assert code == 1 and f"line 2: PRAGMA {name} is refused" in err and unchanged(fresh_db)


def test_pragmas_that_only_report_or_keep_the_rules_load(fresh_db: Path, capsys):
    code, err = load(fresh_db, "PRAGMA foreign_keys = ON;\nPRAGMA table_info(figure);\n", capsys)
    assert code == 0, err
    assert not unchanged(fresh_db)


@pytest.mark.parametrize("control", ["ROLLBACK;", "SAVEPOINT mine;", "RELEASE statement;", "ROLLBACK TO statement;"])
def test_transaction_control_in_the_file_names_its_line(fresh_db: Path, control: str, capsys):
    code, err = load(fresh_db, control + "\n", capsys)
    assert code == 1 and unchanged(fresh_db)
    assert err.startswith(f"duikou: {fresh_db.parent / 'attack.sql'}, line 2: ROLLBACK, SAVEPOINT and RELEASE are "
                          f"refused: the whole file is one transaction"), err


@pytest.mark.parametrize("statement", ["DELETE FROM search_index;", "UPDATE total SET value = 0;",
                                       "INSERT INTO search_stale VALUES ('project', 1);",
                                       "DELETE FROM search_index_data;", "DROP TRIGGER project_stale_ins;",
                                       "DELETE FROM project_fts;", "DROP TABLE rollup_cell;"])
def test_derived_tables_are_refused(fresh_db: Path, statement: str, capsys):
    code, err = load(fresh_db, statement + "\n", capsys)
    table = statement.rstrip(";").split()[-1] if not statement.startswith("UPDATE") else "total"
    if statement.startswith("INSERT"):
        table = "search_stale"
    assert code == 1 and unchanged(fresh_db)
    assert f"line 2: {table} is derived from the data and kept by Duikou" in err, err


def test_the_derived_tables_come_from_the_derived_records():
    names = derived_names()
    assert {"search_index", "total", "total_home", "rollup_stale", "project_fts", "project_stale_ins"} <= names
    assert not names & {"project", "figure", "measure", "meta", "document"}


def test_the_triggers_still_queue_what_a_load_changes(fresh_db: Path, capsys):
    code, err = load(fresh_db, "INSERT INTO project (id, pairing_id, sector, name) "
                               "VALUES (990001, 1, 'agriculture', '守卫项目');\n", capsys)
    assert code == 0, err
    assert main(["search", "守卫项目", "--db", str(fresh_db)]) == 0
    assert "project:990001" in capsys.readouterr().out


def test_a_deferred_foreign_key_failure_names_its_line_and_rule(fresh_db: Path, capsys):
    code, err = load(fresh_db, "CREATE TABLE later (project_id REFERENCES project(id) DEFERRABLE INITIALLY DEFERRED);\n"
                               "INSERT INTO later VALUES (12345678);\n", capsys)
    assert code == 1 and unchanged(fresh_db)
    assert err.startswith(f"duikou: {fresh_db.parent / 'attack.sql'}, line 3: FOREIGN KEY constraint failed at the "
                          f"end of the file: later.project_id = 12345678 refers to project.id"), err
    with sqlite3.connect(fresh_db) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'later'").fetchone()[0] == 0


def test_a_nul_byte_in_a_load_is_one_line(fresh_db: Path, capsys):
    code, err = load(fresh_db, "INSERT INTO measure VALUES ('x_nul', 'a\x00b', 'nul', 1);\n", capsys)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0] == f"duikou: {fresh_db.parent / 'attack.sql'}, line 2: a NUL byte (\\0) is in the " \
                                  f"text: write it as char(0) if it is meant"
    assert unchanged(fresh_db)


def test_a_trigger_of_the_files_own_cannot_reach_the_derived_tables(fresh_db: Path, capsys):
    code, err = load(fresh_db, "CREATE TRIGGER sneaky AFTER INSERT ON measure BEGIN DELETE FROM search_index; END;\n"
                               "INSERT INTO measure VALUES ('x_sneak', '偷', 'sneak', 1);\n", capsys)
    assert code == 1 and unchanged(fresh_db)
    assert "search_index is derived from the data and kept by Duikou" in err, err
    with sqlite3.connect(fresh_db) as db:
        assert db.execute("SELECT count(*) FROM search_index").fetchone()[0] > 0
