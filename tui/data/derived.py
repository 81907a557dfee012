"""The tables Duikou derives from the data, and the one transaction that keeps them in step.

Each family of derived tables is one record here: the search index and the roll-ups, fed by queues
that their triggers fill whichever program changed a row, and the tables Datasette's search box
uses, which follow the search index. Changes Duikou makes itself go through `writing`."""
from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Callable, Iterator, Literal, NamedTuple

from tui.data import datasette_index, index, rollup
from tui.data.bundled import ROLLUP, SCHEMA, SEARCH
from tui.data.statements import statements

Progress = Callable[[int], None]

_CREATED = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s+(\w+)", re.IGNORECASE)


class Derived(NamedTuple):
    """One family of derived tables and how it is kept."""
    name: str
    definition: Path | None     # the bundled script that creates it; None: made in Python, on request
    is_stale: Callable[[sqlite3.Connection], bool]
    # Brings it up to date inside the caller's transaction; `progress` hears how many rows have been indexed.
    refresh: Callable[[sqlite3.Connection, Progress | None], object]
    # (table, fill): what `upgrade` creating `table` for a file built before it must fill in, since
    # its triggers queue only the changes made from then on.
    fills: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = ()
    made_in_python: tuple[str, ...] = ()    # the tables it makes with no definition script
    queues: tuple[str, ...] = ()            # the tables its triggers fill with other programs' changes


SEARCH_INDEX = Derived("search index", SEARCH, index.is_stale,
                       lambda db, progress: index.refresh(db, progress, datasette_index.Mirror(db)),
                       fills=(("search_name", index.name_every_entry), ("search_names", index.names_of_every_entry),
                              ("search_context_indexed", index.index_everything),
                              ("search_word", index.word_every_place)),
                       queues=("search_stale", "search_context_stale"))
# Changed only as the search index is, so stale just when it is.
DATASETTE_SEARCH = Derived("Datasette's search tables", None, index.is_stale,
                           lambda db, progress: datasette_index.refresh(db),
                           made_in_python=tuple(map(datasette_index.fts_table, datasette_index.KINDS)))
ROLLUPS = Derived("roll-ups", ROLLUP, rollup.is_stale, lambda db, progress: rollup.refresh(db),
                  fills=(("total_home", rollup.queue_everything), ("rollup_largest", rollup.queue_everything)),
                  queues=("rollup_stale", "rollup_figure_was", "rollup_project_was"))
# In the order they are kept: Datasette's tables are made from the search index.
DERIVED = (SEARCH_INDEX, DATASETTE_SEARCH, ROLLUPS)
# What each kind of reader needs in step before it reads: search results come from the search
# index alone (Datasette's tables are kept with it), so a search that asks for no total need not
# wait for the sums; everything else may show a sum.
Reads = Literal["everything", "search"]
KEPT_FOR: dict[Reads, tuple[Derived, ...]] = {"everything": DERIVED, "search": (SEARCH_INDEX, DATASETTE_SEARCH)}
# What older files have that the scripts replaced: the context triggers queued only the rows one
# level down, where search_context_stale now queues every row whose context holds the name; the
# roll-ups' queued a whole pairing for any change to one of its figures, where rollup_figure_was
# now keeps the figure as it was, so that its sums change by the difference; total_home_key
# leads with the same columns as the index it replaced.
RETIRED = (*(("TRIGGER", name) for name in (
    "place_context_upd", "pairing_context_upd", "project_context_upd", "organisation_context_upd",
    "figure_rollup_ins", "figure_rollup_upd_before", "figure_rollup_upd", "figure_rollup_del",
    "project_rollup_ins", "project_rollup_upd", "project_rollup_del", "pairing_rollup_upd")),
    ("INDEX", "total_home_ref"), ("TABLE", "search_pinyin"))
# What a database is built from, in order.
SCRIPTS = (SCHEMA, *(family.definition for family in DERIVED if family.definition is not None))


@contextmanager
def writing(db: sqlite3.Connection, progress: Progress | None = None, *,
            reads: Reads = "everything") -> Iterator[None]:
    """One transaction for the caller's changes and the derived tables' catch-up with them (those
    the reader `reads`): all of it lands, or nothing does. `progress` hears how many rows have
    been indexed."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        catch_up(db, progress, reads=reads)
    except BaseException:
        if db.in_transaction:   # some errors (a full disk, an interrupt) have ended it already
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def is_complete(db: sqlite3.Connection) -> bool:
    """Whether the file has every derived table and column, so that it can be read as it stands.
    An index a newer Duikou adds only makes reading faster: the catch-up makes it (seconds at
    national scale), and the app need not wait for that to paint."""
    return not (_missing(db) - _defined("CREATE INDEX").keys()) and not missing_columns(db)


def waiting(db: sqlite3.Connection, reads: Reads = "everything") -> int:
    """How many changed rows wait in the queues of what the reader `reads` (those of them the file has)."""
    queues = {queue for family in KEPT_FOR[reads] for queue in family.queues}   # constants, formatted into the query
    present = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
               if name in queues]
    return db.execute("SELECT " + " + ".join(f"(SELECT count(*) FROM {name})" for name in present)).fetchone()[0] \
        if present else 0


def is_stale(db: sqlite3.Connection, reads: Reads = "everything") -> bool:
    return any(family.is_stale(db) for family in KEPT_FOR[reads]) or bool(_missing(db)) or bool(missing_columns(db)) \
        or bool(outdated_triggers(db))


def outdated_triggers(db: sqlite3.Connection) -> list[str]:
    """Duikou's triggers whose body in the file is not the bundled scripts' (an older Duikou's)."""
    bundled = _defined("CREATE TRIGGER")
    return [name for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            if name in bundled and _spaced_out(sql) != _spaced_out(bundled[name])]


def _spaced_out(sql: str) -> str:
    return " ".join(sql.rstrip().rstrip(";").split())


def catch_up(db: sqlite3.Connection, progress: Progress | None = None, *, reads: Reads = "everything") -> None:
    """Bring the derived tables the reader `reads` up to date (the others' queues keep what they
    have for a later catch-up); run inside the caller's transaction. `progress` hears how many
    rows have been indexed."""
    created = upgrade(db)
    for family in DERIVED:
        for table, fill in family.fills:
            if table in created:
                fill(db)
    for family in KEPT_FOR[reads]:
        family.refresh(db, progress)


def compute_rollups_in_memory(db: sqlite3.Connection) -> None:
    """Fresh roll-ups for a connection that may not write: temporary tables that shadow the file's own."""
    lacking: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for table, column, definition in missing_columns(db):
        lacking[table].append((column, definition))
    for table, columns in lacking.items():
        # The columns a newer Duikou reads, with their defaults, over the file's own table.
        defaults = ", ".join(f"{_default(definition)} AS {column}" for column, definition in columns)
        db.execute(f"CREATE TEMP VIEW {table} AS SELECT *, {defaults} FROM main.{table}")
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    for name, sql in _created(ROLLUPS.definition):
        if sql.startswith("CREATE TRIGGER") or (sql.startswith("CREATE VIEW") and name in present):
            continue    # the file's own views read only its own tables
        sql = re.sub(r"^CREATE (TABLE|VIEW) ", r"CREATE TEMP \1 ", sql)
        db.execute(re.sub(r"^CREATE INDEX ", "CREATE INDEX temp.", sql))
    for _, fill in ROLLUPS.fills:   # every table is new here
        fill(db)
    ROLLUPS.refresh(db, None)


def upgrade(db: sqlite3.Connection) -> set[str]:
    """Create what the bundled scripts hold and a file built by an older Duikou lacks (every
    change to them adds, never alters, but for a trigger's body, which is made anew); returns
    the names created."""
    missing = _missing(db)
    for kind, name in RETIRED:
        db.execute(f"DROP {kind} IF EXISTS {name}")   # constants, never data
    for name in outdated_triggers(db):
        db.execute(f"DROP TRIGGER {name}")    # a name of the bundled scripts, never data
        missing.add(name)
    for name, sql in _definitions():
        if name in missing:
            db.execute(sql)
    for table, column, definition in missing_columns(db):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    return missing


@cache
def derived_names() -> frozenset[str]:
    """Every table, index, view and trigger of the derived families: only Duikou writes them."""
    return frozenset(name for family in DERIVED for name in (
        *(name for name, _ in (_created(family.definition) if family.definition else ())), *family.made_in_python))


_TRIGGER_TABLE = re.compile(r"\bON\s+(\w+)", re.IGNORECASE)


def missing_triggers(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(trigger, table) of each trigger the bundled scripts create that the file lacks: without it,
    changes to that table go unqueued, and search or sums miss them."""
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return [(name, found.group(1) if (found := _TRIGGER_TABLE.search(sql)) else "?")
            for name, sql in _defined("CREATE TRIGGER").items() if name not in present]


def missing_columns(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, column, definition) of each column the bundled scripts give a table that the file's
    table lacks (a file built before the column was added)."""
    lacking = []
    for name, sql in _defined("CREATE TABLE").items():
        present = {row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))}
        if present:
            lacking += [(name, column, definition) for column, definition in _columns(sql) if column not in present]
    return lacking


_CONSTRAINT = re.compile(r"(CHECK|PRIMARY|UNIQUE|FOREIGN|CONSTRAINT)\b", re.IGNORECASE)


@cache
def _columns(sql: str) -> tuple[tuple[str, str], ...]:
    """(name, definition) of each column a CREATE TABLE statement declares."""
    body = re.sub(r"--[^\n]*", "", sql)
    body = body[body.index("(") + 1:body.rindex(")")]
    items, depth, start = [], 0, 0
    for position, char in enumerate(body):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(body[start:position])
            start = position + 1
    items.append(body[start:])
    columns = []
    for item in (" ".join(item.split()) for item in items):
        if item and not _CONSTRAINT.match(item):
            name, _, definition = item.partition(" ")
            columns.append((name, definition))
    return tuple(columns)


def _default(definition: str) -> str:
    found = re.search(r"\bDEFAULT\s+(\S+)", definition, re.IGNORECASE)
    return found.group(1) if found else "NULL"


def _missing(db: sqlite3.Connection) -> set[str]:
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    return {name for name, _ in _definitions()} - present


def _definitions() -> list[tuple[str, str]]:
    """(name, statement) of everything the bundled scripts create, in order."""
    return [definition for script in SCRIPTS for definition in _created(script)]


@cache
def _defined(kind: str) -> dict[str, str]:
    """name → statement of what the bundled scripts create of one kind (`kind`: "CREATE TRIGGER" …)."""
    return {name: sql for name, sql in _definitions() if sql.upper().startswith(kind)}


@cache
def _created(script: Path) -> tuple[tuple[str, str], ...]:
    """(name, statement) of everything `script` creates, in order."""
    return tuple((created.group(1), statement.sql) for statement in statements(script.read_text(encoding="utf-8"))
                 if (created := _CREATED.match(statement.sql)) is not None)
