"""A Datasette plugin, loaded through the `datasette` entry point when Duikou is installed beside
Datasette. For every Duikou database Datasette serves, it indexes rows added since Duikou last
opened the file (so the search box finds them), supplies the metadata `duikou datasette-metadata`
prints, and labels each foreign key on a row page (a project's pairing by its note, its place by
its name) as Datasette's table pages do; Datasette 0.65 shows a bare id there.
"""
from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

import markupsafe
from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_encode

from tui.data import open_database
from tui.data.connection import connect
from tui.data.errors import DuikouError
from tui.datasette.metadata import metadata

# Per running Datasette: each Duikou database's metadata, and each table's foreign keys by column
# (a schema's keys do not change while Datasette runs).
_METADATA: WeakKeyDictionary = WeakKeyDictionary()
_KEYS: WeakKeyDictionary = WeakKeyDictionary()


@hookimpl
def startup(datasette):
    found = {}
    for name, database in datasette.databases.items():
        if database.is_memory or not database.path:
            continue
        try:
            # A mutable file is opened as the app opens it: new rows get indexed first.
            db = open_database(Path(database.path)) if database.is_mutable else connect(Path(database.path))
        except DuikouError:
            continue   # not a Duikou database: left as Datasette shows it
        try:
            found[name] = metadata(db, name)["databases"][name]
        finally:
            db.close()
    _METADATA[datasette] = found


@hookimpl
def get_metadata(datasette, key, database, table):
    # Metadata given with --metadata is applied after this, so it wins.
    return {"databases": _METADATA.get(datasette, {})}


@hookimpl
def render_cell(value, column, table, database, datasette):
    # A table page hands over foreign keys already labelled (a dict): nothing to do there.
    if table is None or isinstance(value, (dict, bytes)) or value in ("", None):
        return None

    async def labelled():
        db = datasette.get_database(database)
        keys = _KEYS.setdefault(datasette, {})
        if (database, table) not in keys:
            keys[database, table] = {key["column"]: key for key in await db.foreign_keys_for_table(table)}
        key = keys[database, table].get(column)
        if key is None:
            return None
        label_column = await db.label_column_for_table(key["other_table"])
        if not label_column:
            return None
        # Identifiers come from the schema, quoted as Datasette quotes them; the value is bound.
        found = (await db.execute(f"SELECT {escape_sqlite(label_column)} FROM {escape_sqlite(key['other_table'])} "
                                  f"WHERE {escape_sqlite(key['other_column'])} = :value", {"value": value})).first()
        if found is None or found[0] in (None, ""):
            return None
        return markupsafe.Markup('<a href="{}">{}</a>&nbsp;<em>{}</em>').format(
            datasette.urls.row(database, key["other_table"], tilde_encode(str(value))), value, found[0])

    return labelled
