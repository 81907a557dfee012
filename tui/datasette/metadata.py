"""Metadata for Datasette: what each table and column means, in which unit, which column labels a
row where another table points at it, and which full-text table its search box uses.

Read from the live schema, so a table or column a database lacks is left out and a table a user
added is still listed (with Datasette's own guesses).
"""
from __future__ import annotations

import sqlite3

from tui.data import datasette_index

_VALUE = ("the number, in base units: yuan when unit is CNY (1050万元 is 10500000), people when person, "
          "16.8 for 16.8% when percent")
_SOURCE = {
    "document": "the source document (a key in document)",
    "evidence": "a verbatim quote of 8–80 characters from the document, containing the figure or name",
}

# table: (description, label column, {column: description})
_TABLES: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "document": ("A source: a news report or government briefing.", "title", {
        "key": "for the bundled data, the file name", "published": "date of publication, YYYY[-MM[-DD]]",
        "script": "simplified or traditional", "key_source": "where the key comes from"}),
    "place": ("A unit of China's administrative hierarchy, country to village.", "name", {
        "name": "canonical name, simplified Chinese", "level": "country, province, prefecture, county, township or village",
        "parent_id": "the place this one is part of", "gb_code": "administrative division code (GB/T 2260)",
        "code_from": "first year the code is valid", "code_to": "last year the code is valid",
        "name_en": "English name"}),
    "organisation": ("A work team, company, hospital, school, department …", "name", {
        "kind": "government, party, department, work_team, company, cooperative, hospital, school, "
                "association, media or other", "place_id": "where it is", "parent_id": "the organisation it belongs to",
        "name_en": "English name", **_SOURCE}),
    "pairing": ("A donor helping a recipient. A sub-pairing (street ↔ township, hospital ↔ hospital …) names its "
                "top-level pairing in parent_id.", "note", {
        "parent_id": "the top-level pairing this one belongs to", "kind": "省内对口帮扶, 东西部扶贫协作, 对口援藏 or 市内结对帮扶",
        "level": "region for a top-level pairing; else what is paired (street_township, hospital, school …)",
        "donor_place_id": "the giving place", "donor_org_id": "the giving organisation, when one is named",
        "recipient_place_id": "the receiving place", "recipient_org_id": "the receiving organisation, when one is named",
        "start_year": "first year", "end_year": "last year", "note": "what the pairing is, in a curator's words",
        **_SOURCE}),
    "sector": ("The fixed vocabulary of 16 sectors.", "name_zh", {
        "code": "the sector's code", "name_zh": "Chinese name", "name_en": "English name",
        "dac5": "OECD DAC 5-digit purpose code"}),
    "measure": ("What a figure counts.", "name_zh", {
        "code": "the measure's code", "name_zh": "Chinese name", "name_en": "English name",
        "additive": "1 when two such figures may be added (money spent), 0 when never (a rate, an income per head)"}),
    "project": ("Something a pairing built, funded or ran.", "name", {
        "pairing_id": "the pairing that ran it", "sector": "its sector (a code in sector)",
        "dac5": "OECD DAC purpose code, when more specific than the sector's", "name": "its name, as the document gives it",
        "kind": "project, base, fund, programme, plan, campaign, event, training or other",
        "place_id": "where it is", "implementer_id": "the organisation that carried it out",
        "parent_id": "the project this one is part of", "year": "the year it started or took place",
        "end_year": "the year it ended", "status": "planned, underway or completed",
        "description": "what it is", **_SOURCE}),
    "figure": ("A number a document reports, on a project, a pairing (and sector) or a place.", "name", {
        "project_id": "the project it is about", "pairing_id": "the pairing it is about",
        "place_id": "the place it is about (a county's own poverty rate)", "sector": "the sector it is about",
        "measure": "what it counts (a code in measure)", "name": "what is counted, in the document's words",
        "value": _VALUE, "unit": "CNY (yuan), person, person_time (人次), household, village, township, enterprise, "
                                "project, item, mu (亩), m2, km, head, plant, ton, percent, times or year",
        "qualifier": "approx (余, 约, 以上 …), planned (拟, 计划) or range (the low end); empty when exact",
        "wording": "the figure as written, e.g. 1050万元", "year": "the year it is for",
        "end_year": "the last year, for a figure over several years",
        "part_of_id": "the total this figure is a part of: a sum adds one or the other, never both", **_SOURCE}),
    "evidence": ("A further source for a figure, project or pairing (a row's own document is the first).", None, {
        "figure_id": "the figure it bears out", "project_id": "the project it bears out",
        "pairing_id": "the pairing it bears out", "document": _SOURCE["document"],
        "quote": "a verbatim quote of 8–80 characters"}),
    "person": ("A named cadre or official.", "name", {
        "role": "their post", "organisation_id": "where they work", "place_id": "where they serve",
        "pairing_id": "the pairing they were sent under", **_SOURCE}),
    "alias": ("Another name a place, organisation, project or person is known by.", "name", {
        "kind": "traditional, short, pinyin, english or other"}),
    "v_project": ("Every project with its top-level pairing's donor and recipient and its money (stable interface).",
                  "name", {
        "donor": "the top-level pairing's donor", "recipient": "the top-level pairing's recipient",
        "amount_cny": "the project's money in yuan: its aid funds, else donations, else investment, money given "
                      "before plans; kinds and bases never added together, nor a part to its total",
        "qualifier": "qualifier of the largest sum: approx, planned or range",
        "basis": "actual (money given) or planned: what amount_cny is"}),
    "v_total": ("Every total the app shows (stable interface): one measure, unit and basis, figures that cannot "
                "overlap added, what may overlap shown beside.", None, {
        "scope": "all, donor, recipient or pairing (one top-level pairing, pairing_id)",
        "sector": "empty: all sectors; else that sector's row of the breakdown, which adds up to the total",
        "year": "empty: all years; else only figures lying in that year (a span of years is in none)",
        "basis": "actual (money given) or planned", "value": "the sum, in the unit",
        "qualifier": "approx when any figure added is approximate", "year_from": "first year of the figures added",
        "year_to": "last year of the figures added", "figures": "how many figures were added",
        "beside": "the sum of figures not counted in sums, that may be part of this total"}),
    "v_metric": ("Every figure with its pairing's donor and recipient (stable interface). A figure about a place's "
                 "own situation has donor empty.", "name", {"value": _VALUE, "unit": "the figure's unit (see figure)"}),
}
# Duikou's own bookkeeping: the search index and what it still has to index.
_HIDDEN = ("meta", "search_index", "search_key", "search_stale", "pairing_names")


def metadata(db: sqlite3.Connection, database_name: str) -> dict:
    """Datasette metadata for this database, which Datasette calls `database_name` (its file stem)."""
    searchable = set(datasette_index.installed(db))
    tables: dict[str, dict] = {}
    for name, kind in db.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"):
        if name in _HIDDEN:
            tables[name] = {"hidden": True}
            continue
        columns = {column for (column,) in db.execute("SELECT name FROM pragma_table_info(?)", (name,))}
        description, label, column_notes = _TABLES.get(name, (None, None, {}))
        entry: dict = {}
        if description:
            entry["description"] = description
        if label in columns:
            entry["label_column"] = label
        notes = {column: note for column, note in column_notes.items() if column in columns}
        if notes:
            entry["columns"] = notes
        if name in searchable:
            entry.update(fts_table=datasette_index.fts_table(name), fts_pk="id")
        if entry:
            tables[name] = entry
    return {
        "title": "Duikou 对口",
        "description": "China's paired poverty-alleviation assistance: who helped whom, with how much, through which "
                       "projects, every figure with its source quote. Money in yuan.",
        "databases": {database_name: {"tables": tables}},
    }
