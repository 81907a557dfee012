"""Duikou's data layer: every SQL statement lives in this package, and nothing here imports UI code."""
from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from pathlib import Path

from tui.data.atlas import Atlas
from tui.data.connection import connect
from tui.data.derived import ROLLUPS, compute_rollups_in_memory, is_stale, missing_columns, writing
from tui.data.errors import DuikouError

__all__ = ["Atlas", "DuikouError", "connect", "open_database"]


def open_database(path: Path) -> sqlite3.Connection:
    """A read-only connection to `path`, once rows added by other programs are indexed for search
    and rolled up."""
    db = connect(path)
    if is_stale(db):
        db.close()
        _catch_up(path)
        db = connect(path)
        if ROLLUPS.is_stale(db) or missing_columns(db):
            # A file Duikou may not write: its sums are computed afresh for this connection. Search
            # misses only the rows added outside.
            compute_rollups_in_memory(db)
    return db


def _catch_up(path: Path) -> None:
    try:
        writer = connect(path, write=True)
    except DuikouError:
        return
    # Locked by another writer, or not Duikou's to write: the file is read as it stands.
    with closing(writer), suppress(sqlite3.OperationalError), writing(writer):
        pass    # nothing but the catch-up
