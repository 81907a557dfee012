"""Duikou's data layer: every SQL statement lives in this package, and nothing here imports UI code."""
from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from pathlib import Path
from typing import Callable

from tui.data.atlas import Atlas
from tui.data.connection import connect
from tui.data.derived import (
    ROLLUPS,
    compute_rollups_in_memory,
    is_complete,
    is_stale,
    missing_columns,
    waiting,
    writing,
)
from tui.data.errors import DuikouError

__all__ = ["Atlas", "DuikouError", "connect", "is_stale", "open_database"]


Progress = Callable[[int, int], None]    # (rows done, rows to do)


def open_database(path: Path, *, wait: bool = True, progress: Progress | None = None) -> sqlite3.Connection:
    """A read-only connection to `path`, once rows changed by other programs are indexed for search
    and summed (`progress` hears how far that has come). Without `wait`, a file that has all its
    derived tables is read as it stands, for `bring_up_to_date` to catch up while the app paints."""
    db = connect(path)
    if is_stale(db):
        if not wait and is_complete(db):
            return db
        db.close()
        bring_up_to_date(path, progress)
        db = connect(path)
        if ROLLUPS.is_stale(db) or missing_columns(db):
            # A file Duikou may not write: its sums are computed afresh for this connection. Search
            # misses only the rows added outside.
            compute_rollups_in_memory(db)
    return db


def bring_up_to_date(path: Path, progress: Progress | None = None) -> None:
    """Index and sum every row other programs changed, when the file can be written."""
    try:
        writer = connect(path, write=True)
    except DuikouError:
        return
    # Locked by another writer, or not Duikou's to write: the file is read as it stands.
    with closing(writer), suppress(sqlite3.OperationalError):
        total = waiting(writer)
        with writing(writer, (lambda done: progress(min(done, total), total)) if progress else None):
            pass    # nothing but the catch-up
        if progress:
            progress(total, total)
