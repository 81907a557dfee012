"""Applying a SQL file as one transaction: all of it lands, or the database is left untouched."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tui.data.derived import writing
from tui.data.errors import DuikouError
from tui.data.references import broken_references
from tui.data.statements import statements

_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|END)\b", re.IGNORECASE)
_TARGET_TABLE = re.compile(
    r"^\s*(?:INSERT|REPLACE|UPDATE)\s+(?:OR\s+\w+\s+)?(?:INTO\s+)?[\"`\[]?(\w+)", re.IGNORECASE)


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
    count = 0
    for statement in statements(text):
        if _TRANSACTION_CONTROL.match(statement.sql):
            continue
        if not sqlite3.complete_statement(statement.sql):
            raise LoadError(source, statement.line, "incomplete statement (a missing ';' or an unclosed quote)",
                            statement.sql)
        db.execute("SAVEPOINT statement")
        try:
            db.execute(statement.sql)
        except sqlite3.Error as error:
            rule = str(error)
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
    with writing(db):
        count = apply(db, text, str(path))
    return count
