"""The bundled schema and seed, building databases from them, and the default database."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from functools import cache
from pathlib import Path
from typing import Callable

from tui.data import datasette_index, index, kinds, rollup
from tui.data.bundled import SEED
from tui.data.connection import SCHEMA_VERSION
from tui.data.derived import SCRIPTS, writing
from tui.data.errors import DuikouError
from tui.data.loader import apply


@cache
def bundle_digest() -> str:
    """A fingerprint of the bundled data and of how it is indexed and rolled up: the default
    database is rebuilt when any of them changes."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in (*SCRIPTS, SEED, *(Path(module.__file__) for module in (index, kinds, rollup, datasette_index))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(path: Path, *, replace: bool = False, extend: Callable[[sqlite3.Connection], None] | None = None,
          progress: Callable[[int], None] | None = None, datasette_tables: bool = True) -> Path:
    """Build a fresh database at `path` from the bundled schema and seed, atomically.

    `extend`, when given, adds rows of its own in the same transaction, after the seed and before
    the search index is made; `progress` hears how many rows have been indexed. `datasette_tables`
    makes the tables Datasette's search box uses (small for the seed, 300 MB for a million
    projects; `duikou datasette-setup` adds them later)."""
    path = Path(path)
    if path.exists() and not replace:
        raise DuikouError(f"{path} already exists: Duikou will not overwrite it; choose a new file name "
                          f"or remove it first")
    if not path.parent.is_dir():
        raise DuikouError(f"cannot build {path}: folder {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    except OSError as error:
        raise DuikouError(f"cannot build {path}: cannot write in {path.parent} ({error.strerror})") from None
    os.close(handle)
    try:
        _build_into(Path(temporary), extend, progress, datasette_tables)
        os.replace(temporary, path)
    finally:
        for leftover in (temporary, temporary + "-wal", temporary + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return path


def _build_into(path: Path, extend: Callable[[sqlite3.Connection], None] | None,
                progress: Callable[[int], None] | None, datasette_tables: bool) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        # A file being built is renamed into place only when whole and thrown away otherwise:
        # it needs neither a rollback journal nor syncing to disk until then. A big build (duikou
        # synth) keeps up to 256 MB of its indexes' pages in memory rather than rereading them.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        for script in SCRIPTS:
            db.executescript(script.read_text(encoding="utf-8"))
        with writing(db, progress):
            apply(db, SEED.read_text(encoding="utf-8"), "db/seed.sql")
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                           [("schema_version", SCHEMA_VERSION), ("bundle", bundle_digest())])
            if extend is not None:
                extend(db)
            if datasette_tables:
                datasette_index.create(db)
        db.execute("PRAGMA journal_mode = WAL")   # readers never wait for a load (design §9)
    finally:
        db.close()


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("duikou", appauthor=False)) / "duikou.db"


def is_default(path: Path) -> bool:
    return Path(path).resolve() == default_path().resolve()


def ensure_default() -> Path:
    """The default database, built on first use and rebuilt whenever the bundled data changed.

    It holds nothing but bundled data, so replacing it loses nothing; the new file is renamed
    into place only when complete, so a crash leaves the old one.
    """
    path = default_path()
    if path.exists() and _built_from(path) == bundle_digest():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    return build(path, replace=True)


def _built_from(path: Path) -> str | None:
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'bundle'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None
