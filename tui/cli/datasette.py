"""`duikou datasette-metadata` and `duikou datasette-setup`: the database as Datasette shows it."""
from __future__ import annotations

import json
from pathlib import Path

from tui.cli.command import Action
from tui.data import connect, datasette_index
from tui.data.derived import writing
from tui.datasette.metadata import metadata


def print_metadata(database: Path) -> int:
    """Print Datasette metadata for `database` (Datasette names a database by its file stem)."""
    db = connect(database)
    try:
        print(json.dumps(metadata(db, Path(database).stem), ensure_ascii=False, indent=2))
    finally:
        db.close()
    return 0


def setup(database: Path, *, remove: bool = False) -> int:
    """Create or rebuild the tables Datasette's search box uses, or remove them."""
    db = connect(database, write=True)
    try:
        # Made from the search index as it stands; the catch-up then brings both up to date together.
        with writing(db):
            if remove:
                datasette_index.drop(db)
            else:
                datasette_index.create(db)
    finally:
        db.close()
    tables = ", ".join(datasette_index.fts_table(kind) for kind in datasette_index.KINDS)
    print(f"removed {tables} from {database}" if remove else f"indexed {tables} in {database}")
    return 0


METADATA = Action(lambda args, database: print_metadata(database))
SETUP = Action(lambda args, database: setup(database, remove=args.remove),
               lambda parser: parser.add_argument("--remove", action="store_true",
                                                  help="remove them instead (they grow with the data)"))
