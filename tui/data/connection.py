"""Opening a Duikou database: read-only for browsing, read-write only to load or index."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import DuikouError

SCHEMA_VERSION = "1"


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """Open the Duikou database at `path`, which must exist; nothing is ever created here."""
    path = Path(path)
    if not path.exists():
        raise DuikouError(f"no database at {path}: build one with `duikou build {path}`")
    if path.is_dir():
        raise DuikouError(f"{path} is a folder, not a database file")
    mode = "rw" if write else "ro"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True,
                             isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 5000")
        if write:
            db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as error:
        raise DuikouError(_explain_open_failure(path, error)) from None
    if version is None or version[0] != SCHEMA_VERSION:
        db.close()
        raise DuikouError(f"{path} was built by another version of Duikou (schema {version[0] if version else '?'}, "
                          f"this one reads {SCHEMA_VERSION}): rebuild it with `duikou build`")
    return db


def _explain_open_failure(path: Path, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "no such table: meta" in text:
        return f"{path} is a SQLite database but not a Duikou one: build one with `duikou build FILE`"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a readable SQLite database (damaged or another kind of file): " \
               f"run `duikou check --db {path}` or build a new one with `duikou build FILE`"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program writing to it: try again when it has finished"
    return f"cannot open {path}: {text}"
