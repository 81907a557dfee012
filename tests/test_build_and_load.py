"""A curator builds a database, loads SQL into it, and bad SQL changes nothing."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURES

from tui.cli import main
from tui.data import Atlas, open_database
from tui.data.atlas import Party, Scope
from tui.data.search import search


@pytest.fixture
def my_db(tmp_path: Path) -> Path:
    path = tmp_path / "my.db"
    assert main(["build", str(path)]) == 0
    return path


def write_sql(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.sql"
    path.write_text(text, encoding="utf-8")
    return path


def columns(db: sqlite3.Connection, view: str) -> list[str]:
    return [row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (view,))]


def test_build_makes_a_database_with_the_public_views(my_db: Path):
    db = sqlite3.connect(my_db)
    assert columns(db, "v_project") == ["id", "donor", "recipient", "sector", "name", "status", "year",
                                        "amount_cny", "qualifier", "document", "evidence", "basis"]
    assert columns(db, "v_metric") == ["id", "donor", "recipient", "sector", "project_id", "name", "value",
                                       "unit", "qualifier", "year", "document", "evidence",
                                       "end_year", "basis", "counts_in_sums"]
    assert columns(db, "v_total") == ["scope", "donor", "recipient", "sector", "year", "measure", "unit", "basis",
                                      "value", "qualifier", "year_from", "year_to", "figures", "beside", "pairing_id"]
    assert db.execute("SELECT count(*) FROM document").fetchone()[0] == 5
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_build_refuses_to_overwrite_an_existing_file(my_db: Path, capsys):
    before = my_db.read_bytes()
    assert main(["build", str(my_db)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert my_db.read_bytes() == before


def test_a_good_load_lands_under_the_right_node(my_db: Path, capsys):
    assert main(["load", str(FIXTURES / "pairing_money.sql"), "--db", str(my_db)]) == 0
    assert "loaded 5 statement(s)" in capsys.readouterr().out

    atlas = Atlas(open_database(my_db))
    donors = {node.label: node for node in atlas.children(None)}
    recipients = {node.label: node for node in atlas.children(donors["青白江区"])}
    sectors = {node.scope.sector: node for node in atlas.children(recipients["九龙县"])}
    projects = [node.label for node in atlas.children(sectors["agriculture"])]
    assert "中藏药科研示范基地" in projects

    project = atlas.project(700001)
    assert (project.amount, project.amount_basis, project.place[-1]) == (10_000_000, "planned", "汤古乡")


def test_a_roll_up_adds_a_total_and_leaves_out_its_parts(my_db: Path):
    main(["load", str(FIXTURES / "pairing_money.sql"), "--db", str(my_db)])
    atlas = Atlas(open_database(my_db))
    jiulong = Scope(donor=Party(4), recipient=Party(7))

    money = atlas.total(jiulong, "aid_funds", "CNY")
    assert 700001 in money.added and not {700002, 700003} & set(money.added)

    # By sector, the part given to education is education's, and the total keeps the rest: the
    # sectors add up to the total.
    sectors = {code: atlas.total(Scope(donor=Party(4), recipient=Party(7), sector=code), "aid_funds", "CNY")
               for code in atlas.labels.sectors}
    assert 700003 in sectors["education"].added and 700001 not in sectors["education"].added
    assert 700001 in sectors["overall"].added
    assert sum(total.value for total in sectors.values()) == money.value


BAD_FILES = {
    "syntax error": ("INSERT INTO place (id, name, level) VALUES (900, '甲', 'township');\n"
                     "INSRT INTO place VALUES (1);\n", 2, "syntax error"),
    "unknown table": ("\n\nINSERT INTO projects (id) VALUES (1);\n", 3, "no such table: projects"),
    "foreign key": ("INSERT INTO project (id, pairing_id, sector, name)\n    VALUES (900, 999, 'education', '学校');\n",
                    1, "project.pairing_id = 999"),
    "check": ("INSERT INTO figure (id, pairing_id, measure, name, value, unit)\n"
              "VALUES (900, 1, 'aid_funds', '资金', 5, 'dollars');\n", 1, "CHECK constraint failed"),
    "third statement": ("INSERT INTO place (id, name, level, parent_id) VALUES (900, '甲乡', 'township', 7);\n"
                        "INSERT INTO place (id, name, level, parent_id) VALUES (901, '乙乡', 'township', 7);\n"
                        "-- the next one repeats an id\n"
                        "INSERT INTO place (id, name, level, parent_id) VALUES (900, '丙乡', 'township', 7);\n",
                        4, "UNIQUE constraint failed: place.id"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_load_changes_nothing_and_names_its_line(my_db: Path, tmp_path: Path, capsys, case: str):
    text, line, rule = BAD_FILES[case]
    sql = write_sql(tmp_path, text)
    before = my_db.read_bytes()

    assert main(["load", str(sql), "--db", str(my_db)]) == 1

    message = capsys.readouterr().err
    assert f"{sql}, line {line}: " in message and rule in message
    assert "nothing was loaded" in message
    assert my_db.read_bytes() == before


def test_the_command_line_reports_without_a_traceback(my_db: Path, tmp_path: Path):
    sql = write_sql(tmp_path, "INSERT INTO nowhere VALUES (1);\n")
    result = subprocess.run([sys.executable, "-m", "tui", "load", str(sql), "--db", str(my_db)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no such table: nowhere" in result.stderr


def test_loading_into_a_missing_database_creates_nothing(tmp_path: Path, capsys):
    sql = write_sql(tmp_path, "SELECT 1;\n")
    missing = tmp_path / "missing.db"
    assert main(["load", str(sql), "--db", str(missing)]) == 1
    assert "duikou build" in capsys.readouterr().err
    assert not missing.exists()


def test_rows_added_with_plain_sqlite_are_seen_and_indexed(my_db: Path):
    plain = sqlite3.connect(my_db)
    plain.execute("PRAGMA foreign_keys = ON")
    plain.execute("INSERT INTO project (id, pairing_id, sector, name) VALUES (800, 2, 'health', '丹巴縣人民醫院')")
    plain.commit()
    plain.close()

    db = open_database(my_db)
    atlas = Atlas(db)
    chenghua = next(n for n in atlas.children(None) if n.label == "成华区")
    danba = atlas.children(chenghua)[0]
    health = next(n for n in atlas.children(danba) if n.scope.sector == "health")
    assert "丹巴縣人民醫院" in [n.label for n in atlas.children(health)]
    for query in ("丹巴县人民医院", "丹巴縣人民醫院", "dbxrmyy", "danba xian renmin yiyuan"):
        assert ("project", 800) in [(hit.kind, hit.ref) for hit in search(db, query)], query


def test_the_data_layer_imports_no_ui_code():
    code = ("import sys, tui.data, tui.data.atlas, tui.data.bundle, tui.data.loader, tui.data.index;"
            "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
            "print(ui); sys.exit(1 if ui else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
