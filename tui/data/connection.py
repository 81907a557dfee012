"""Opening a Duikou database: read-only for browsing, read-write only to load or index."""
from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from tui.data.errors import DuikouError

SCHEMA_VERSION = "1"
WRITE_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 3000


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """Open the Duikou database at `path`, which must exist; nothing is ever created here."""
    path = Path(path)
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DuikouError(f"{path} is a loop of symbolic links: give the database file itself") from None
    if not path.exists():
        raise DuikouError(f"no database at {path}: build one with `duikou build {path}`")
    if path.is_dir():
        raise DuikouError(f"{path} is a folder, not a database file")
    try:
        if path.stat().st_size == 0:
            raise DuikouError(f"{path} is an empty file, not a database: build one with `duikou build FILE`")
    except OSError as error:
        raise DuikouError(f"cannot read {path}: {error.strerror}") from None
    try:
        db, version = _open(path, write=write)
    except sqlite3.OperationalError as error:
        if write or not _cannot_write_beside(error):
            raise DuikouError(explain_failure(path, error)) from None
        db, version = _open_where_nothing_can_be_written(path, error)
    except sqlite3.DatabaseError as error:
        raise DuikouError(explain_failure(path, error)) from None
    if version is None or version[0] != SCHEMA_VERSION:
        db.close()
        raise DuikouError(f"{path} was built by another version of Duikou (schema {version[0] if version else '?'}, "
                          f"this one reads {SCHEMA_VERSION}): rebuild it with `duikou build`")
    return db


def _open(path: Path, *, write: bool, immutable: bool = False) -> tuple[sqlite3.Connection, tuple | None]:
    """A connection to `path` and its schema version; `immutable`: SQLite is told that nothing
    changes the file while it is open, so it needs neither a lock nor a -shm file beside it."""
    query = "mode=rw" if write else "mode=ro&immutable=1" if immutable else "mode=ro"
    db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, isolation_level=None,
                         check_same_thread=False)
    try:
        # A reader gives up sooner than a writer: a person waiting to browse wants to hear why.
        db.execute(f"PRAGMA busy_timeout = {WRITE_TIMEOUT_MS if write else READ_TIMEOUT_MS}")
        if write:
            db.execute("PRAGMA foreign_keys = ON")
        return db, db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except BaseException:
        db.close()
        raise


def _cannot_write_beside(error: sqlite3.Error) -> bool:
    """A read-only open failed because SQLite had to write beside the file: a -shm file for a WAL
    database, or the undo of a hot journal."""
    return "readonly database" in str(error) or "unable to open database file" in str(error)


def _open_where_nothing_can_be_written(path: Path, error: sqlite3.Error) -> tuple[sqlite3.Connection, tuple | None]:
    journal, wal = path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")
    if journal.exists() and journal.stat().st_size > 0:
        # A writer crashed in the middle of a change: its undo must be played back before anyone
        # reads, which SQLite does on the first read of a connection that may write.
        try:
            recovering, _ = _open(path, write=True)
            recovering.close()
            return _open(path, write=False)
        except sqlite3.Error:
            raise DuikouError(f"{path} was left half-changed by a program that stopped while writing, and its "
                              f"undo ({journal.name}) can only be played back where the file can be written: "
                              f"open it once with write access (`duikou check --db FILE` as its owner), "
                              f"or copy both files to a folder you can write in") from None
    if wal.exists() and wal.stat().st_size > 0:
        raise DuikouError(f"{path} has changes waiting in {wal.name} and sits in a folder that cannot be written: "
                          f"copy both files to a folder you can write in, or open it once with write access")
    try:
        return _open(path, write=False, immutable=True)   # a WAL file in a read-only folder
    except sqlite3.DatabaseError:
        raise DuikouError(explain_failure(path, error)) from None


def verify(path: Path, *, scan_limit: int = 32 * 2**20, values: bool = True) -> None:
    """Raise DuikouError unless `path` opens as a Duikou database and, when it is small enough to
    read in a moment (`scan_limit` bytes), every page of it is sound (SQLite's quick_check); and,
    with `values`, unless a file whose schema does not hold figure values to numbers holds one
    that is not."""
    db = connect(path)
    try:
        if values and (figure := unreadable_value(db)) is not None:
            raise DuikouError(f"{path}: figure {figure[0]} holds {str(figure[1])[:40]!r} as its value, which is not "
                              f"a number (the file was built before Duikou checked): `duikou check --db {path}` "
                              f"lists every such figure; set them with `duikou load`")
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


def unreadable_value(db: sqlite3.Connection) -> tuple[int, object] | None:
    """The first figure whose value is text, bytes or infinity, in a file whose schema allowed it
    (one built before the CHECK on `figure.value`); the schema's CHECK spares newer files the scan."""
    schema = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'figure'").fetchone()
    if schema is None or "typeof(value)" in schema[0]:
        return None
    return db.execute(f"SELECT id, value FROM figure WHERE {NOT_A_NUMBER} ORDER BY id LIMIT 1").fetchone()


# The figures whose value no sum can add: a constant, formatted into the queries that use it.
NOT_A_NUMBER = "(typeof(value) NOT IN ('integer', 'real') OR abs(value) > 1e300)"


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
