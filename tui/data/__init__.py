"""Duikou's data layer: every SQL statement lives in this package, and nothing here imports UI code."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.data.atlas import Atlas
from tui.data.connection import connect
from tui.data.errors import DuikouError
from tui.data import rollup
from tui.data.derived import catch_up, compute_rollups_in_memory, is_stale

__all__ = ["Atlas", "DuikouError", "connect", "open_database"]


def open_database(path: Path) -> sqlite3.Connection:
    """A read-only connection to `path`, once rows added by other programs are indexed for search
    and rolled up."""
    db = connect(path)
    if is_stale(db):
        db.close()
        _catch_up(path)
        db = connect(path)
        if rollup.is_stale(db):
            # A file Duikou may not write: its sums are computed afresh for this connection. Search
            # misses only the rows added outside.
            compute_rollups_in_memory(db)
    return db


def _catch_up(path: Path) -> None:
    try:
        writer = connect(path, write=True)
    except DuikouError:
        return
    try:
        writer.execute("BEGIN IMMEDIATE")
        catch_up(writer)
        writer.execute("COMMIT")
    except sqlite3.OperationalError:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
    finally:
        writer.close()
