"""What the tests share: copying a database, loading a fixture file, the app on a database,
waiting for its workers, and where its tree's cursor is."""
from __future__ import annotations

import shutil
import sqlite3
from contextlib import suppress
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual.worker import WorkerCancelled

from tui.browser.app import DuikouApp
from tui.browser.widgets.atlas_tree import AtlasTree
from tui.browser.widgets.detail_pane import DetailPane
from tui.data import connect
from tui.data.loader import load_file
from tui.data.shared import SharedAtlas

FIXTURES = Path(__file__).parent / "fixtures"


def copy_database(database: Path, target: Path) -> Path:
    """A copy of the database file `database` at `target` (which must not exist yet), for a test
    to change without touching the original."""
    if target.exists():
        raise FileExistsError(target)
    shutil.copyfile(database, target)
    return target


def load_fixture(database: Path, name: str) -> Path:
    """Load tests/fixtures/NAME into `database`, as `duikou load` would."""
    db = connect(database, write=True)
    try:
        load_file(db, FIXTURES / name)
    finally:
        db.close()
    return database


def make_app(database: Path, lang: str = "en") -> DuikouApp:
    return DuikouApp(SharedAtlas(database), lang)


def tree_of(pilot: Pilot) -> AtlasTree:
    return pilot.app.query_one(AtlasTree)


def cursor_label(pilot: Pilot) -> str:
    """The label of the tree's cursor node, or "" when there is none."""
    node = tree_of(pilot).cursor_node
    return str(node.label) if node else ""


async def settle(pilot: Pilot, *, after_typing: bool = False) -> None:
    """Let every worker finish and every message they caused be handled; after typing, first
    wait out the search's pause after the last key."""
    if after_typing:
        await pilot.pause(0.3)
    for _ in range(40):
        # A worker cancelled by a newer one (the tree read anew once the app caught up with another
        # program's change) is done with too.
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app never settled")


async def walk_to(pilot: Pilot, *labels: str) -> None:
    """Move the tree cursor to each label with j/k and open it with Enter, as a person would."""
    tree = pilot.app.query_one(AtlasTree)
    for label in labels:
        await settle(pilot)
        target = next(node for line in range(tree.last_line + 1)
                      if (node := tree.get_node_at_line(line)) is not None and str(node.label) == label)
        key = "j" if target.line > tree.cursor_line else "k"
        for _ in range(abs(target.line - tree.cursor_line)):
            await pilot.press(key)
        assert str(tree.cursor_node.label) == label
        await pilot.press("enter")
    await settle(pilot)


def detail_text(pilot: Pilot) -> str:
    """Everything the detail pane shows as text, tables included."""
    pane = pilot.app.query_one(DetailPane)
    parts = []
    for widget in pane.query("*"):
        if isinstance(widget, DataTable):
            parts += [str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)]
            parts += [str(column.label) for column in widget.columns.values()]
        elif isinstance(widget, Static):
            parts.append(str(widget.content))
        else:
            parts.append(str(widget.render()))
    return "\n".join(parts)


def help_rows(pilot: Pilot) -> dict[str, dict[str, str]]:
    """The open help screen's sections as shown: heading → {what a key does: its keys}."""
    return {heading: {does: keys for keys, does in rows} for heading, rows in pilot.app.screen.sections}


def sql(database: Path, query: str, *params) -> list[tuple]:
    """The rows of one query on a database file, read on a connection of its own."""
    db = sqlite3.connect(database)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()
