"""Hostile data and bad input: a damaged, foreign, locked or old file is one line saying what to do;
browsing never writes; concurrent loads stay whole; text from the database never drives the terminal."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from support import copy_database, load_fixture, walk_to
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tui.cli import main
from tui.data import DuikouError, connect, open_database
from tui.data.check import check
from tui.data.loader import load_file

HOSTILE_PROJECT = "[red]x[/red] [/] [link=file:///etc/passwd]x[/link] 援建[/ 恶意项目"


@pytest.fixture
def hostile_db(fresh_db: Path) -> Path:
    return load_fixture(fresh_db, "hostile.sql")


def write_sql(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- duikou check

def test_check_on_a_fresh_build_finds_no_problem_and_warns_about_the_sources_own_sum(fresh_db: Path, capsys):
    assert main(["check", "--db", str(fresh_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("warning: figure 10440: its 6 parts add to 33 > total 32 project")
    # Further warnings name data the curation of issue #13 has still to mend (plans inside money given).
    assert all(line.startswith("warning: ") for line in lines[:-1])
    assert lines[-1].startswith(f"no problems in {fresh_db} (")


def test_check_finds_orphans_that_the_plain_sqlite3_shell_let_in(fresh_db: Path, capsys):
    raw = sqlite3.connect(fresh_db)            # like the sqlite3 shell: foreign keys off unless asked
    raw.execute("INSERT INTO figure (id, project_id, measure, name, value, unit) "
                "VALUES (960001, 424242, 'count', '孤儿', 1, 'item')")
    raw.commit()
    raw.close()
    problems = check(fresh_db)
    orphan = next(p for p in problems if p.kind == "orphan")
    assert (orphan.table, orphan.row) == ("figure", 960001)
    assert main(["check", "--db", str(fresh_db)]) == 1
    out = capsys.readouterr().out
    assert "figure 960001: project_id = 424242 refers to a project that does not exist" in out
    assert "wait to be indexed" in out                      # the shell's insert was queued, not indexed
    assert f"problems in {fresh_db} (" in out.splitlines()[-1]


def test_check_finds_figures_their_quote_or_wording_do_not_bear_out(fresh_db: Path, capsys):
    db = connect(fresh_db, write=True)
    load_file(db, write_sql(fresh_db.parent / "bad.sql", """
        INSERT INTO figure (id, pairing_id, measure, name, value, unit, wording, document, evidence) VALUES
          (960010, 1, 'aid_funds', '资金', 1000, 'CNY', '1050万元', '000_c29e945638e12640.txt', '青白江区2018年拨付对口帮扶资金1050万'),
          (960011, 1, 'aid_funds', '资金', 10500000, 'CNY', '2000万元', '000_c29e945638e12640.txt', '青白江区2018年拨付对口帮扶资金1050万'),
          (960012, 1, 'count', '项目', 5, 'project', '若干', NULL, NULL);"""))
    db.close()
    found = {(p.kind, p.row) for p in check(fresh_db)}
    assert ("wording", 960010) in found and ("evidence", 960010) not in found   # 1050万 stands for 1050万元
    assert {("evidence", 960011), ("wording", 960011), ("wording", 960012)} <= found
    assert main(["check", "--db", str(fresh_db)]) == 1
    out = capsys.readouterr().out
    assert "figure 960010: its wording «1050万元» reads as 1.05e+07, but its value is 1000 CNY" in out
    assert "figure 960011: its evidence «青白江区2018年拨付对口帮扶资金1050万» does not contain its wording «2000万元»" in out


def test_parts_over_their_total_are_a_warning_not_a_problem(fresh_db: Path, capsys):
    db = connect(fresh_db, write=True)
    load_file(db, write_sql(fresh_db.parent / "parts.sql", """
        INSERT INTO figure (id, pairing_id, measure, name, value, unit, part_of_id) VALUES
          (960020, 1, 'aid_funds', '总', 100, 'CNY', NULL),
          (960021, 1, 'aid_funds', '甲', 80, 'CNY', 960020),
          (960022, 1, 'aid_funds', '乙', 30, 'CNY', 960020),
          (960023, 1, 'count', '户', 999, 'household', 960020);"""))
    db.close()
    warning = next(p for p in check(fresh_db) if p.row == 960020)
    assert warning.warning and warning.kind == "parts"
    assert main(["check", "--db", str(fresh_db)]) == 0
    assert "warning: figure 960020: its 2 parts add to 110 > total 100 CNY" in capsys.readouterr().out


def test_check_finds_a_search_index_out_of_step(fresh_db: Path, capsys):
    raw = sqlite3.connect(fresh_db)
    raw.execute("DELETE FROM search_index WHERE kind = 'project' AND ref = 20314")
    raw.execute("INSERT INTO search_index (kind, ref, names, body) VALUES ('project', 999999, 'x', 'y')")
    raw.commit()
    raw.close()
    assert main(["check", "--db", str(fresh_db)]) == 1
    out = capsys.readouterr().out
    assert "project 20314: search cannot find it: the row is missing from the index" in out
    assert "project 999999: the search index still lists it, but the row is gone" in out


def test_check_reports_a_damaged_file_page_by_page_without_a_traceback(seed_db: Path, tmp_path: Path):
    path = corrupt(seed_db, tmp_path)
    result = run_cli("--db", str(path), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "database: SQLite integrity check:" in result.stdout
    assert f"problems in {path}" in result.stdout.splitlines()[-1]


# ------------------------------------------------------------------------------------ bad files, one line

def corrupt(built: Path, tmp_path: Path) -> Path:
    """A copy of `built` with the rows of one page of the project table overwritten, its header
    kept, as a bad disk might leave it."""
    with closing(sqlite3.connect(built)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        page = db.execute("SELECT pageno FROM dbstat WHERE name = 'project' AND pagetype = 'leaf' "
                          "ORDER BY pageno LIMIT 1 OFFSET 2").fetchone()[0]
    data = bytearray(built.read_bytes())
    start, end = (page - 1) * page_size + 100, page * page_size
    data[start:end] = b"\xff" * (end - start)
    path = tmp_path / "corrupt.db"
    path.write_bytes(bytes(data))
    return path


def make_bad(kind: str, built: Path, tmp_path: Path) -> tuple[Path, str]:
    """A bad database file of `kind`, and the words the one-line answer must hold."""
    path = tmp_path / f"{kind}.db"
    if kind == "missing":
        return path, "no database at"
    if kind == "directory":
        path.mkdir()
        return path, "is a folder"
    if kind == "text":
        path.write_text("青白江区 → 九龙县\nnot a database at all\n" * 200, encoding="utf-8")
        return path, "not a SQLite database"
    if kind == "empty":
        path.write_bytes(b"")
        return path, "empty file"
    if kind == "truncated":
        path.write_bytes(built.read_bytes()[:2048])
        return path, "damaged"
    if kind == "corrupt":
        return corrupt(built, tmp_path), "damaged"
    if kind == "other_program":
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        other.execute("INSERT INTO contacts VALUES ('x', '1')")
        other.commit()
        other.close()
        return path, "not a Duikou one"
    if kind == "old_schema":
        copy_database(built, path)
        old = sqlite3.connect(path)
        old.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        old.commit()
        old.close()
        return path, "another version of Duikou (schema 0"
    raise AssertionError(kind)


BAD = ["missing", "directory", "text", "empty", "truncated", "corrupt", "other_program", "old_schema"]
COMMANDS = {
    "search": lambda db, sql: ["--db", db, "search", "九龙"],
    "show": lambda db, sql: ["show", "project:20314", "--db", db],
    "check": lambda db, sql: ["check", "--db", db],
    "load": lambda db, sql: ["load", sql, "--db", db],
    "app": lambda db, sql: ["--db", db],
}


@pytest.fixture
def app_must_not_start(monkeypatch):
    import tui.browser.app

    started = []
    monkeypatch.setattr(tui.browser.app, "run", lambda *args, **kwargs: started.append(args) or 0)
    return started


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_one_line_saying_what_is_wrong(kind: str, command: str, seed_db: Path, tmp_path: Path,
                                                      capsys, app_must_not_start):
    path, words = make_bad(kind, seed_db, tmp_path)
    before = path.read_bytes() if path.is_file() else None
    sql = write_sql(tmp_path / "one.sql", "INSERT INTO measure VALUES ('x_test', '测', 'test', 1);")
    code = main(COMMANDS[command](str(path), str(sql)))
    out, err = capsys.readouterr()
    assert code == 1 and not app_must_not_start
    if command == "check" and kind == "corrupt":            # check opens it and lists the damage
        assert "SQLite integrity check" in out and f"problems in {path}" in out.splitlines()[-1]
        return
    assert out == "" and err.count("\n") == 1 and err.startswith("duikou: ") and words in err, err
    assert "Traceback" not in err
    assert kind != "missing" or not path.exists()           # nothing is created by looking
    if before is not None:
        assert path.read_bytes() == before                  # nor written into a bad file


def test_a_corrupt_file_through_the_real_command_line_is_one_line(seed_db: Path, tmp_path: Path):
    path = corrupt(seed_db, tmp_path)
    for args in (["search", "九龙"], ["show", "project:20314"], []):
        result = run_cli("--db", str(path), *args)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.startswith(f"duikou: {path} is damaged") and result.stderr.count("\n") == 1


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60)


# --------------------------------------------------------------------------------------------- locks

@pytest.fixture
def held(request):
    """Open a connection that holds BEGIN EXCLUSIVE on a database until the test ends."""
    holders = []

    def hold(path: Path) -> sqlite3.Connection:
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("INSERT INTO measure VALUES ('x_lock', '锁', 'lock', 1)")
        holders.append(writer)
        return writer

    yield hold
    for writer in holders:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_database_locked_by_a_writer_is_a_locked_line_within_seconds(fresh_db: Path, held, capsys,
                                                                       app_must_not_start):
    journal = sqlite3.connect(fresh_db)
    assert journal.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"   # readers must wait here
    journal.close()
    held(fresh_db)
    for args in (["search", "九龙", "--db", str(fresh_db)], ["show", "project:20314", "--db", str(fresh_db)],
                 ["check", "--db", str(fresh_db)], ["--db", str(fresh_db)]):
        started = time.monotonic()
        assert main(args) == 1
        assert time.monotonic() - started < 6
        err = capsys.readouterr().err
        assert err == f"duikou: {fresh_db} is locked by another program writing to it: try again when it has finished\n"
    assert not app_must_not_start


def test_readers_of_a_wal_database_do_not_wait_for_a_writer(fresh_db: Path, held, capsys):
    held(fresh_db)                                            # built databases are WAL: readers read on
    started = time.monotonic()
    assert main(["show", "project:20314", "--db", str(fresh_db)]) == 0
    assert "甲居藏寨" in capsys.readouterr().out and time.monotonic() - started < 3


def test_a_load_into_a_locked_database_says_locked_and_changes_nothing(fresh_db: Path, held, tmp_path: Path, capsys):
    held(fresh_db)
    sql = write_sql(tmp_path / "one.sql", "INSERT INTO measure VALUES ('x_test', '测', 'test', 1);")
    started = time.monotonic()
    assert main(["load", str(sql), "--db", str(fresh_db)]) == 1
    assert time.monotonic() - started < 10
    assert "is locked by another program" in capsys.readouterr().err
    assert sqlite3.connect(fresh_db).execute("SELECT count(*) FROM measure WHERE code LIKE 'x_%'").fetchone()[0] == 0


# ------------------------------------------------------------------------------------ read-only browsing

def test_search_and_show_leave_the_database_bytes_unchanged(fresh_db: Path, capsys):
    before = fresh_db.read_bytes()
    assert main(["search", "九龙", "--db", str(fresh_db)]) == 0
    assert main(["search", "1050万", "--json", "--db", str(fresh_db)]) == 0
    assert main(["show", "project:20314", "--db", str(fresh_db)]) == 0
    assert main(["show", "figure:10432", "--json", "--db", str(fresh_db)]) == 0
    assert capsys.readouterr().out
    assert fresh_db.read_bytes() == before
    wal = fresh_db.with_name(fresh_db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0    # nothing waits to be written back either


def test_browsing_connections_cannot_write(fresh_db: Path):
    db = open_database(fresh_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("INSERT INTO measure VALUES ('x_ro', '读', 'read', 1)")
    db.close()


def test_a_read_only_file_can_be_browsed(fresh_db: Path, capsys):
    fresh_db.chmod(0o444)
    try:
        if os.access(fresh_db, os.W_OK):
            pytest.skip("running as root: a 0o444 file is still writable")
        assert main(["search", "九龙", "--db", str(fresh_db)]) == 0
        assert "九龙县" in capsys.readouterr().out
    finally:
        fresh_db.chmod(stat.S_IRUSR | stat.S_IWUSR)


# --------------------------------------------------------------------------------------------- loading

def project_sql(path: Path, first_id: int, count: int) -> Path:
    rows = ",\n".join(f"({first_id + i}, 1, 'agriculture', '并发项目{first_id + i}')" for i in range(count))
    return write_sql(path, f"INSERT INTO project (id, pairing_id, sector, name) VALUES\n{rows};\n")


def test_a_load_while_a_reader_is_open_works_and_the_reader_sees_it_after_reopening(fresh_db: Path, tmp_path: Path):
    reader = open_database(fresh_db)
    reader.execute("BEGIN")                                  # a reader in the middle of a read
    before = reader.execute("SELECT count(*) FROM project").fetchone()[0]
    writer = connect(fresh_db, write=True)
    assert load_file(writer, project_sql(tmp_path / "a.sql", 970000, 3)) == 1
    writer.close()
    assert reader.execute("SELECT count(*) FROM project").fetchone()[0] == before   # its snapshot holds
    reader.execute("COMMIT")
    reader.close()
    again = open_database(fresh_db)
    assert again.execute("SELECT count(*) FROM project").fetchone()[0] == before + 3
    again.close()


def test_two_loads_at_once_both_land_or_one_says_locked_and_the_file_stays_whole(fresh_db: Path, tmp_path: Path):
    files = {970100: project_sql(tmp_path / "one.sql", 970100, 300),
             970500: project_sql(tmp_path / "two.sql", 970500, 300)}
    barrier = threading.Barrier(len(files))
    outcome: dict[int, object] = {}

    def load(first_id: int) -> None:
        db = connect(fresh_db, write=True)
        try:
            barrier.wait()
            outcome[first_id] = load_file(db, files[first_id])
        except (DuikouError, sqlite3.OperationalError) as error:
            outcome[first_id] = error
        finally:
            db.close()

    threads = [threading.Thread(target=load, args=(first_id,)) for first_id in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    landed = {first_id for first_id, result in outcome.items() if result == 1}
    for first_id, result in outcome.items():
        assert result == 1 or "locked" in str(result), result
    assert landed, outcome
    db = sqlite3.connect(fresh_db)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ids = {row[0] for row in db.execute("SELECT id FROM project WHERE id >= 970000")}
    assert ids == {first_id + i for first_id in landed for i in range(300)}
    db.close()
    assert check(fresh_db) and all(problem.warning for problem in check(fresh_db))   # index in step too


# ------------------------------------------------------------------------------------------ hostile data

UNSAFE = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), *map(chr, range(0x202A, 0x202F)),
          *map(chr, range(0x2066, 0x206A))} - {"\n"}


@pytest.mark.parametrize("args", [["search", "恶意"], ["search", "esc"], ["search", "恶意", "--json"],
                                  ["show", "project:950001"], ["show", "project:950001", "--json"],
                                  ["show", "figure:950010"], ["show", "figure:950011", "--json"],
                                  ["show", "project:950002"], ["show", "project:950003"]])
def test_hostile_text_never_reaches_the_terminal_raw(hostile_db: Path, args: list[str]):
    result = subprocess.run([sys.executable, "-m", "tui", "--db", str(hostile_db), *args],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert out and not UNSAFE & set(out + result.stderr.decode("utf-8")), sorted(UNSAFE & set(out))
    if "--json" not in args and "project:950001" in args:
        assert HOSTILE_PROJECT in out                       # markup printed as written
        assert "␛[2J" in out and "␛]52;c;aGVsbG8=␇" in out    # escapes shown as pictures, not obeyed


def test_hostile_json_keeps_the_data_exact(hostile_db: Path, capsys):
    import json

    assert main(["show", "project:950001", "--json", "--db", str(hostile_db)]) == 0
    project = json.loads(capsys.readouterr().out)
    assert project["name"] == HOSTILE_PROJECT
    assert "\x1b]52;c;aGVsbG8=\x07" in project["description"] and "\u202e" in project["description"]
    assert project["place"][-1].startswith("恶意村\u202e")


def test_check_reads_hostile_rows_without_a_problem(hostile_db: Path, capsys):
    assert main(["check", "--db", str(hostile_db)]) == 0
    assert "\x1b" not in capsys.readouterr().out




def screen_text(pilot: Pilot) -> str:
    """The tree's rendered lines and the detail pane's text."""
    from tui.browser.widgets.atlas_tree import AtlasTree
    from tui.browser.widgets.detail_pane import DetailPane

    tree = pilot.app.query_one(AtlasTree)
    parts = [tree.render_line(line).text for line in range(tree.size.height)]
    for widget in pilot.app.query_one(DetailPane).query("*"):
        if isinstance(widget, DataTable):
            parts += [str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)]
        elif isinstance(widget, Static):
            parts.append(str(widget.content))
    return "\n".join(parts)


async def test_hostile_rows_show_literally_in_the_app(hostile_db: Path) -> None:
    from tui.browser.app import DuikouApp
    from tui.data.shared import SharedAtlas

    long_name = "长名" + "名" * 498
    async with DuikouApp(SharedAtlas(hostile_db), "en").run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", "农牧业/中藏药材/养殖 agriculture")
        tree_lines = screen_text(pilot)
        assert "[red]x[/red]" in tree_lines                 # the label keeps its brackets, uncoloured
        await walk_to(pilot, HOSTILE_PROJECT)
        shown = screen_text(pilot)
        assert HOSTILE_PROJECT in shown and "[link=file:///etc/passwd]x[/link]" in shown
        assert "[red]钱[/red]" in shown                      # the figure's name, too
        assert "␛" in shown and "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown
        assert "no source" in shown
        await walk_to(pilot, long_name)                     # 500-character name, 10,000-character text
        assert "长长长长" in screen_text(pilot)
