"""`duikou load`: a user's SQL file into their own database, all of it or nothing."""
from __future__ import annotations

from pathlib import Path

from tui.cli.command import Action
from tui.data import DuikouError, connect
from tui.data.bundle import is_default
from tui.data.connection import verify
from tui.data.loader import load_file


def load(sql: Path, database: Path | None) -> int:
    if database is None or is_default(database):
        raise DuikouError("the default database is rebuilt from the bundled data and would lose your rows: "
                          "build your own with `duikou build my.db`, then `duikou load FILE.sql --db my.db`")
    # Never write into a damaged file: that can only spread the damage. A value that is not a
    # number is what a load may be correcting.
    verify(database, values=False)
    db = connect(database, write=True)
    try:
        count = load_file(db, sql)
    finally:
        db.close()
    print(f"loaded {count} statement(s) from {sql} into {database}")
    return 0


LOAD = Action(lambda args, database: load(args.sql, database),
              lambda parser: parser.add_argument("sql", type=Path, help="a UTF-8 file of SQL statements (INSERT …)"))
