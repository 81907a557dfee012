"""Applying a SQL file as one transaction: all of it lands, or the database is left untouched."""
from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tui.data.connection import unreadable_value
from tui.data.derived import derived_names, writing
from tui.data.errors import DuikouError
from tui.data.references import broken_references
from tui.data.statements import statements

_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|END)\b", re.IGNORECASE)
_TARGET_TABLE = re.compile(
    r"^\s*(?:INSERT|REPLACE|UPDATE)\s+(?:OR\s+\w+\s+)?(?:INTO\s+)?[\"`\[]?(\w+)", re.IGNORECASE)


# PRAGMAs that take an argument only to name what they report on.
_REPORTING_PRAGMAS = frozenset({"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                                "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"})
_FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
_SCHEMA_ACTIONS = {sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_TRIGGER,
                   sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_INDEX,
                   sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_VIEW,
                   sqlite3.SQLITE_DROP_VTABLE, sqlite3.SQLITE_CREATE_TEMP_TRIGGER, sqlite3.SQLITE_ALTER_TABLE}
_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}


class Guard:
    """SQLite's authorizer for a load file's statements: the file changes rows of this database, and
    nothing else — not another file (ATTACH), not the rules (the PRAGMAs that switch checks off or
    rewrite the schema), not the one transaction it runs in, and not the tables Duikou derives,
    which their triggers and Duikou keep. `refusal` says why the last statement was refused."""

    def __init__(self) -> None:
        self.refusal: str | None = None
        self._derived = derived_names()

    @contextmanager
    def watching(self, db: sqlite3.Connection) -> Iterator[None]:
        """Guard the statements run inside; Duikou's own, before and after, run unguarded."""
        self.refusal = None
        db.set_authorizer(self)
        try:
            yield
        finally:
            db.set_authorizer(None)

    def __call__(self, action: int, first: str | None, second: str | None, database: str | None,
                 trigger: str | None) -> int:
        # Duikou's own triggers keep the derived tables' queues; a trigger of any other name is the
        # file's, and no more trusted than the file.
        ours = trigger is not None and trigger.lower() in self._derived and action in _WRITES
        refusal = None if ours else self._refusal(action, first, second)
        if refusal is None:
            return sqlite3.SQLITE_OK
        self.refusal = refusal
        return sqlite3.SQLITE_DENY

    def _refusal(self, action: int, first: str | None, second: str | None) -> str | None:
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return "a load changes this database only: ATTACH and DETACH are refused"
        if action == sqlite3.SQLITE_PRAGMA and not _harmless_pragma((first or "").lower(), second):
            return f"PRAGMA {first} is refused: a load changes rows, never the rules they are checked by"
        if action in (sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT):
            return ("ROLLBACK, SAVEPOINT and RELEASE are refused: the whole file is one transaction, "
                    "which lands only if every statement does")
        if (action in _WRITES or action in _SCHEMA_ACTIONS) and (self._is_derived(first) or self._is_derived(second)):
            table = first if self._is_derived(first) else second
            return (f"{table} is derived from the data and kept by Duikou: change the rows it is made from "
                    f"instead")
        return None

    def _is_derived(self, name: str | None) -> bool:
        if name is None:
            return False
        name = name.lower()
        return name in self._derived or any(name.endswith(shadow) and name[:-len(shadow)] in self._derived
                                            for shadow in _FTS5_SHADOWS)


def _harmless_pragma(name: str, value: str | None) -> bool:
    if value is None or name in _REPORTING_PRAGMAS:
        return True
    return name == "foreign_keys" and value.strip("'\"").lower() in ("1", "on", "true", "yes")


class LoadError(DuikouError):
    def __init__(self, source: str, line: int, rule: str, sql: str):
        self.source, self.line, self.rule = source, line, rule
        first_line = sql.strip().splitlines()[0][:70]
        super().__init__(f"{source}, line {line}: {rule}\n  in: {first_line}\n"
                         f"nothing was loaded: the database is unchanged")


def apply(db: sqlite3.Connection, text: str, source: str) -> int:
    """Run every statement of `text` inside the caller's transaction; return how many ran.

    Raises LoadError naming the first failing statement's line and the rule it broke.
    BEGIN/COMMIT in the file are skipped: the whole file is one transaction already.
    """
    nul = text.find("\0")
    if nul >= 0:    # SQLite would stop reading the statement there; Python refuses to pass it on
        line = text.count("\n", 0, nul) + 1
        raise LoadError(source, line, "a NUL byte (\\0) is in the text: write it as char(0) if it is meant",
                        text.splitlines()[line - 1].replace("\0", "\\0"))
    count = 0
    guard = Guard()
    for statement in statements(text):
        if _TRANSACTION_CONTROL.match(statement.sql):
            continue
        if not sqlite3.complete_statement(statement.sql):
            raise LoadError(source, statement.line, "incomplete statement (a missing ';' or an unclosed quote)",
                            statement.sql)
        db.execute("SAVEPOINT statement")
        try:
            with guard.watching(db):
                db.execute(statement.sql)
        except sqlite3.Error as error:
            rule = guard.refusal or str(error)
            if "FOREIGN KEY" in rule:
                rule = _foreign_key_detail(db, statement.sql) or rule
            db.execute("ROLLBACK TO statement")
            raise LoadError(source, statement.line, rule, statement.sql) from None
        except sqlite3.Warning as error:  # more than one statement without a ';' between them
            db.execute("ROLLBACK TO statement")
            raise LoadError(source, statement.line, str(error), statement.sql) from None
        db.execute("RELEASE statement")
        count += 1
    return count


def _foreign_key_detail(db: sqlite3.Connection, sql: str) -> str | None:
    """Name the column and missing row of a foreign-key failure, which SQLite leaves unsaid."""
    target = _TARGET_TABLE.match(sql)
    if target is None:
        return None
    table = target.group(1)
    db.execute("ROLLBACK TO statement")
    db.execute("PRAGMA defer_foreign_keys = ON")
    try:
        db.execute(sql)
        broken = broken_references(db, table)
        if not broken:
            return None
        first = broken[0]
        return (f"FOREIGN KEY constraint failed: {first.table}.{first.column} = {first.value!r} "
                f"refers to {first.parent}.{first.parent_column}, and there is no such row")
    except sqlite3.Error:
        return None
    finally:
        db.execute("PRAGMA defer_foreign_keys = OFF")


def load_file(db: sqlite3.Connection, path: Path) -> int:
    """Apply the SQL file at `path` to `db` in one transaction; on any error nothing changes."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DuikouError(f"no SQL file at {path}") from None
    except UnicodeDecodeError as error:
        raise DuikouError(f"{path} is not UTF-8 text (byte {error.start}): save it as UTF-8 and try again") from None
    except OSError as error:
        raise DuikouError(f"cannot read {path}: {error.strerror}") from None
    try:
        with writing(db):
            count = apply(db, text, str(path))
            if (figure := unreadable_value(db)) is not None:   # nothing can be summed around it
                raise DuikouError(f"figure {figure[0]} still holds {str(figure[1])[:40]!r} as its value, which is not "
                                  f"a number: add to {path} an UPDATE that sets it (`duikou check` lists every "
                                  f"such figure); nothing was loaded: the database is unchanged")
    except sqlite3.IntegrityError as error:     # a deferred foreign key, checked only at COMMIT
        if not db.in_transaction:
            raise
        failure = _deferred_failure(db, text, str(path), str(error))
        db.execute("ROLLBACK")
        raise failure from None
    return count


def _deferred_failure(db: sqlite3.Connection, text: str, source: str, rule: str) -> LoadError:
    """The error for a file whose changes break a deferred foreign key as they are committed,
    naming the last statement that wrote to a table holding a broken reference."""
    last_write = {}
    for statement in statements(text):
        if (target := _TARGET_TABLE.match(statement.sql)) is not None:
            last_write[target.group(1).lower()] = statement
    for table, statement in last_write.items():
        broken = broken_references(db, table)
        if broken:
            first = broken[0]
            return LoadError(source, statement.line,
                             f"{rule} at the end of the file: {first.table}.{first.column} = {first.value!r} "
                             f"refers to {first.parent}.{first.parent_column}, and there is no such row",
                             statement.sql)
    last = list(statements(text))[-1]
    return LoadError(source, last.line, f"{rule} at the end of the file", last.sql)
