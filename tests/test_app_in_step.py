"""The browser after another program changed the file: the tree is on screen at once, the status
line says the sums are being updated, and once they are, every pane shows the new sums; `r` does
the same for a change made while browsing, the root's table of pairings included."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from support import detail_text, make_app, settle

from tui.browser.widgets.pairings_table import PairingsTable
from tui.browser.widgets.status_line import StatusLine
from tui.data import Atlas, open_database
from tui.text.totals import amount

NEW_MONEY = "INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit) " \
            "VALUES (990001, 1, 'health', 'aid_funds', '新增资金', 123000000, 'CNY')"


def pairings_money(pilot) -> set[str]:
    """The money column of the root's table of pairings, as shown."""
    table = pilot.app.query_one(PairingsTable)
    money = next(index for index, column in enumerate(table.columns.values()) if "Money" in str(column.label))
    return {str(table.get_row_at(row)[money]) for row in range(table.row_count)}


async def caught_up(pilot) -> None:
    """Wait for the catch-up, then for the tree and panes it has read anew."""
    for _ in range(200):
        if not any(worker.group == "catch-up" and worker.is_running for worker in pilot.app.workers):
            break
        await pilot.pause(0.05)
    for _ in range(5):
        await pilot.pause()
    await settle(pilot)


def money_of_pairing_1(database: Path) -> str:
    row = next(row for row in Atlas(open_database(database)).pairings() if row.id == 1)
    given = next(total for total in row.money if total.basis == "actual")
    return amount(given.value, given.unit, "en", short=True)      # as the table's money column reads


async def test_a_file_changed_by_another_program_is_painted_at_once_and_its_sums_follow(browser_db: Path):
    before = money_of_pairing_1(browser_db)
    with closing(sqlite3.connect(browser_db)) as db, db:
        db.execute(NEW_MONEY)
    app = make_app(browser_db)
    assert app.atlas.ask(lambda atlas: atlas.updating)        # read as it stood: nothing waited to paint
    async with app.run_test(size=(120, 30)) as pilot:
        await caught_up(pilot)
        assert not str(pilot.app.query_one(StatusLine).content).startswith("Sums being updated")
        shown = pairings_money(pilot)
        after = money_of_pairing_1(browser_db)
        assert after != before and after in shown and before not in shown


async def test_reload_shows_the_new_sums_in_the_roots_table_of_pairings(browser_db: Path):
    async with make_app(browser_db).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        before = money_of_pairing_1(browser_db)
        assert before in pairings_money(pilot)
        with closing(sqlite3.connect(browser_db)) as db, db:
            db.execute(NEW_MONEY)
        await pilot.press("r")
        await settle(pilot)
        after = money_of_pairing_1(browser_db)
        assert after in pairings_money(pilot) and before not in pairings_money(pilot)


async def test_the_status_line_says_how_far_the_update_has_come(browser_db: Path):
    async with make_app(browser_db).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = pilot.app.query_one(StatusLine)
        line.progress(250, 1000)          # what the catch-up worker's messages show
        text = str(line.content)
        assert text.startswith("Sums being updated") and "250/1,000" in text and "█████░" in text


async def test_while_the_sums_are_being_updated_the_pane_says_so_and_then_shows_the_new_sums(browser_db: Path,
                                                                                             monkeypatch):
    import threading

    from tui.data import shared

    with closing(sqlite3.connect(browser_db)) as db, db:
        db.execute(NEW_MONEY)
    may_finish = threading.Event()
    catch_up = shared.bring_up_to_date

    def slow_catch_up(*arguments, **options):      # a large change: the catch-up takes a while
        may_finish.wait(10)
        catch_up(*arguments, **options)

    monkeypatch.setattr(shared, "bring_up_to_date", slow_catch_up)
    async with make_app(browser_db).run_test(size=(120, 30)) as pilot:
        for _ in range(200):    # not `settle`: that would wait for the catch-up too
            tables = pilot.app.query(PairingsTable)
            if tables and tables.first().row_count:
                break
            await pilot.pause(0.05)
        assert "being updated" in detail_text(pilot)
        shown_before = pairings_money(pilot)
        may_finish.set()
        await caught_up(pilot)
        assert "being updated" not in detail_text(pilot)
        assert money_of_pairing_1(browser_db) in pairings_money(pilot) and pairings_money(pilot) != shown_before



async def test_a_quote_edited_by_another_program_is_found_in_the_app_once_it_has_caught_up(browser_db: Path):
    with closing(sqlite3.connect(browser_db)) as db, db:
        db.execute("UPDATE evidence SET quote = '另一个程序补记的鹦鹉螺养殖' "
                   "WHERE id = (SELECT min(id) FROM evidence WHERE figure_id IS NOT NULL)")
    async with make_app(browser_db).run_test(size=(120, 30)) as pilot:
        await caught_up(pilot)
        assert [hit.kind for hit in pilot.app.atlas.search("鹦鹉螺", 10)] == ["figure"]


async def test_an_index_a_newer_duikou_adds_is_made_after_the_first_paint(browser_db: Path):
    with closing(sqlite3.connect(browser_db)) as db, db:
        db.execute("DROP INDEX total_home_key")
    async with make_app(browser_db).run_test(size=(120, 30)) as pilot:
        await caught_up(pilot)
    with closing(sqlite3.connect(browser_db)) as db:
        assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'total_home_key'").fetchone()
