"""The detail pane as a reader meets it at 80×24: a fact sheet whose sums come from the stored
totals, whose figures unfold with their quotes, whose quotes open their documents, and a filter
of years and basis the pane and the tree keep to."""
from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

from support import copy_database, detail_text, make_app, settle, sql, tree_of, walk_to
from textual.pilot import Pilot

from tui.browser.screens.document import DocumentScreen
from tui.browser.widgets.atlas_tree import figure_of
from tui.browser.widgets.bar_chart import BarChart
from tui.browser.widgets.detail_pane import DetailPane
from tui.browser.widgets.sources import SourceLink, TotalFigures
from tui.data import fact_sheet
from tui.data.connection import connect
from tui.text.format import document_title, money_brief, quantity
from tui.text.totals import total_text

AGRICULTURE = "Agriculture and herding"
JIULONG_DOCUMENT = "000_c29e945638e12640.txt"   # 青白江区对口帮扶甘孜州九龙县工作报道, a document without a title


def pane_lines(pilot: Pilot) -> list[str]:
    """The detail pane's rows as they are on the screen."""
    region = pilot.app.query_one(DetailPane).region
    strips = pilot.app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)]


def stored_total(database: Path, recipient: str, basis: str = "actual", year: int | None = None) -> float:
    """A pairing's aid funds as the public view v_total holds them."""
    (value,), = sql(database, """SELECT value FROM v_total WHERE scope = 'pairing' AND recipient = ? AND sector IS NULL
                                 AND year IS ? AND measure = 'aid_funds' AND unit = 'CNY' AND basis = ?""",
                    recipient, year, basis)
    return value


async def test_a_pairing_opens_with_its_money_projects_cadres_and_outcomes(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        first = "\n".join(pane_lines(pilot)[:20])
        order = ["Money", "Aid funds: " + money_brief(stored_total(browser_db, "九龙县"), "en"), "Projects: ",
                 "Cadres sent: ≥ ", "Poverty rate: 16.8% (2017)", "Lifted out of poverty: 2,665 people (2016)",
                 "Money by sector"]
        places = [first.find(text) for text in order]
        assert -1 not in places and places == sorted(places), (order, first)
        projects = tree_of(pilot).cursor_node.data.projects     # as the tree counts them, sub-pairings' included
        assert f"Projects: {projects} projects (" in first
        assert "#" not in first                                   # figures by name, value and year, not by id


def shown_statuses(pilot: Pilot) -> dict[str, int]:
    """The pane's projects by status: {"completed": 30, …, "no status": 29}."""
    line = next(line for line in detail_text(pilot).splitlines() if line.startswith("Projects: "))
    return {status: int(count.replace(",", "")) for count, status in
            re.findall(r"([\d,]+) (completed|underway|planned|no status)", line)}


def counted_statuses(database: Path, donor: str, recipient: str | None = None, sector: str | None = None,
                     year: int | None = None) -> dict[str, int]:
    """Projects by status counted row by row, under the top-level pairings of a donor (and recipient)."""
    return {status or "no status": count for status, count in sql(database, """
        SELECT p.status, count(*) FROM project p JOIN pairing r ON r.id = p.pairing_id
        JOIN pairing top ON top.id = coalesce(r.parent_id, r.id)
        JOIN place d ON d.id = top.donor_place_id LEFT JOIN place c ON c.id = top.recipient_place_id
        WHERE d.name = ? AND (?2 IS NULL OR c.name = ?2) AND (?3 IS NULL OR p.sector = ?3)
          AND (?4 IS NULL OR (p.year <= ?4 AND coalesce(p.end_year, p.year) >= ?4))
        GROUP BY p.status""", donor, recipient, sector, year)}


async def test_projects_by_status_are_those_of_the_scope(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(160, 45)) as pilot:
        await walk_to(pilot, "青白江区")
        assert shown_statuses(pilot) == counted_statuses(browser_db, "青白江区")
        await walk_to(pilot, "九龙县")
        assert shown_statuses(pilot) == counted_statuses(browser_db, "青白江区", "九龙县")
        await walk_to(pilot, AGRICULTURE)
        assert shown_statuses(pilot) == counted_statuses(browser_db, "青白江区", "九龙县", "agriculture")


async def test_a_year_of_a_scope_too_large_to_count_by_status_says_its_statuses_are_of_all_years(
        browser_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(fact_sheet, "STATUS_LIMIT", 10)     # as a national-scale donor's 400,000 projects are
    async with make_app(browser_db).run_test(size=(160, 45)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("end", "enter")                         # 2018
        await settle(pilot)
        assert shown_statuses(pilot) == counted_statuses(browser_db, "青白江区", "九龙县")
        assert "; all years)" in detail_text(pilot)


async def test_each_total_names_its_figures_and_unfolds_them_with_their_quotes(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        aid = next(item for item in pilot.app.query(TotalFigures) if item.heading.plain.startswith("Aid funds"))
        named = aid.heading.plain.splitlines()[1]
        assert "对口帮扶资金" in named and "2016–2017" in named     # name, value and years of what it adds
        assert aid.collapsed
        aid.query_one("CollapsibleTitle").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not aid.collapsed
        shown = "\n".join(pane_lines(pilot))
        assert "“青白江区2018年拨付对口帮扶资金1050万”" in shown and "#800010" in shown   # quotes, and ids on request
        await pilot.press("enter")
        assert aid.collapsed


async def test_a_quote_opens_its_document_with_everything_citing_it(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(80, 24)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        for folded in pilot.app.query(TotalFigures):            # a total's figures unfold with their sources
            folded.collapsed = False
        await settle(pilot)
        link = next(link for link in pilot.app.query(SourceLink) if link.key == JIULONG_DOCUMENT)
        link.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DocumentScreen)
        shown = "\n".join(str(widget.render()) for widget in screen.query("Static"))
        assert shown.startswith("untitled: 青白江区对口帮扶甘孜州九龙县工作报道") and "《（无标题）" not in shown
        assert f"Key: {JIULONG_DOCUMENT}" in shown and "Publisher: 四川新闻网" in shown
        (figures,), = sql(browser_db, """SELECT count(*) FROM (SELECT id FROM figure WHERE document = ?
                                         UNION SELECT figure_id FROM evidence WHERE document = ? AND figure_id IS NOT NULL)""",
                          JIULONG_DOCUMENT, JIULONG_DOCUMENT)
        assert f"Figures citing it (50 of {figures:,})" in shown and "m: show 50 more" in shown   # a page at a time
        await pilot.press("m")
        await settle(pilot)
        shown = "\n".join(str(widget.render()) for widget in screen.query("Static"))
        assert f"Figures citing it (100 of {figures:,})" in shown and "黄芪订单式试种收购面积" in shown
        assert "Projects citing it (" in shown and "郎呷村跑山鸡养殖项目" in shown
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, DocumentScreen)


async def test_a_document_cited_by_many_lists_them_a_page_at_a_time(browser_db: Path, tmp_path: Path) -> None:
    database = copy_database(browser_db, tmp_path / "cited.db")
    with closing(connect(database, write=True)) as db, db:      # 120 more figures cite the document
        db.execute("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
                      INSERT INTO figure (id, pairing_id, sector, measure, name, value, unit, wording, year,
                                          document, evidence)
                      SELECT 900000 + i, 1, 'health', 'trained', '培训医生' || i, i, 'person', i || '人', 2018,
                             ?, '培训医生' || i || '人次的报道'
                      FROM n""", (JIULONG_DOCUMENT,))
    (figures,), = sql(database, """SELECT count(*) FROM (SELECT id FROM figure WHERE document = ?
                                   UNION SELECT figure_id FROM evidence WHERE document = ? AND figure_id IS NOT NULL)""",
                      JIULONG_DOCUMENT, JIULONG_DOCUMENT)
    async with make_app(database).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        pilot.app.query_one(DetailPane).open_document(JIULONG_DOCUMENT)
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DocumentScreen)

        def shown() -> str:
            return "\n".join(str(widget.render()) for widget in screen.query("Static"))
        assert f"Figures citing it (50 of {figures:,})" in shown() and "m: show 50 more" in shown()
        assert shown().count("\n• ") < figures
        await pilot.press("m")
        await settle(pilot)
        assert f"Figures citing it (100 of {figures:,})" in shown()
        for _ in range(figures // 50):
            await pilot.press("m")
            await settle(pilot)
        assert f"Figures citing it ({figures:,})" in shown() and "m: show" not in shown()
        assert "培训医生120  120 people" in shown()


async def test_the_palette_goes_to_a_document(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"脱贫攻坚简报")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DocumentScreen)
        assert str(screen.query("Static").first().render()) == "《脱贫攻坚简报2019年第2期》"


async def test_the_sector_chart_adds_up_to_the_total(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 40)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        chart = pilot.app.query(BarChart).first()
        assert abs(sum(value for _, value in chart.rows) - stored_total(browser_db, "九龙县")) < 1
        assert any(label == "not assigned to a sector" for label, _ in chart.rows)


async def test_the_filter_keeps_the_pane_and_the_tree_to_one_year_and_basis(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 40)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("down", "enter")                        # actual only
        await settle(pilot)
        quzhou = next(node for node in tree_of(pilot).root.children if str(node.label) == "衢江区")
        assert "planned" not in figure_of(quzhou.data, tree_of(pilot).basis)
        assert "planned" in figure_of(quzhou.data)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("end", "enter")                         # the last year with sums: 2018
        await settle(pilot)
        shown = "\n".join(pane_lines(pilot))
        assert "Showing 2018 · actual only" in shown
        assert f"Aid funds: {money_brief(stored_total(browser_db, '九龙县', year=2018), 'en')} (2018)" in shown
        assert not any(item.heading.plain.startswith("Investment: planned") for item in pilot.app.query(TotalFigures))


async def test_a_total_reads_as_the_stored_sum_says_it(browser_db: Path) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(100, 30)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        pane = pilot.app.query_one(DetailPane)
        aid = next(item for item in pane.query(TotalFigures) if item.heading.plain.startswith("援助/帮扶资金"))
        (value,) = [total for total in _totals(pilot) if total.measure == "aid_funds" and total.basis == "actual"]
        assert aid.heading.plain.splitlines()[0] == f"援助/帮扶资金: {total_text(value, 'zh', short=True)}"
        assert "万元" in aid.heading.plain and "¥" not in aid.heading.plain.splitlines()[0]


def _totals(pilot: Pilot):
    return pilot.app.atlas.ask(lambda atlas: atlas.totals(tree_of(pilot).cursor_node.data.scope))


def test_numbers_read_as_people_write_them() -> None:
    assert quantity(1, "project", lang="en") == "1 project" and quantity(2, "project", lang="en") == "2 projects"
    assert quantity(1, "person", lang="en") == "1 person" and quantity(20164, "project", lang="en") == "20,164 projects"
    assert money_brief(25_500_000, "zh") == "2,550 万元" and money_brief(25_500_000, "en") == "¥25.5 M"
    assert money_brief(125_000_000, "en") == "¥125 M" and "e+" not in money_brief(1.25e8, "zh")
    assert document_title("（无标题）") == "untitled" and document_title("题目") == "《题目》"
