"""User stories of the browser, told through the keys a person presses and what the screen shows."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from support import cursor_label, detail_text, help_rows, make_app, settle, tree_of, walk_to
from textual.pilot import Pilot
from textual.widgets import Footer, Static

from tui.browser.app import DuikouApp
from tui.browser.widgets.atlas_tree import AtlasTree, figure_forms
from tui.browser.widgets.breadcrumb import Breadcrumb
from tui.browser.widgets.detail_pane import DetailPane
from tui.browser.widgets.pairings_table import PairingsTable
from tui.browser.widgets.sources import TotalFigures
from tui.browser.widgets.status_line import StatusLine
from tui.data import Atlas, open_database
from tui.text.format import years
from tui.text.i18n import ZH
from tui.text.totals import amount, total_text

PROJECT = "郎呷村跑山鸡养殖项目"
AGRICULTURE = "Agriculture and herding"


def atlas_of(database: Path) -> Atlas:
    """The data layer's own answers, to compare the screen with (the bundled seed grows)."""
    return Atlas(open_database(database))




def children_labels(pilot: Pilot) -> list[str]:
    node = tree_of(pilot).cursor_node
    return [str(child.label) for child in node.children]


async def test_walk_from_donor_to_a_project_shows_its_amount_and_evidence(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE)
        assert PROJECT in children_labels(pilot)
        await walk_to(pilot, PROJECT)
        shown = detail_text(pilot)
        assert "Amount: 1,050 万元 (¥10.5 M)" in shown
        assert "青白江区2018年拨付对口帮扶资金1050万" in shown                      # the figure's evidence
        assert "青白江援建郎呷村的跑山鸡项目已经启动了" in shown                    # the project's own
        assert "四川新闻网" in shown and "2018-05-09" in shown                     # publisher and date
        assert "青白江区对口帮扶甘孜州九龙县工作报道" in shown                      # document title
        breadcrumb = str(pilot.app.query_one(Breadcrumb).render())
        assert breadcrumb == f"All pairings › 青白江区 › 九龙县 › {AGRICULTURE} › {PROJECT}"


async def test_tree_labels_carry_a_short_figure(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE)
        tree = tree_of(pilot)
        sector = tree.cursor_node
        line = tree.render_line(sector.line).text.rstrip()
        assert any(line.endswith(f"  {figure}") for figure in figure_forms(sector.data)), line
        project = next(child for child in sector.children if str(child.label) == PROJECT)
        line = tree.render_line(project.line).text.rstrip()
        assert line.endswith(f"{PROJECT}  ¥10.5 M")   # the name whole, its figure without its years


async def test_the_figure_wording_is_marked_in_its_quote(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE, PROJECT)
        pane = pilot.app.query_one(DetailPane)
        highlight = pane.get_component_rich_style("detail-pane--highlight", partial=True)
        marked = [text.plain[span.start:span.end]
                  for widget in pane.query(Static) if isinstance(text := widget.content, Text)
                  for span in text.spans if span.style == highlight]
        assert "1050万" in marked      # wording 1050万元; the quote says 1050万


async def test_a_row_without_a_source_says_so(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "成华区", "丹巴县", "Education", "丹巴县助学项目")
        assert "no source" in detail_text(pilot)


async def test_a_recipient_shows_totals_without_double_counting(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        shown = detail_text(pilot)
        # The 2016–2017 total (#800020) is added; its parts 195.5 万 and 15 万 are left out.
        total = atlas_of(browser_db).total(tree_of(pilot).cursor_node.data.scope, "aid_funds", "CNY")
        assert f"Aid funds: {total_text(total, 'en', short=True)}" in shown
        aid = next(item for item in pilot.app.query(TotalFigures) if item.heading.plain.startswith("Aid funds"))
        aid.collapsed = False                                   # the figures it adds, unfolded
        await settle(pilot)
        added = "\n".join(str(widget.content) for widget in aid.query(Static))
        assert "#800020" in added and "#800010" in added
        assert "#800021" not in added and "#800022" not in added
        assert "Money by sector" in shown and "Money by year" in shown


async def test_a_recipient_in_recipient_order_shows_its_place_and_outcomes(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await walk_to(pilot, "九龙县")
        shown = detail_text(pilot)
        assert "中国 › 四川省 › 甘孜藏族自治州 › 九龙县" in shown
        assert "Outcomes over time" in shown
        assert "2,665 people" in shown and "16.8%" in shown


async def test_the_root_table_lists_every_pairing(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(PairingsTable)
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        pairings = atlas_of(browser_db).pairings()
        assert len(rows) == len(pairings)
        for pairing in pairings:
            given = next((t for t in pairing.money if t.basis == "actual"), None)
            assert [pairing.donor, pairing.recipient, amount(given.value, "CNY", "en", short=True) if given else
                    "—", f"{pairing.projects:,}"] in rows
        table.focus()
        await pilot.press("down")                 # the row under the cursor is told in full below the table
        told = str(pilot.app.query_one("#pairing-row", Static).render())
        second = table.pairing_at(table.coordinate_to_cell_key((1, 0)).row_key.value)
        assert f"Kind: {second.kind}" in told and f"Years: {years(second.start_year, second.end_year)}" in told
        assert "Lifted out of poverty" in told and "Cadres sent" in told
        assert any(row[:2] == ["成华区", "丹巴县"] for row in rows)

        await pilot.press("3", "3")               # money, then money again: largest first
        richest = max(pairings, key=lambda pairing: sum(t.value for t in pairing.money if t.basis == "actual"))
        assert [str(cell) for cell in table.get_row_at(0)[:2]] == [richest.donor, richest.recipient]
        await pilot.press("1")                    # donor name, ascending
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == sorted(
            str(table.get_row_at(i)[0]) for i in range(table.row_count))


async def test_pivot_keeps_the_selected_project(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE, PROJECT)
        await pilot.press("p")
        await settle(pilot)
        assert cursor_label(pilot) == PROJECT
        assert str(pilot.app.query_one(Breadcrumb).render()) == (
            f"All pairings › 九龙县 › 青白江区 › {AGRICULTURE} › {PROJECT}")
        assert "order: recipient" in str(pilot.app.query_one(StatusLine).render())
        await pilot.press("p")                    # sector order: sector → donor → project
        await settle(pilot)
        assert tree_of(pilot).path_labels(tree_of(pilot).cursor_node) == [
            "All pairings", AGRICULTURE, "青白江区", PROJECT]
        await pilot.press("p")                    # and round to donor order again
        await settle(pilot)
        assert cursor_label(pilot) == PROJECT


async def test_pivot_from_a_donor_falls_back_to_the_root(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区")
        await pilot.press("p")                    # recipients come first now: no donor at the top
        await settle(pilot)
        assert tree_of(pilot).cursor_node is tree_of(pilot).root
        assert "九龙县" in [str(child.label) for child in tree_of(pilot).root.children]


async def test_copy_a_citation(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE, PROJECT)
        await pilot.press("c")
        copied = pilot.app.clipboard.splitlines()
        assert copied[0] == f"{PROJECT} — 1,050 万元 (¥10.5 M)"
        assert ("  “青白江区2018年拨付对口帮扶资金1050万” — untitled: 青白江区对口帮扶甘孜州九龙县工作报道, "
                "四川新闻网, 2018-05-09, 000_c29e945638e12640.txt") in copied     # no 《（无标题）…》
        assert "对口帮扶资金: 1,050 万元 (¥10.5 M) (1050万元), 2018" in copied


async def test_copy_at_the_root_copies_every_pairing(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        copied = pilot.app.clipboard.splitlines()
        pairings = atlas_of(browser_db).pairings()
        assert copied[0] == "All pairings" and len(copied) == 1 + len(pairings)
        jiulong = next(line for line in copied if line.startswith("青白江区 → 九龙县"))
        assert "省内对口帮扶" in jiulong and "万元" in jiulong


async def test_back_goes_to_the_parent(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE)
        await pilot.press("escape")
        assert cursor_label(pilot) == "九龙县"
        await pilot.press("backspace")
        assert cursor_label(pilot) == "青白江区"
        await pilot.press("h")                    # open: h closes it first, then goes up
        assert not tree_of(pilot).cursor_node.is_expanded
        await pilot.press("h")
        assert tree_of(pilot).cursor_node is tree_of(pilot).root


async def test_names_are_never_read_as_markup(browser_db: Path) -> None:
    name = "[red]x[/red] 援建[/ 项目"
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE)
        assert name in children_labels(pilot)
        await walk_to(pilot, name)
        shown = detail_text(pilot)
        assert name in shown
        assert "ESC␛[31m stays visible" in shown        # control characters shown, not obeyed
        assert "\x1b" not in shown
        assert "no source" in shown


async def test_help_lists_duikous_keys_first_then_the_generic_ones(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        sections = help_rows(pilot)
        assert list(sections) == ["Duikou's keys", "Other keys"]
        own = sections["Duikou's keys"]
        assert own["Down"] == "↓ j" and own["Go to the parent node"] == "esc ⌫"
        assert own["Sort the table of pairings by that column (again: reverse)"] == "1–4"
        assert own["Move between the tree, the pane and the pairings table"] == "tab"
        for keys in ("/", "p", "s", "c", "e", "r", "q", "?"):
            assert keys in own.values(), keys
        assert "Toggle" in sections["Other keys"]                # Textual's own tree keys come after
        scroll = pilot.app.screen.query_one("#help")
        assert scroll.max_scroll_y > 0                           # at 80×24 the list is longer than the screen
        await pilot.press("pagedown")
        assert scroll.scroll_y > 0
        await pilot.press("escape")
        assert len(pilot.app.screen_stack) == 1


async def test_reload_sees_rows_added_on_disk(browser_db: Path) -> None:
    from tui.data import connect

    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县", AGRICULTURE, PROJECT)
        db = connect(browser_db, write=True)
        db.execute("INSERT INTO project (id, pairing_id, sector, name) VALUES (800099, 1, 'agriculture', '新项目')")
        db.close()
        await pilot.press("r")
        await settle(pilot)
        assert cursor_label(pilot) == PROJECT
        assert "新项目" in [str(child.label) for child in tree_of(pilot).cursor_node.parent.children]


async def test_at_80_by_24_nothing_important_is_cut(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        assert pilot.app.query_one(DetailPane).max_scroll_y > 0    # the rest of the fact sheet is a scroll away
        await walk_to(pilot, AGRICULTURE, PROJECT)
        screen = pilot.app.screen.region
        for widget in (Breadcrumb, AtlasTree, DetailPane, StatusLine, Footer):
            region = pilot.app.query_one(widget).region
            assert region.area > 0 and screen.contains_region(region), widget
        tree = pilot.app.query_one(AtlasTree)
        assert 28 <= tree.region.width <= 36                     # about 40%
        status = str(pilot.app.query_one(StatusLine).render())
        assert "pairings" in status and "projects" in status


async def test_chinese_labels(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert str(tree_of(pilot).root.label) == "全部对口帮扶"
        headers = [str(column.label) for column in pilot.app.query_one(PairingsTable).columns.values()]
        assert "1 援助方" in headers and "4 项目" in headers
        assert "个项目" in str(pilot.app.query_one(StatusLine).render())
        descriptions = {binding.description for _, binding in pilot.app._bindings}
        assert {"帮助", "切换顺序", "复制", "重新加载", "退出"} <= descriptions
        await walk_to(pilot, "青白江区", "九龙县", "农牧业/中藏药材/养殖", PROJECT)   # a sector in the interface's language
        assert "金额: 1,050 万元 (¥10.5 M)" in detail_text(pilot)


def test_every_key_has_a_chinese_label() -> None:
    from tui.browser.screens.help import HelpScreen
    from tui.browser.widgets.pairings_table import PairingsTable as Table

    for widget in (DuikouApp, AtlasTree, Table, HelpScreen):
        for binding in widget.BINDINGS:
            assert binding.description in ZH, binding
            assert not binding.tooltip or binding.tooltip in ZH, binding


async def test_a_large_family_comes_in_pages(browser_db: Path) -> None:
    from tui.data import connect

    db = connect(browser_db, write=True)
    db.executemany("INSERT INTO project (id, pairing_id, sector, name) VALUES (?, 2, 'culture', ?)",
                   [(800100 + index, f"文化项目{index:03d}") for index in range(250)])
    db.close()
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "成华区", "丹巴县")
        culture = next(label for label in children_labels(pilot) if label == "Culture")
        await walk_to(pilot, culture)
        labels = children_labels(pilot)
        assert len(labels) == 201 and labels[-1] == "show 200 more"
        await walk_to(pilot, "show 200 more")     # the cursor stays put, on the first new row
        labels = [str(child.label) for child in tree_of(pilot).cursor_node.parent.children]
        assert len(labels) == 250 and "文化项目249" in labels
