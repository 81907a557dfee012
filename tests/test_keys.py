"""Keys work whatever has the focus: a person who tabbed into the pane or the table of pairings
still sorts, scrolls, searches, pivots, copies, asks for help and goes back with the same keys."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import cursor_label, help_rows, make_app, settle, tree_of, walk_to
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tui.browser.screens.help import HelpScreen
from tui.browser.screens.search import SearchScreen
from tui.browser.widgets.detail_pane import DetailPane
from tui.browser.widgets.pairings_table import PairingsTable
from tui.data import Atlas, open_database
from tui.data.atlas import Node
from tui.data.names import pinyin_forms

AGRICULTURE = "Agriculture and herding"
PROJECT = "郎呷村跑山鸡养殖项目"
FOCUSES = ("tree", "pane", "table")


async def focus(pilot: Pilot, where: str) -> None:
    """Give the focus to the tree, the detail pane or the root's table of pairings, as Tab would."""
    widget = {"tree": tree_of(pilot), "pane": pilot.app.query_one(DetailPane)}.get(where)
    if widget is None:
        widget = pilot.app.query_one(PairingsTable)
    widget.focus()
    await pilot.pause()
    assert pilot.app.focused is widget


def pages_of(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Families come `size` at a time, so that the seed's small ones have several pages."""
    monkeypatch.setattr("tui.browser.widgets.atlas_tree.PAGE", size)
    monkeypatch.setattr("tui.data.shared.PAGE", size)


async def open_agriculture(pilot: Pilot) -> None:
    """Open 青白江区, 九龙县 and their agriculture sector, as a person would."""
    await walk_to(pilot, "青白江区")
    await pilot.press("right")
    await walk_to(pilot, "九龙县")
    await pilot.press("right")
    await walk_to(pilot, AGRICULTURE)


async def jump_by_search(pilot: Pilot, name: str) -> None:
    """Search for `name` as a person types it, and go to the first result with Enter."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*name)
    await settle(pilot, after_typing=True)
    await pilot.press("enter")
    await settle(pilot)


def headers(pilot: Pilot) -> list[str]:
    return [str(column.label) for column in pilot.app.query_one(PairingsTable).columns.values()]


def first_column(pilot: Pilot, column: int) -> list[str]:
    table = pilot.app.query_one(PairingsTable)
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


@pytest.mark.parametrize("where", FOCUSES)
async def test_number_keys_sort_the_pairings_from_any_focus_and_mark_the_column(browser_db: Path, where: str) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus(pilot, where)
        await pilot.press("1")
        assert headers(pilot)[0] == "1 Donor ▲"
        assert first_column(pilot, 0) == sorted(first_column(pilot, 0))
        await pilot.press("1")                      # again: the other way round
        assert headers(pilot)[0] == "1 Donor ▼"
        assert first_column(pilot, 0) == sorted(first_column(pilot, 0), reverse=True)
        await pilot.press("4")                      # another column takes the mark
        assert headers(pilot)[3] == "4 Projects ▲" and headers(pilot)[0] == "1 Donor"
        projects = [int(cell.replace(",", "")) for cell in first_column(pilot, 3)]
        assert projects == sorted(projects)


@pytest.mark.parametrize("where", FOCUSES)
async def test_help_search_and_copy_answer_from_any_focus(browser_db: Path, where: str) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus(pilot, where)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        assert pilot.app.clipboard.splitlines()[0] == "All pairings"
        await pilot.press("p")                      # pivot: recipients first
        await settle(pilot)
        assert tree_of(pilot).order == "recipient"


@pytest.mark.parametrize("where", ("tree", "pane"))
async def test_the_pane_scrolls_from_any_focus(browser_db: Path, where: str) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        await focus(pilot, where)
        pane = pilot.app.query_one(DetailPane)
        assert pane.max_scroll_y > 0
        line = tree_of(pilot).cursor_line
        await pilot.press("shift+down")
        assert pane.scroll_y == 1
        await pilot.press("pagedown")
        assert pane.scroll_y > 1
        await pilot.press("pageup", "shift+up")
        assert pane.scroll_y == 0
        assert tree_of(pilot).cursor_line == line   # the tree's cursor stayed where it was


async def test_in_search_the_keys_are_the_search_screens(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("1", "q", "p", "question_mark", "c")
        assert pilot.app.screen.query_one(Input).value == "1qp?c"   # typed, not sorted, quit or pivoted
        assert headers(pilot)[0] == "1 Donor" and tree_of(pilot).order == "donor"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = pilot.app.screen.query_one("#help")
        await pilot.press("pagedown")               # in help, PgDn pages the help, not the pane behind it
        assert scroll.scroll_y > 0


@pytest.mark.parametrize("where", ("tree", "pane"))
async def test_back_and_forward_through_the_nodes_visited(browser_db: Path, where: str) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE, PROJECT)
        await focus(pilot, where)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert cursor_label(pilot) == AGRICULTURE
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert cursor_label(pilot) == "九龙县"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert cursor_label(pilot) == AGRICULTURE
        await pilot.press("escape")                 # the parent is not a visit: back goes where Enter went
        assert cursor_label(pilot) == "九龙县"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert cursor_label(pilot) == PROJECT


async def test_back_returns_from_a_search_jump(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "成华区", "丹巴县")
        await jump_by_search(pilot, PROJECT)
        assert cursor_label(pilot) == PROJECT
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert cursor_label(pilot) == "丹巴县"


async def test_a_jump_deep_into_a_large_family_opens_the_page_that_holds_it(browser_db: Path, monkeypatch) -> None:
    # Pages of two: the project is on the fourth page of its sector's four. The jump opens that
    # page with a row for the pages before it, and Enter on that row brings them, one at a time.
    pages_of(monkeypatch, 2)
    deep = "黄芪订单式试种收购协议"
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await jump_by_search(pilot, deep)
        assert cursor_label(pilot) == deep
        sector = tree_of(pilot).cursor_node.parent
        family = [node.label for node in tree_of(pilot).atlas.children(sector.data, "donor", 0, 100)]
        assert family.index(deep) == 6 and len(family) == 8

        def shown() -> list[str]:
            return [str(child.label) for child in sector.children]

        assert shown() == ["show 2 before", *family[6:]]
        for first in (4, 2, 0):
            await walk_to(pilot, "show 2 before")
            assert shown() == ["show 2 before"] * (first > 0) + family[first:]
        await walk_to(pilot, deep)
        assert cursor_label(pilot) == deep


async def test_a_sort_on_a_show_more_row_keeps_to_its_family(browser_db: Path, monkeypatch) -> None:
    # The row stands for its sector: `s` there reopens the sector, where it used to go to the root.
    pages_of(monkeypatch, 2)
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_agriculture(pilot)
        await pilot.press("j", "j", "j")
        assert cursor_label(pilot) == "show 2 more"
        await pilot.press("s")
        await settle(pilot)
        assert cursor_label(pilot) == AGRICULTURE
        sector = tree_of(pilot).cursor_node
        assert sector.is_expanded and str(sector.children[-1].label) == "show 2 more · each page sorted on its own"


async def test_s_sorts_every_family_by_pinyin_money_or_projects(browser_db: Path) -> None:
    atlas = Atlas(open_database(browser_db))
    donors = atlas.children(None)

    def shown(pilot: Pilot) -> list[str]:
        return [str(child.label) for child in tree_of(pilot).root.children if isinstance(child.data, Node)]

    def money(node: Node) -> float:
        return sum(total.value for total in node.money if total.basis == "actual")

    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # By name, Chinese read in pinyin: cheng, hu, qing, qu (by code point 衢 comes before 青).
        assert shown(pilot) == ["成华区", "湖北省", "青白江区", "衢江区"]
        assert {node.label for node in donors} == set(shown(pilot))
        await walk_to(pilot, "青白江区")
        await pilot.press("s")
        await settle(pilot)
        assert shown(pilot) == [node.label for node in sorted(donors, key=money, reverse=True)]
        assert cursor_label(pilot) == "青白江区"    # the cursor stays on its node
        await pilot.press("s")
        await settle(pilot)
        assert shown(pilot) == [node.label for node in sorted(donors, key=lambda node: -node.projects)]
        await pilot.press("s")
        await settle(pilot)
        assert shown(pilot)[0] == "成华区"


async def test_a_family_larger_than_a_page_reads_on_in_pinyin_across_its_pages(browser_db: Path, monkeypatch) -> None:
    # Pages of one: the database gives 简阳市 (jian) first, not 九龙县 (by code point 九 comes before
    # 简), so "show 1 more" continues the order instead of starting it again.
    pages_of(monkeypatch, 1)
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区")
        await pilot.press("right")
        await settle(pilot)
        await walk_to(pilot, "show 1 more")
        await settle(pilot)
        donor = next(child for child in tree_of(pilot).root.children if str(child.label) == "青白江区")
        assert [str(child.label) for child in donor.children] == ["简阳市", "九龙县"]


async def test_the_palette_runs_duikous_actions(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"切换顺序")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert tree_of(pilot).order == "recipient"


@pytest.mark.parametrize("lang", ("en", "zh"))
async def test_the_footer_fits_80_columns_and_keeps_quit(browser_db: Path, lang: str) -> None:
    async with make_app(browser_db, lang=lang).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = {key.action: key for key in pilot.app.screen.query(FooterKey)}
        assert {"help", "search", "quit"} <= set(keys)
        for key in keys.values():
            assert key.region.right <= 80, key.description
        assert keys["quit"].description == ("Quit" if lang == "en" else "退出")


async def test_help_is_chinese_with_the_chinese_interface(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        sections = help_rows(pilot)
        assert list(sections) == ["对口的按键", "其他按键"]
        assert sections["对口的按键"]["按该列给对口关系表排序（再按一次：倒序）"] == "1–4"
        assert sections["对口的按键"]["在树、详情和对口关系表之间切换"] == "tab"
        every = [does for rows in sections.values() for does in rows]
        ascii_only = [does for does in every if does.isascii()]
        assert not ascii_only, ascii_only            # Textual's own keys too: none left in English


async def test_a_project_family_larger_than_a_page_keeps_one_order_across_its_pages(browser_db: Path,
                                                                                     monkeypatch) -> None:
    # Pages of two: the database gives 黄芪订单式试种收购协议 before 黑毛驴养殖基地 (by code point 黄
    # comes before 黑), where pinyin would put hei first on that page, and each page would start the
    # alphabet again. By name the pages follow on; by money each page is sorted alone, and says so.
    pages_of(monkeypatch, 2)
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_agriculture(pilot)
        sector = tree_of(pilot).cursor_node
        every = [node.label for node in tree_of(pilot).atlas.children(sector.data, "donor", 0, 100)]
        pages = [every[start:start + 2] for start in range(0, len(every), 2)]
        assert len(pages) == 4 and any(page != sorted(page, key=lambda name: pinyin_forms(name)[1]) for page in pages)
        for _ in range(3):
            await walk_to(pilot, "show 2 more")
        assert [str(child.label) for child in sector.children] == every

        await pilot.press("s")     # by money
        await walk_to(pilot, "Overall and planning")    # opened now, a page at a time
        other_sector = tree_of(pilot).cursor_node
        assert len(other_sector.children) == 3
        assert str(other_sector.children[-1].label) == "show 2 more · each page sorted on its own"
