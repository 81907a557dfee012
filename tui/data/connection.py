"""Opening a Duikou database: read-only for browsing, read-write only to load or index."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.data.errors import DuikouError

SCHEMA_VERSION = "1"
WRITE_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 3000


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """Open the Duikou database at `path`, which must exist; nothing is ever created here."""
    path = Path(path)
    if not path.exists():
        raise DuikouError(f"no database at {path}: build one with `duikou build {path}`")
    if path.is_dir():
        raise DuikouError(f"{path} is a folder, not a database file")
    try:
        if path.stat().st_size == 0:
            raise DuikouError(f"{path} is an empty file, not a database: build one with `duikou build FILE`")
    except OSError as error:
        raise DuikouError(f"cannot read {path}: {error.strerror}") from None
    mode = "rw" if write else "ro"
    db = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True,
                             isolation_level=None, check_same_thread=False)
        # A reader gives up sooner than a writer: a person waiting to browse wants to hear why.
        db.execute(f"PRAGMA busy_timeout = {WRITE_TIMEOUT_MS if write else READ_TIMEOUT_MS}")
        if write:
            db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as error:
        if db is not None:
            db.close()
        raise DuikouError(explain_failure(path, error)) from None
    if version is None or version[0] != SCHEMA_VERSION:
        db.close()
        raise DuikouError(f"{path} was built by another version of Duikou (schema {version[0] if version else '?'}, "
                          f"this one reads {SCHEMA_VERSION}): rebuild it with `duikou build`")
    return db


def verify(path: Path, *, scan_limit: int = 32 * 2**20) -> None:
    """Raise DuikouError unless `path` opens as a Duikou database and, when it is small enough to
    read in a moment (`scan_limit` bytes), every page of it is sound (SQLite's quick_check)."""
    db = connect(path)
    try:
        if Path(path).stat().st_size <= scan_limit:
            result = db.execute("PRAGMA quick_check(1)").fetchone()
            if result is None or result[0] != "ok":
                lines = [line for line in str(result[0] if result else "?").splitlines() if not line.startswith("***")]
                raise DuikouError(f"{path} is damaged ({(lines or ['?'])[0]}): "
                                  f"`duikou check --db {path}` lists what is wrong; restore it from a copy "
                                  f"or build a new one with `duikou build FILE`")
    except sqlite3.DatabaseError as error:
        raise DuikouError(explain_failure(path, error)) from None
    finally:
        db.close()


def explain_failure(path: Path, error: sqlite3.Error) -> str:
    """One sentence for an SQLite error on the database at `path`: what is wrong, what to do."""
    text = str(error)
    if "no such table: meta" in text:
        return f"{path} is a SQLite database but not a Duikou one: build one with `duikou build FILE`"
    if "not a database" in text or "malformed" in text:
        return f"{path} is damaged or is not a SQLite database ({text}): " \
               f"restore it from a copy or build a new one with `duikou build FILE`"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program writing to it: try again when it has finished"
    if "vtable constructor failed" in text:
        return f"{path} is damaged (its search index cannot be read): " \
               f"restore it from a copy or build a new one with `duikou build FILE`"
    return f"cannot open {path}: {text}"
