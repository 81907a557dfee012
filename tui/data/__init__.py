"""Duikou's data layer: every SQL statement lives in this package, and nothing here imports UI code."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .atlas import Atlas
from .connection import connect
from .errors import DuikouError
from .index import is_stale, refresh

__all__ = ["Atlas", "DuikouError", "connect", "open_database"]


def open_database(path: Path) -> sqlite3.Connection:
    """A read-only connection to `path`, once rows added by other programs are indexed for search."""
    db = connect(path)
    if is_stale(db):
        db.close()
        _index_new_rows(path)
        db = connect(path)
    return db


def _index_new_rows(path: Path) -> None:
    try:
        writer = connect(path, write=True)
    except DuikouError:
        return  # a read-only file: browse it as it is; search misses only the rows added outside
    try:
        writer.execute("BEGIN IMMEDIATE")
        refresh(writer)
        writer.execute("COMMIT")
    except sqlite3.OperationalError:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
    finally:
        writer.close()
