"""The open database as the browser's widgets share it: asked from worker threads one question at a time."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from threading import Lock
from typing import Callable, TypeVar

from tui.data import open_database
from tui.data.atlas import Atlas

Answer = TypeVar("Answer")


class SharedAtlas:
    """The open database, asked from worker threads one question at a time: a sqlite3
    connection must not run two statements at once. `reopen` swaps in a fresh connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = Lock()
        self._db: sqlite3.Connection = open_database(path)
        self._atlas = Atlas(self._db)

    def ask(self, question: Callable[[Atlas], Answer]) -> Answer:
        with self._lock:
            return question(self._atlas)

    def reopen(self) -> None:
        db = open_database(self.path)
        with self._lock:
            old, self._db, self._atlas = self._db, db, Atlas(db)
        old.close()
