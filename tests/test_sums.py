"""Sums a journalist can quote: the rules of every total, as stories on a made-up donor
(tests/fixtures/sums.sql) loaded into a built database, read where users read them: v_total, the
data layer, `duikou show` and the browser."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import copy_database, detail_text, load_fixture, make_app, settle, tree_of, walk_to

from tui.browser.widgets.atlas_tree import figure_of
from tui.cli import main
from tui.data import Atlas, open_database
from tui.data.sums import Party, Scope
from tui.text.totals import totals_line

DONOR, RECIPIENT, OTHER = Party(810001), Party(810002), Party(810003)
PLAN, GIVEN, SPAN = 810001, 810002, 810003      # the three pairings


@pytest.fixture
def sums_db(seed_db: Path, tmp_path: Path) -> Path:
    return load_fixture(copy_database(seed_db, tmp_path / "sums.db"), "sums.sql")


def v_total(db_path: Path, **where) -> list[dict]:
    """Rows of v_total, as a user's SQL reads them: `sector` and `year` NULL unless given."""
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    where = {"sector": None, "year": None} | where
    sql = "SELECT * FROM v_total WHERE " + " AND ".join(f"{column} IS ?" for column in where)
    return [dict(row) for row in db.execute(sql + " ORDER BY measure, unit, basis, sector, year", list(where.values()))]


def test_a_plan_is_not_money_given(sums_db: Path):
    rows = v_total(sums_db, scope="pairing", pairing_id=PLAN, measure="aid_funds")
    assert [(row["basis"], row["value"], row["year_from"], row["year_to"]) for row in rows] == [
        ("actual", 36_000_000, 2018, 2018), ("planned", 100_000_000, 2018, 2020)]


def test_the_tree_and_show_say_the_money_given_and_the_plan_apart(sums_db: Path, capsys):
    atlas = Atlas(open_database(sums_db))
    donor = next(node for node in atlas.children(None) if node.label == "甲区")
    assert main(["show", f"pairing:{PLAN}", "--db", str(sums_db)]) == 0
    assert "money        3,600 万元 (¥36 M) (2018) · planned 1 亿元 (¥100 M) (2018–2020)" in capsys.readouterr().out
    assert {total.basis: total.value for total in donor.money} == {"actual": 36_000_000 + 24_700_000 + 260_000_000,
                                                                   "planned": 100_000_000}


def test_a_span_is_not_a_year(sums_db: Path):
    by_year = {row["year"]: row["value"] for row in v_total(sums_db, scope="pairing", pairing_id=SPAN,
                                                            measure="aid_funds", year=2016)}
    assert by_year == {2016: 14_200_000}        # the 1420万 of 2016, no part of the 2.6亿 spread over years
    assert not v_total(sums_db, scope="pairing", pairing_id=SPAN, measure="aid_funds", year=2012)
    (whole,) = v_total(sums_db, scope="pairing", pairing_id=SPAN, measure="aid_funds")
    assert (whole["value"], whole["year_from"], whole["year_to"], whole["figures"]) == (260_000_000, 2012, 2020, 1)


def test_a_cumulative_snapshot_is_not_added_to_the_next(sums_db: Path):
    (donations,) = v_total(sums_db, scope="pairing", pairing_id=GIVEN, measure="donation")
    assert (donations["value"], donations["figures"], donations["qualifier"]) == (1_700_000, 1, "approx")


def test_sector_rows_add_up_to_the_total(sums_db: Path):
    rows = sqlite3.connect(sums_db).execute(
        "SELECT sector, value FROM v_total WHERE scope = 'pairing' AND pairing_id = ? AND measure = 'aid_funds' "
        "AND year IS NULL AND sector IS NOT NULL", (SPAN,)).fetchall()
    # The total keeps what its parts in other sectors leave: "not assigned to a sector".
    assert dict(rows) == {"overall": 260_000_000 - 50_000_000 - 14_200_000, "education": 50_000_000,
                          "health": 14_200_000}
    for scope in ("donor", "all"):
        whole = v_total(sums_db, scope=scope, donor="甲区" if scope == "donor" else None, measure="aid_funds",
                        basis="actual")
        parts = sqlite3.connect(sums_db).execute(
            "SELECT sum(value) FROM v_total WHERE scope = ? AND donor IS ? AND measure = 'aid_funds' "
            "AND basis = 'actual' AND year IS NULL AND sector IS NOT NULL",
            (scope, "甲区" if scope == "donor" else None)).fetchone()[0]
        assert parts == pytest.approx(whole[0]["value"])


def test_unlike_measures_are_never_added(sums_db: Path):
    rows = v_total(sums_db, scope="pairing", pairing_id=GIVEN)
    kinds = {(row["measure"], row["unit"]): row["value"] for row in rows}
    assert kinds[("trained", "person_time")] == 30 and kinds[("trained", "person")] == 20
    assert ("count", "item") not in kinds                 # items of unlike things have no total
    assert ("aid_funds", "CNY/month") not in kinds        # a rate is never summed
    assert kinds[("aid_funds", "CNY")] == 24_700_000      # nor added to money


def test_a_figure_not_counted_in_sums_is_shown_beside(sums_db: Path):
    (money,) = v_total(sums_db, scope="pairing", pairing_id=GIVEN, measure="aid_funds", unit="CNY")
    assert (money["value"], money["beside"], money["figures"]) == (24_700_000, 800_000, 1)
    atlas = Atlas(open_database(sums_db))
    row = next(row for row in atlas.pairings(Scope(DONOR)) if row.id == GIVEN)
    assert totals_line(row.money, "en") == "2,470 万元 (¥24.7 M) (2016–2018), and 80 万元 (¥800 K) that may be part of it"


def test_two_pairings_of_the_same_donor_and_recipient_each_show_their_own_money(sums_db: Path):
    rows = {row.id: row for row in Atlas(open_database(sums_db)).pairings(Scope(DONOR, RECIPIENT))}
    assert {pairing: [(total.basis, total.value) for total in row.money] for pairing, row in rows.items()} == {
        PLAN: [("actual", 36_000_000), ("planned", 100_000_000)], GIVEN: [("actual", 24_700_000)]}


async def test_the_tree_shows_each_pairing_with_its_money_and_the_plan_apart(sums_db: Path):
    async with make_app(sums_db).run_test(size=(160, 50)) as pilot:
        await walk_to(pilot, "甲区")
        donor = tree_of(pilot).cursor_node
        shown = {str(child.label): figure_of(child.data) for child in donor.children}
        assert shown["乙县 · 东西部扶贫协作"] == "¥36 M (2018) · planned ¥100 M (2018–2020)"
        assert shown["乙县 · 省内对口帮扶"] == "¥24.7 M (2016–2018), and ¥800 K that may be part of it"
        await walk_to(pilot, "丙县")
        shown = detail_text(pilot)
        assert "2012–2020" in shown.split("Money by year")[1].splitlines()[1]    # the 2.6亿 span, as a span
        by_sector = shown.split("Money by sector")[1].split("Money by year")[0]
        overall = next(line for line in by_sector.splitlines() if "not assigned to a sector" in line)
        assert overall.endswith("¥196 M")          # what the 2.6亿 total's parts in other sectors leave it
        await settle(pilot)
