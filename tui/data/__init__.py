"""Duikou's data layer: every SQL statement lives in this package, and nothing here imports UI code."""
from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from pathlib import Path
from typing import Callable

from tui.data.atlas import Atlas
from tui.data.connection import connect
from tui.data.derived import (
    KEPT_FOR,
    ROLLUPS,
    Reads,
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


def open_database(path: Path, *, wait: bool = True, progress: Progress | None = None,
                  reads: Reads = "everything") -> sqlite3.Connection:
    """A read-only connection to `path`, once rows changed by other programs are indexed for search
    and summed (only indexed, when it `reads` search alone; `progress` hears how far that has
    come). Without `wait`, a file that has all its derived tables is read as it stands, for
    `bring_up_to_date` to catch up while the app paints."""
    db = connect(path)
    if is_stale(db, reads):
        if not wait and is_complete(db):
            return db
        db.close()
        bring_up_to_date(path, progress, reads=reads)
        db = connect(path)
        if (ROLLUPS in KEPT_FOR[reads] and ROLLUPS.is_stale(db)) or missing_columns(db):
            # A file Duikou may not write: its sums are computed afresh for this connection. Search
            # misses only the rows added outside.
            compute_rollups_in_memory(db)
    return db


def bring_up_to_date(path: Path, progress: Progress | None = None, *, settle: bool = False,
                     reads: Reads = "everything") -> None:
    """Index and sum every row other programs changed (only index it, when the reader `reads`
    search alone), when the file can be written. The pages
    this writes wait in the write-ahead log for the next checkpoint (at a million projects a tenth
    of a second that a command would otherwise pay before answering), unless `settle`, or the log
    has grown past WAL_KEPT_BYTES."""
    try:
        writer = connect(path, write=True)
    except DuikouError:
        return
    # The last connection to close checkpoints: a reader open meanwhile, which cannot, spares the writer's close.
    keeper = connect(path)
    # Locked by another writer, or not Duikou's to write: the file is read as it stands.
    with closing(keeper), closing(writer), suppress(sqlite3.OperationalError):
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        total = waiting(writer, reads)
        with writing(writer, (lambda done: progress(min(done, total), total)) if progress else None, reads=reads):
            pass    # nothing but the catch-up
        if progress:
            progress(total, total)
        if settle or _log_bytes(path) > WAL_KEPT_BYTES:
            writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# What the catch-ups may leave in the write-ahead log before one of them copies it into the file.
WAL_KEPT_BYTES = 64 << 20


def _log_bytes(path: Path) -> int:
    try:
        return path.with_name(path.name + "-wal").stat().st_size
    except OSError:
        return 0
