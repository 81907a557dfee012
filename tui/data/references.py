"""Rows whose foreign key names a row that does not exist, described as SQLite leaves unsaid."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class BrokenReference:
    table: str
    rowid: int
    column: str
    value: object
    parent: str
    parent_column: str


def broken_references(db: sqlite3.Connection, table: str | None = None) -> list[BrokenReference]:
    """SQLite's foreign-key check (of one table, or all), with each failing column and value."""
    violations = (db.execute("SELECT * FROM pragma_foreign_key_check(?)", (table,)) if table
                  else db.execute("PRAGMA foreign_key_check")).fetchall()
    found = []
    for child, rowid, parent, fk_index in violations:
        column, parent_column = next(((row[3], row[4]) for row in
                                      db.execute("SELECT * FROM pragma_foreign_key_list(?)", (child,))
                                      if row[0] == fk_index), ("?", None))
        value = None
        if column.isidentifier():
            # Identifiers cannot be bound; these are SQLite's own names for the table and column.
            row = db.execute(f'SELECT "{column}" FROM "{child}" WHERE rowid = ?', (rowid,)).fetchone()
            value = row[0] if row else None
        found.append(BrokenReference(child, rowid, column, value, parent, parent_column or "id"))
    return found
