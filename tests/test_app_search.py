"""Searching from the browser: `/` and the command palette, told through keys and what the screen shows."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import cursor_label, help_rows, make_app, settle, walk_to
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tui.browser.app import DuikouApp
from tui.browser.screens.search import SearchScreen
from tui.browser.widgets.atlas_tree import AtlasTree
from tui.browser.widgets.breadcrumb import Breadcrumb
from tui.browser.widgets.detail_pane import DetailPane
from tui.text.i18n import ZH

PROJECT = "郎呷村跑山鸡养殖项目"
AGRICULTURE = "Agriculture and herding"




async def type_text(pilot: Pilot, text: str) -> None:
    """Type as a person would, then wait for the results (pasted at once when very long)."""
    search_input = pilot.app.screen.query_one("#search-input")
    if len(text) > 50:
        search_input.insert_text_at_cursor(text)
    else:
        await pilot.press(*text)
    await settle(pilot, after_typing=True)


def results_text(pilot: Pilot) -> list[str]:
    results = pilot.app.screen.query_one(OptionList)
    return [str(results.get_option_at_index(index).prompt) for index in range(results.option_count)]


def status_text(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one("#search-status", Static).content)


def breadcrumb(pilot: Pilot) -> str:
    return str(pilot.app.query_one(Breadcrumb).render())


def detail_text(pilot: Pilot) -> str:
    return "\n".join(str(widget.content) for widget in pilot.app.query_one(DetailPane).query(Static))


async def open_search(pilot: Pilot, query: str) -> None:
    await settle(pilot, after_typing=True)
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchScreen)
    await type_text(pilot, query)


async def test_search_a_project_by_name_and_jump_to_it(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "郎呷村跑山鸡养殖")
        shown = results_text(pilot)
        assert shown[0] == "Projects"                                   # grouped by kind, heading first
        assert any(PROJECT in line and "name prefix" in line and "青白江区 → 九龙县" in line for line in shown)
        assert "result" in status_text(pilot)
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert not isinstance(pilot.app.screen, SearchScreen)
        assert cursor_label(pilot) == PROJECT
        assert breadcrumb(pilot) == f"All pairings › 青白江区 › 九龙县 › {AGRICULTURE} › {PROJECT}"
        assert "Amount: 1,050 万元 (¥10.5 M)" in detail_text(pilot)


async def test_traditional_and_pinyin_find_a_place_and_jump_to_its_recipient_node(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "九龍縣")
        shown = results_text(pilot)
        assert shown[0] == "Places" and "九龙县" in shown[1] and "exact name" in shown[1]
        await pilot.press("escape")
        await pilot.press("slash")
        await type_text(pilot, "jiulong")
        assert any("九龙县" in line and "pinyin" in line for line in results_text(pilot))
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert cursor_label(pilot) == "九龙县"
        assert breadcrumb(pilot).startswith("All pairings › ") and breadcrumb(pilot).endswith("› 九龙县")
        assert "Money" in detail_text(pilot)


async def test_up_and_down_move_through_results(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "郎呷村跑山鸡")
        results = pilot.app.screen.query_one(OptionList)
        first = results.highlighted
        await pilot.press("down")
        second = results.highlighted
        assert second is not None and second > first
        chosen = pilot.app.screen.hits[int(results.get_option_at_index(second).id)]
        await pilot.press("up")
        assert results.highlighted == first
        await pilot.press("down", "enter")
        await settle(pilot, after_typing=True)
        assert cursor_label(pilot) == chosen.label


async def test_a_figure_lands_on_its_project(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "1050万")
        screen = pilot.app.screen
        results = screen.query_one(OptionList)
        figure = next(index for index in range(results.option_count)
                      if (option := results.get_option_at_index(index)).id is not None
                      and screen.hits[int(option.id)].context.startswith(PROJECT))
        assert "number: 1050万" in str(results.get_option_at_index(figure).prompt)
        while results.highlighted != figure:
            await pilot.press("down")
        chosen = screen.hits[int(results.get_option_at_index(figure).id)]
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert cursor_label(pilot) == PROJECT
        shown = detail_text(pilot)
        assert PROJECT in shown
        # the figure itself is shown first, not only the project it sits in
        assert "Chosen figure" in shown and shown.index("Chosen figure") < shown.index("Evidence")
        assert f"#{chosen.ref}" in shown[shown.index("Chosen figure"):shown.index("Evidence")]
        await pilot.press("up")                             # another node: the choice is spent
        await settle(pilot, after_typing=True)
        await pilot.press("down")
        await settle(pilot, after_typing=True)
        assert "Chosen figure" not in detail_text(pilot)


async def test_escape_closes_search_and_leaves_the_tree_alone(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "九龙")
        await pilot.press("escape")
        await pilot.pause()
        assert len(pilot.app.screen_stack) == 1
        assert pilot.app.query_one(AtlasTree).cursor_node is pilot.app.query_one(AtlasTree).root


async def test_the_newest_query_wins(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "九龙")
        await pilot.press(*"backspace backspace".split())
        await type_text(pilot, "丹巴")
        assert any("丹巴县" in line for line in results_text(pilot))
        assert not any("九龙县" in line and "exact name" in line for line in results_text(pilot))


@pytest.mark.parametrize("query", ['"九龙 AND (', "九" * 2000, "\x1b[2J", "[red]x[/red] *NEAR( 😀 OR -", ""])
async def test_hostile_queries_are_harmless(browser_db: Path, query: str) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "")
        pilot.app.screen.query_one("#search-input").insert_text_at_cursor(query)
        await settle(pilot, after_typing=True)
        assert isinstance(pilot.app.screen, SearchScreen)
        assert "\x1b" not in "".join(results_text(pilot))
        await pilot.press("enter")                   # with or without a hit, nothing breaks
        await settle(pilot, after_typing=True)
        assert pilot.app.is_running


async def test_ten_thousand_characters(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "")
        pilot.app.screen.query_one("#search-input").insert_text_at_cursor("a\"(九😀" * 2000)
        await settle(pilot, after_typing=True)
        assert isinstance(pilot.app.screen, SearchScreen)
        await pilot.press("escape")
        assert len(pilot.app.screen_stack) == 1


async def test_the_palette_finds_an_entity_by_name_and_jumps(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await settle(pilot, after_typing=True)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"郎呷村跑山鸡养殖")
        await settle(pilot, after_typing=True)
        palette = pilot.app.screen
        prompts = [str(option.prompt) for option in palette.query_one(OptionList).options]
        assert PROJECT in prompts[0]                                   # the engine's best hit first
        options = palette.query_one(OptionList)
        if options.highlighted is None:
            await pilot.press("down")
        assert PROJECT in str(options.highlighted_option.prompt)
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert len(pilot.app.screen_stack) == 1
        assert cursor_label(pilot) == PROJECT
        assert "Amount: 1,050 万元 (¥10.5 M)" in detail_text(pilot)


async def test_search_in_recipient_order_lands_in_that_order(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot, after_typing=True)
        await pilot.press("p")
        await open_search(pilot, "郎呷村跑山鸡养殖")
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert breadcrumb(pilot) == f"All pairings › 九龙县 › 青白江区 › {AGRICULTURE} › {PROJECT}"


async def test_search_key_is_listed_with_chinese_labels(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(100, 30)) as pilot:
        await settle(pilot, after_typing=True)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "/" in help_rows(pilot)["对口的按键"]["搜索：结果随输入更新；回车跳到树中该项"]
        await pilot.press("escape")
        await open_search(pilot, "九龙")
        assert results_text(pilot)[0] == "地点" and "名称开头" in "".join(results_text(pilot))
    for binding in (*SearchScreen.BINDINGS, *DuikouApp.BINDINGS):
        assert binding.description in ZH, binding


async def test_a_jump_keeps_the_branches_already_open(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        jiulong = pilot.app.query_one(AtlasTree).cursor_node
        await open_search(pilot, "丹巴县")
        await pilot.press("enter")
        await settle(pilot, after_typing=True)
        assert cursor_label(pilot) == "丹巴县" and breadcrumb(pilot) == "All pairings › 成华区 › 丹巴县"
        tree = pilot.app.query_one(AtlasTree)
        shown = [str(tree.get_node_at_line(line).label) for line in range(tree.last_line + 1)]
        assert "九龙县" in shown and AGRICULTURE in shown          # 青白江区 → 九龙县 is open as it was
        assert tree.get_node_at_line(shown.index("九龙县")) is jiulong


async def test_the_status_says_how_many_of_how_many_are_shown(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await open_search(pilot, "九龙")
        shown, total = map(int, status_text(pilot).removesuffix(" results").split(" of "))
        assert shown == 50 and total > 50                       # not "50 results" when there are more
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "九龙县 zzqqxx")
        assert status_text(pilot).startswith("nothing matches every word")
        assert any("not matched: zzqqxx" in line for line in results_text(pilot))
