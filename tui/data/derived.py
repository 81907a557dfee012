"""The tables Duikou derives from the data: the search index and the roll-ups, both fed by queues
that the schema's triggers fill whichever program changed a row."""
from __future__ import annotations

import re
import sqlite3
from functools import cache
from typing import Callable

from tui.data import index, rollup
from tui.data.statements import statements

_CREATED = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s+(\w+)", re.IGNORECASE)


def is_stale(db: sqlite3.Connection) -> bool:
    return index.is_stale(db) or rollup.is_stale(db) or bool(_missing(db))


def catch_up(db: sqlite3.Connection, progress: Callable[[int], None] | None = None) -> None:
    """Index and roll up every queued row; run inside the caller's transaction. `progress` hears
    how many rows have been indexed."""
    created = upgrade(db)
    if "rollup" in created:
        rollup.queue_everything(db)
    if "search_name" in created:
        index.name_every_entry(db)
    index.refresh(db, progress)
    rollup.refresh(db)


def compute_rollups_in_memory(db: sqlite3.Connection) -> None:
    """Fresh roll-ups for a connection that may not write: temporary tables that shadow the file's own."""
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    for name, sql in _definitions(rollup_only=True):
        if sql.startswith("CREATE TRIGGER") or (sql.startswith("CREATE VIEW") and name in present):
            continue    # the file's own views read only its own tables
        sql = re.sub(r"^CREATE (TABLE|VIEW) ", r"CREATE TEMP \1 ", sql)
        db.execute(re.sub(r"^CREATE INDEX ", "CREATE INDEX temp.", sql))
    rollup.queue_everything(db)
    rollup.refresh(db)


def upgrade(db: sqlite3.Connection) -> set[str]:
    """Create what the bundled schema holds and a file built by an older Duikou lacks (every
    change to the schema adds, never alters); returns the names created."""
    missing = _missing(db)
    for name, sql in _definitions():
        if name in missing:
            db.execute(sql)
    return missing


def _missing(db: sqlite3.Connection) -> set[str]:
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    return {name for name, _ in _definitions()} - present


@cache
def _definitions(rollup_only: bool = False) -> tuple[tuple[str, str], ...]:
    """(name, statement) of everything the bundled schema and roll-ups (or the roll-ups alone)
    create, in order."""
    from tui.data.bundle import ROLLUP, SCHEMA

    found = []
    for script in (ROLLUP,) if rollup_only else (SCHEMA, ROLLUP):
        for statement in statements(script.read_text(encoding="utf-8")):
            if (created := _CREATED.match(statement.sql)) is not None:
                found.append((created.group(1), statement.sql))
    return tuple(found)
