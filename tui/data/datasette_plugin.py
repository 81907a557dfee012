"""A Datasette plugin, loaded through the `datasette` entry point when Duikou is installed beside
Datasette: a row page shows each foreign key with its row's label (a project's pairing by its
note, its place by its name), as Datasette's table pages do; Datasette 0.65 shows a bare id there.
"""
from __future__ import annotations

import markupsafe
from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_encode

# (database, table) → {column: foreign key}; a schema's keys do not change while Datasette runs.
_KEYS: dict[tuple[str, str], dict[str, dict]] = {}


@hookimpl
def render_cell(value, column, table, database, datasette):
    # A table page hands over foreign keys already labelled (a dict): nothing to do there.
    if table is None or isinstance(value, (dict, bytes)) or value in ("", None):
        return None

    async def labelled():
        db = datasette.get_database(database)
        if (database, table) not in _KEYS:
            _KEYS[database, table] = {key["column"]: key for key in await db.foreign_keys_for_table(table)}
        key = _KEYS[database, table].get(column)
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
