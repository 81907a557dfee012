"""A database built by Duikou, as Datasette shows it: labels, descriptions and a search box that
finds Chinese names by any part of them."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import copy_database

from tui.cli import main
from tui.data import open_database
from tui.data.names import spaced, unspaced

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(autouse=True, scope="module")
def duikou_plugin():
    """Register the plugin as Datasette's entry point does once Duikou is installed (a source checkout
    has no entry points of its own)."""
    from datasette.plugins import pm

    from tui.datasette import plugin as datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="duikou")
    yield


@pytest.fixture
def built(seed_db: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built seed, as atlas.db: Datasette names the database after its file."""
    return copy_database(seed_db, tmp_path / "atlas.db")


def rows_named(path: Path, sql: str, *params) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {name for (name,) in db.execute(sql, params)}
    finally:
        db.close()


def metadata_of(path: Path, capsys) -> dict:
    assert main(["datasette-metadata", "--db", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


async def searched(path: Path, table: str, query: str, metadata: dict | None = None) -> set[str]:
    ds = datasette_app.Datasette([str(path)], metadata=metadata)
    response = await ds.client.get(f"/atlas/{table}.json", params={"_search": query, "_shape": "array",
                                                                     "_col": "name", "_size": "max"})
    assert response.status_code == 200, response.text
    return {row["name"] for row in response.json()}


@pytest.mark.parametrize("table, query", [("project", "九龙"), ("project", "九龙县"), ("project", "丹"),
                                          ("figure", "九龙"), ("figure", "丹"), ("figure", "丹巴")])
async def test_search_box_finds_every_row_whose_name_holds_the_characters(built, table, query):
    expected = rows_named(built, f"SELECT name FROM {table} WHERE instr(name, ?) > 0", query)
    assert expected, "the seed has such rows"
    assert await searched(built, table, query) == expected


async def test_search_needs_no_metadata_and_works_with_it(built, capsys):
    """Datasette finds project_fts by itself; the metadata names it too."""
    metadata = metadata_of(built, capsys)
    project = metadata["databases"]["atlas"]["tables"]["project"]
    assert (project["fts_table"], project["fts_pk"]) == ("project_fts", "id")
    assert await searched(built, "project", "九龙", metadata) == await searched(built, "project", "九龙")


async def test_words_of_a_query_narrow_the_result_and_punctuation_is_text(built):
    both = rows_named(built, "SELECT name FROM project WHERE instr(name, '九龙') AND instr(name, '招商')")
    assert both and await searched(built, "project", "九龙 招商") == both
    assert await searched(built, "project", 'AND "( *') == set()


async def test_rows_added_with_plain_sqlite_are_found_once_duikou_opened_the_file(built):
    db = sqlite3.connect(built)
    db.execute("INSERT INTO project (id, pairing_id, sector, name) VALUES (990001, 1, 'education', '汤古乡幼儿园')")
    db.execute("UPDATE project SET name = '九龙县新名字' WHERE id = 10304")
    db.commit()
    db.close()
    open_database(built).close()   # what the app and `duikou search` do on opening
    assert "汤古乡幼儿园" in await searched(built, "project", "古乡")
    assert "九龙县新名字" in await searched(built, "project", "新名")
    assert await searched(built, "project", "农牧业") == rows_named(
        built, "SELECT name FROM project WHERE instr(name, '农牧业')"), "the old name is no longer found"


async def test_rows_added_with_plain_sqlite_are_found_as_soon_as_datasette_starts(built):
    db = sqlite3.connect(built)
    db.execute("INSERT INTO figure (id, pairing_id, measure, name, value, unit) "
               "VALUES (990001, 1, 'aid_funds', '汤古乡道路资金', 100000, 'CNY')")
    db.commit()
    db.close()
    assert await searched(built, "figure", "道路资") == {"汤古乡道路资金"}


async def test_duikou_databases_get_their_metadata_without_being_given_it(built, tmp_path, capsys):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE pairing (id INTEGER PRIMARY KEY, note TEXT)").close()
    ds = datasette_app.Datasette([str(built), str(other)])
    await ds.invoke_startup()
    assert ds.table_metadata("atlas", "pairing") == metadata_of(built, capsys)["databases"]["atlas"]["tables"]["pairing"]
    assert ds.table_metadata("other", "pairing") == {}, "a database that is not Duikou's is left alone"
    page = await ds.client.get("/atlas/figure")
    assert "yuan when unit is CNY" in page.text


async def test_foreign_keys_show_their_rows_labels(built, capsys):
    metadata = metadata_of(built, capsys)
    project_id, pairing_note, place_name = sqlite3.connect(built).execute(
        "SELECT p.id, pr.note, pl.name FROM project p JOIN pairing pr ON pr.id = p.pairing_id "
        "JOIN place pl ON pl.id = p.place_id WHERE pr.note IS NOT NULL LIMIT 1").fetchone()
    ds = datasette_app.Datasette([str(built)], metadata=metadata)
    response = await ds.client.get(f"/atlas/project.json?id={project_id}&_labels=on&_shape=array")
    row = response.json()[0]
    assert row["pairing_id"]["label"] == pairing_note
    assert row["place_id"]["label"] == place_name
    page = await ds.client.get(f"/atlas/project?id={project_id}")
    assert place_name in page.text
    row_page = (await ds.client.get(f"/atlas/project/{project_id}")).text
    assert f'<em>{markupsafe.escape(place_name)}</em>' in row_page
    assert f'<em>{markupsafe.escape(pairing_note)}</em>' in row_page
    assert 'href="/atlas/place/' in row_page


async def test_tables_and_columns_are_described_with_their_units(built, capsys):
    metadata = metadata_of(built, capsys)
    tables = metadata["databases"]["atlas"]["tables"]
    assert "yuan" in tables["figure"]["columns"]["value"]
    assert "yuan" in tables["v_project"]["columns"]["amount_cny"]
    assert tables["search_index"] == {"hidden": True}
    ds = datasette_app.Datasette([str(built)], metadata=metadata)
    page = await ds.client.get("/atlas/figure")
    assert tables["figure"]["description"] in page.text
    assert "yuan when unit is CNY" in page.text


def test_setup_removes_and_restores_the_search_tables(built, capsys):
    assert main(["datasette-setup", "--remove", "--db", str(built)]) == 0
    capsys.readouterr()
    assert "fts_table" not in metadata_of(built, capsys)["databases"]["atlas"]["tables"]["project"]
    assert rows_named(built, "SELECT name FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'") == set()
    assert main(["datasette-setup", "--db", str(built)]) == 0
    capsys.readouterr()
    assert metadata_of(built, capsys)["databases"]["atlas"]["tables"]["figure"]["fts_table"] == "figure_fts"


def test_metadata_of_a_missing_file_is_one_line(tmp_path, capsys):
    assert main(["datasette-metadata", "--db", str(tmp_path / "none.db")]) == 1
    assert capsys.readouterr().err.startswith("duikou: no database at")


@given(st.text(alphabet=st.sampled_from(" 九龙县丹a1-\x1c"), max_size=30))
def test_an_items_old_text_is_recovered_exactly_from_the_search_index(text):
    """FTS5 removes an item only when given back the very text it indexed, which is made from the
    spaced text in search_index: unspacing must undo spacing whatever the text."""
    assert unspaced(spaced(text)) == text
