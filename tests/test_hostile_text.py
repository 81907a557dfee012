"""Every text column of the schema holding hostile text at once: terminal escapes (clipboard, window
title, clear screen, bell), zero-width and direction marks, and Textual markup. No command's output
and no screen of the app lets one of them act: each is shown, never obeyed or interpreted."""
from __future__ import annotations

import json
import os
import re
import select
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from support import copy_database, settle

from tui.cli import main
from tui.data.derived import derived_names, writing
from tui.export import FORMATS

HOSTILE = ("\x1b]52;c;aGk=\x07\x1b]2;pwned\x07\x1b[2J\x07\u200b\u200e\u202e\u2066\u061c\u2028\ufeff"
           "[b]m[/b] [/] [@click=app.bell]x[/]")
ESCAPES = ["\x1b", "\x07", "\x9b", "\u200b", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff",
           *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
SHOWN = "␛]52;c;aGk=␇"      # how the clipboard escape reads once made visible
ROOT = Path(__file__).resolve().parent.parent


def text_columns(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, column) of every TEXT column of the data's own tables, read from the schema."""
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite%' ORDER BY name")
              if name not in derived_names() and not any(name.startswith(f"{derived}_") for derived in derived_names())]
    return [(table, column) for table in tables
            for _, column, kind, *_ in db.execute("SELECT * FROM pragma_table_info(?)", (table,))
            if kind.upper() == "TEXT"]


@pytest.fixture(scope="module")
def hostile_everywhere(tmp_path_factory, seed_db: Path) -> tuple[Path, list, list]:
    """A copy of the seed with HOSTILE appended to every text column that takes it; a key and the
    columns naming it change together. Returns the file, the columns written and those whose CHECK
    (a fixed list of codes) refuses any such text."""
    path = copy_database(seed_db, tmp_path_factory.mktemp("hostile") / "hostile.db")
    written, refused = [], []
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        referrers = {}    # (parent, key) → [(child, column)]
        for table in dict.fromkeys(table for table, _ in text_columns(db)):
            for row in db.execute("SELECT * FROM pragma_foreign_key_list(?)", (table,)):
                referrers.setdefault((row[2], row[4] or "id"), []).append((table, row[3]))
        referring = {pair for pairs in referrers.values() for pair in pairs}
        with writing(db):
            for table, column in text_columns(db):
                if (table, column) in referring or table == "meta":
                    continue     # changed with the key it names; Duikou's own bookkeeping is no data
                # Appended where the column takes it; a column capped in length keeps only its start.
                if any(appended(db, table, column, referrers.get((table, column), ()), keep)
                       for keep in (None, 8)):
                    written.append((table, column))
                else:
                    refused.append((table, column))
    return path, written, refused


def strings(value: object) -> list[str]:
    """Every string in a value read from JSON."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return [text for item in items for text in strings(item)]


def appended(db: sqlite3.Connection, table: str, column: str, referrers, keep: int | None) -> bool:
    """Whether HOSTILE could be appended to every value of the column (cut to `keep` characters
    first) and to the columns naming them; a CHECK refusing it leaves all of them as they were."""
    value = f'"{column}"' if keep is None else f'substr("{column}", 1, {keep})'
    db.execute("SAVEPOINT column")
    db.execute("PRAGMA defer_foreign_keys = ON")
    try:
        db.execute(f'UPDATE "{table}" SET "{column}" = {value} || ? WHERE "{column}" IS NOT NULL', (HOSTILE,))
        for child, child_column in referrers:
            db.execute(f'UPDATE "{child}" SET "{child_column}" = "{child_column}" || ? '
                       f'WHERE "{child_column}" IS NOT NULL', (HOSTILE,))
    except sqlite3.IntegrityError as error:
        assert "CHECK" in str(error), (table, column, error)
        db.execute("ROLLBACK TO column")
        return False
    finally:
        db.execute("RELEASE column")
    return True


def assert_inert(text: str, where: str) -> None:
    found = sorted({repr(char) for char in ESCAPES if char in text})
    assert not found, f"{where}: {found}"


def test_every_text_column_holds_hostile_text_or_refuses_it_by_its_check(hostile_everywhere):
    path, written, refused = hostile_everywhere
    with closing(sqlite3.connect(path)) as db:
        schema = {name: sql for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
        assert db.execute("SELECT count(*) FROM project WHERE name LIKE ?", (f"%{HOSTILE}",)).fetchone()[0] > 10
    assert {("project", "name"), ("measure", "code"), ("document", "key"), ("figure", "unit")} & set(written) \
        >= {("project", "name"), ("measure", "code"), ("document", "key")}
    for table, column in refused:                # only a column held to a fixed list or pattern can refuse
        checks = re.findall(rf"CHECK \((?:{column} IS NULL OR )?\(?{column} (?:IN|NOT GLOB|GLOB|NOT IN) ",
                            schema[table])
        assert checks or re.search(rf"{column} NOT GLOB", schema[table]), (table, column)


COMMANDS = [["search", "九龙"], ["search", "九龙", "--json"], ["search", "甲居"], ["search", "工作报道"],
            ["show", "project:20314"], ["show", "project:20314", "--json"], ["show", "figure:10432"], ["show", "figure:10432", "--json"],
            ["show", "pairing:1"], ["check"], ["export", "--node", "nosuch"],
            *(["export", "--format", fmt] for fmt in FORMATS if fmt != "xlsx")]   # xlsx is binary: below


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_command_lets_hostile_text_act(hostile_everywhere, args: list[str], capsys):
    path, _, _ = hostile_everywhere
    code = main([*args, "--db", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    if args[-1] == "csv":
        out = out.removeprefix("\ufeff")   # the byte-order mark Excel needs, Duikou's own
    assert_inert(out, "stdout")
    assert_inert(err, "stderr")
    if "--json" in args:
        assert any(HOSTILE in text for text in strings(json.loads(out)))   # valid JSON, the data exact
    elif args[0] in ("search", "show") or args[:2] == ["export", "--node"]:
        assert SHOWN in out + err and "[@click=app.bell]x[/]" in out + err   # shown, markup as written


def test_a_workbook_of_hostile_text_holds_it_inert(hostile_everywhere, tmp_path, capsys):
    from openpyxl import load_workbook

    path, _, _ = hostile_everywhere
    output = tmp_path / "hostile.xlsx"
    assert main(["export", "--format", "xlsx", "--output", str(output), "--db", str(path)]) == 0
    cells = [str(cell) for row in load_workbook(output, read_only=True).active.iter_rows(values_only=True)
             for cell in row if cell is not None]
    assert_inert("\n".join(cells), "workbook")
    assert any(SHOWN in cell for cell in cells)


async def test_the_app_shows_hostile_text_literally_and_copies_it_inert(hostile_everywhere):
    from textual.widgets import Static
    from textual.widgets._toast import Toast

    from tui.browser.app import DuikouApp
    from tui.data.shared import SharedAtlas

    path, _, _ = hostile_everywhere
    app = DuikouApp(SharedAtlas(path), "en")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for key in ("enter", "j", "enter", "j", "enter", "j", "enter", "j"):   # down to a project
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        shown = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        assert_inert(shown, "screen")
        assert SHOWN in shown and "[@click=app.bell]x[/]" in shown
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert toasts and any("[/]" in toast for toast in toasts)   # the copied name, markup as written
        assert_inert(app.clipboard, "clipboard")
        assert SHOWN in app.clipboard


@pytest.mark.skipif(not hasattr(os, "forkpty"), reason="needs a pseudo-terminal")
def test_in_a_real_terminal_no_escape_from_the_data_is_written(hostile_everywhere):
    path, _, _ = hostile_everywhere
    pid, terminal = os.forkpty()
    if pid == 0:   # the child: the app itself, as a person starts it
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40",
                           "PYTHONPATH": str(ROOT)})
        os.execv(sys.executable, [sys.executable, "-m", "tui", "--db", str(path), "--lang", "en"])
    written = bytearray()

    def read_until_quiet(quiet: float = 0.2, limit: float = 10, drawn: bytes = b"") -> None:
        """Read what the app writes until it has been silent for `quiet` seconds (and has drawn `drawn`)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], quiet)
            if not ready and drawn in written:
                return
            if ready:
                try:
                    written.extend(os.read(terminal, 65536))
                except OSError:
                    return

    try:
        read_until_quiet(drawn=SHOWN.encode())     # start-up: the tree's first page, its names made visible
        for key in (b"\r", b"j", b"\r", b"j", b"\r", b"j", b"\r", b"j", b"c"):
            os.write(terminal, key)
            read_until_quiet()
        os.write(terminal, b"q")
        read_until_quiet()
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(terminal)
    text = written.decode("utf-8", "replace")
    assert SHOWN in text                                          # the data was drawn
    for escape in ("\x1b]52;c;aGk=", "\x1b]2;pwned", "\u202e", "\u200b", "\u2066", "\ufeff"):
        assert escape not in text, repr(escape)
