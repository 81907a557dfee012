"""Hostile data and bad input: a damaged, foreign, locked or old file is one line saying what to do;
browsing never writes; concurrent loads stay whole; text from the database never drives the terminal."""
from __future__ import annotations

import asyncio
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


def test_check_finds_the_files_pinyin_dictionary_altered(fresh_db: Path, capsys):
    assert main(["check", "--db", str(fresh_db)]) == 0      # a fresh file's copy is pypinyin's
    with closing(sqlite3.connect(fresh_db)) as raw, raw:
        raw.execute("UPDATE search_dictionary SET syllables = 'zhong qing' WHERE text = '重庆'")
    assert main(["check", "--db", str(fresh_db)]) == 1
    assert "the file's copy of pypinyin's dictionary differs from pypinyin's in 1 entry (the first: 重庆)" \
        in capsys.readouterr().out


def test_check_says_nothing_of_a_dictionary_an_older_file_never_had(fresh_db: Path, capsys):
    with closing(sqlite3.connect(fresh_db)) as raw, raw:
        raw.execute("DROP TABLE search_dictionary")     # as a file built before it was
    assert main(["check", "--db", str(fresh_db)]) == 0
    assert "dictionary" not in capsys.readouterr().out


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
        await walk_to(pilot, "青白江区", "九龙县", "Agriculture and herding")
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


# ------------------------------------------------------------------------- files SQLite can open

@pytest.fixture
def read_only_folder(tmp_path: Path):
    """Make a folder read-only for this process (as root, whom permissions do not stop, with the
    immutable attribute); undone when the test ends."""
    made = []

    def freeze(folder: Path) -> Path:
        folder.chmod(0o555)
        made.append(folder)
        if os.access(folder, os.W_OK):
            if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a folder read-only here")
        return folder

    yield freeze
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_a_wal_database_in_a_read_only_folder_is_browsed(fresh_db: Path, tmp_path: Path, read_only_folder, capsys):
    folder = tmp_path / "shelf"
    folder.mkdir()
    with closing(sqlite3.connect(fresh_db)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    database = copy_database(fresh_db, folder / "atlas.db")
    read_only_folder(folder)
    for args in (["search", "九龙"], ["show", "project:20314"], ["check"]):
        assert main([*args, "--db", str(database)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "九龙县" in out and "甲居藏寨" in out and f"no problems in {database}" in out
    assert sorted(path.name for path in folder.iterdir()) == ["atlas.db"]       # nothing written beside it


def crash_while_writing(database: Path) -> None:
    """Leave `database` as a writer that dies mid-change leaves it: changed pages, and a hot journal."""
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    subprocess.run([sys.executable, "-c", f"""
import os, sqlite3
db = sqlite3.connect({str(database)!r}, isolation_level=None)
db.execute("PRAGMA cache_size = 2")
db.execute("BEGIN")
db.execute("UPDATE project SET name = 'half-written ' || id")
os._exit(0)"""], check=True)
    assert database.with_name(database.name + "-journal").stat().st_size > 0


def test_a_hot_journal_is_played_back_where_writing_is_allowed(fresh_db: Path, capsys):
    crash_while_writing(fresh_db)
    assert main(["show", "project:20314", "--db", str(fresh_db)]) == 0
    assert "甲居藏寨" in capsys.readouterr().out and "half-written" not in capsys.readouterr().out
    assert not fresh_db.with_name(fresh_db.name + "-journal").exists()


def test_a_hot_journal_where_writing_is_not_allowed_says_what_to_do(fresh_db: Path, tmp_path: Path,
                                                                    read_only_folder, capsys):
    folder = tmp_path / "shelf"
    folder.mkdir()
    database = copy_database(fresh_db, folder / "atlas.db")
    crash_while_writing(database)
    read_only_folder(folder)
    assert main(["search", "九龙", "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"duikou: {database} was left half-changed by a program that stopped while writing")
    assert "open it once with write access" in err and err.count("\n") == 1


# ----------------------------------------------------------------------------- one line, exit 1

def test_a_symlink_loop_is_one_line(tmp_path: Path, capsys):
    (tmp_path / "a.db").symlink_to(tmp_path / "b.db")
    (tmp_path / "b.db").symlink_to(tmp_path / "a.db")
    assert main(["search", "九龙", "--db", str(tmp_path / "a.db")]) == 1
    assert capsys.readouterr().err == f"duikou: {tmp_path / 'a.db'} is a loop of symbolic links: " \
                                      f"give the database file itself\n"


def test_an_unusable_data_folder_is_one_line(tmp_path: Path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    assert main(["search", "九龙"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("duikou: cannot keep the bundled database in ") and "--db FILE" in err
    assert err.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_one_line(seed_db: Path):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "tui", "show", "project:20314", "--db", str(seed_db)],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "duikou: cannot write the output: No space left on device\n"


def test_a_terminal_that_cannot_show_chinese_is_one_line(seed_db: Path):
    result = subprocess.run([sys.executable, "-m", "tui", "search", "九龙", "--db", str(seed_db)],
                            capture_output=True, timeout=60,
                            env={**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 1
    assert result.stderr.decode() == ("duikou: this terminal's encoding (latin-1) cannot show the text: "
                                      "set a UTF-8 locale (LANG=C.UTF-8) or PYTHONIOENCODING=utf-8\n")


@pytest.mark.parametrize("target", ["fifo", "device"])
def test_output_replaces_only_a_regular_file(seed_db: Path, tmp_path: Path, target: str, capsys):
    if target == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = Path("/dev/null")
    before = path.stat()
    assert main(["export", "--output", str(path), "--force", "--db", str(seed_db)]) == 1
    assert capsys.readouterr().err == f"duikou: {path} is not a regular file: an export writes only over a file, " \
                                      f"give a file name\n"
    after = path.stat()
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino


# ------------------------------------------------------------------------ values that are no number

def old_file_with(fresh_db: Path, value_sql: str) -> Path:
    """`fresh_db` as a file built before the schema held figure values to numbers, with figure
    10432's value set by `value_sql`."""
    with closing(sqlite3.connect(fresh_db)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = replace(sql, ?, 'CHECK (value >= 0)') WHERE name = 'figure'",
                   ("CHECK (typeof(value) IN ('integer', 'real') AND value BETWEEN 0 AND 1e300)",))
        db.commit()
    with closing(sqlite3.connect(fresh_db)) as db:
        db.execute(f"UPDATE figure SET value = {value_sql} WHERE id = 10432")
        db.commit()
    return fresh_db


@pytest.mark.parametrize("value_sql", ["'lots'", "x'00ff'", "9e999"])
def test_an_old_files_value_that_is_no_number_is_one_line_and_listed_by_check(fresh_db: Path, value_sql: str,
                                                                              capsys, app_must_not_start):
    database = old_file_with(fresh_db, value_sql)
    for args in (["search", "九龙"], ["show", "figure:10432"], ["export", "--format", "json"], []):
        assert main([*args, "--db", str(database)]) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(f"duikou: {database}: figure 10432 holds ") and err.count("\n") == 1
        assert "which is not a number" in err and "duikou check" in err
    assert not app_must_not_start
    assert main(["check", "--db", str(database)]) == 1
    out = capsys.readouterr().out
    assert "figure 10432: its value " in out and "is not a number" in out and "Infinity" not in out


def test_a_figure_value_of_text_is_refused_by_a_new_file(fresh_db: Path, capsys):
    sql = write_sql(fresh_db.parent / "text.sql", "UPDATE figure SET value = 'lots' WHERE id = 10432;")
    assert main(["load", str(sql), "--db", str(fresh_db)]) == 1
    assert "CHECK constraint failed" in capsys.readouterr().err


def test_json_never_holds_infinity():
    from tui.text.format import terminal_safe_json

    assert terminal_safe_json({"value": float("inf"), "parts": [float("nan"), 1.5]}) == \
        '{"value": null, "parts": [null, 1.5]}'


def test_evidence_naming_a_missing_document_is_cited_as_missing(fresh_db: Path, capsys):
    with closing(sqlite3.connect(fresh_db)) as db:       # foreign keys off, as the sqlite3 shell has them
        db.execute("UPDATE project SET document = 'gone.txt' WHERE id = 20314")
        db.commit()
    assert main(["show", "project:20314", "--db", str(fresh_db)]) == 0
    assert "《no such document》, gone.txt" in capsys.readouterr().out
    assert main(["export", "--format", "markdown", "--db", str(fresh_db)]) == 0
    assert "gone.txt" in capsys.readouterr().out


def test_check_reads_a_long_wording_in_few_steps(fresh_db: Path, monkeypatch):
    """Quadratic no more: a 15,000-character wording is read a handful of times, not once per length."""
    import tui.data.check as checking

    wording = "长" * 15_000 + "1050万元"
    evidence = "长" * 15_000 + "1050万"
    calls = []
    real = checking.first_number
    monkeypatch.setattr(checking, "first_number", lambda text: calls.append(len(text)) or real(text))
    assert checking._quoted(wording, evidence)
    assert not checking._quoted(wording, "长" * 14_000)
    assert len(calls) <= 10


# -------------------------------------------------------------------------------- the app's errors

async def test_a_database_error_in_a_worker_is_one_line_in_the_app(seed_db: Path, monkeypatch):
    from textual.widgets._toast import Toast

    from tui.browser.app import DuikouApp
    from tui.data.shared import SharedAtlas

    atlas = SharedAtlas(seed_db)
    app = DuikouApp(atlas, "en")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()

        def damaged(*args, **kwargs):
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(atlas, "counts", damaged)
        await pilot.press("p")                               # pivoting recounts, in a worker
        await pilot.pause(0.3)
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any(f"{seed_db} is damaged or is not a SQLite database" in toast for toast in toasts), toasts
        assert app.is_running and app.return_code is None


def test_the_app_exits_non_zero_with_the_line_when_it_must_stop(seed_db: Path, monkeypatch, capsys):
    import tui.browser.app as browser
    from tui.data.ordering import first_rows

    def unreadable(self) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(browser.DuikouApp, "on_mount", unreadable)
    monkeypatch.setattr(browser.DuikouApp, "run", lambda self: asyncio.run(self.run_async(headless=True)))
    assert browser.run(*first_rows(seed_db)) == 1       # as the command line starts it
    err = capsys.readouterr().err
    assert err.startswith(f"duikou: {seed_db} is damaged or is not a SQLite database") and err.count("\n") == 1


def test_damage_past_the_open_time_check_is_one_line(seed_db: Path, tmp_path: Path):
    """Files over 32 MB are not scanned as they open (here: no file is); their damage is met later,
    and said as plainly."""
    path = corrupt(seed_db, tmp_path)
    for args in (["export", "--format", "csv"], ["check"]):
        result = subprocess.run([sys.executable, "-c", "import sys, tui.cli; tui.cli.verify = lambda database: None; "
                                 "sys.exit(tui.cli.main(sys.argv[1:]))", *args, "--db", str(path)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        if args[0] == "export":
            assert result.stderr.startswith(f"duikou: {path} is damaged") and result.stderr.count("\n") == 1


async def test_served_without_export_the_app_writes_no_file(seed_db: Path, tmp_path: Path, monkeypatch):
    from tui.browser.app import DuikouApp
    from tui.data.shared import SharedAtlas

    monkeypatch.chdir(tmp_path)
    app = DuikouApp(SharedAtlas(seed_db), "en", exports=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "export" not in {active.binding.action for active in app.screen.active_bindings.values()
                                if app.check_action(active.binding.action, ()) is not False}
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert list(tmp_path.iterdir()) == []


def test_a_load_sets_an_old_files_bad_value_or_is_refused(fresh_db: Path, capsys):
    database = old_file_with(fresh_db, "'lots'")
    unrelated = write_sql(database.parent / "other.sql", "INSERT INTO measure VALUES ('x_other', '他', 'other', 1);")
    assert main(["load", str(unrelated), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("duikou: figure 10432 still holds 'lots' as its value, which is not a number: add to ")
    assert err.count("\n") == 1 and "the database is unchanged" in err
    fix = write_sql(database.parent / "fix.sql", "UPDATE figure SET value = 10500000 WHERE id = 10432;")
    assert main(["load", str(fix), "--db", str(database)]) == 0
    assert main(["show", "figure:10432", "--db", str(database)]) == 0
    assert "1,050 万元" in capsys.readouterr().out
