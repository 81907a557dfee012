"""The tables Duikou derives from the data: the search index and the roll-ups, both fed by queues
that the schema's triggers fill whichever program changed a row."""
from __future__ import annotations

import sqlite3
from typing import Callable

from . import index, rollup


def is_stale(db: sqlite3.Connection) -> bool:
    return index.is_stale(db) or rollup.is_stale(db)


def catch_up(db: sqlite3.Connection, progress: Callable[[int], None] | None = None) -> None:
    """Index and roll up every queued row; run inside the caller's transaction. `progress` hears
    how many rows have been indexed."""
    index.refresh(db, progress)
    rollup.install(db)
    rollup.refresh(db)
