"""The tree's labels as a reader meets them: every name beside its money, the money always whole
and apart from the name at 80 columns and wider (a long name gives way, cut with an ellipsis), and
the money of the years the filter keeps."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import make_app, settle, sql, tree_of, walk_to
from textual.pilot import Pilot

from tui.browser.widgets.atlas_tree import figure_forms, shown_label
from tui.data.atlas import Node
from tui.text.format import money_brief


def tree_lines(pilot: Pilot) -> list[tuple[Node, str]]:
    """Each node row of the tree as it is on the screen, without its guides, with its node."""
    tree = tree_of(pilot)
    region = tree.content_region
    strips = pilot.app.screen._compositor.render_strips()
    rows = []
    for y in range(region.y, region.bottom):
        node = tree.get_node_at_line(tree.scroll_offset.y + y - region.y)
        if node is not None and isinstance(node.data, Node):
            text = strips[y].crop(region.x, region.right).text.rstrip()
            rows.append((node.data, text.lstrip("├└│ ▶▼")))
    return rows


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_every_figure_is_whole_and_apart_from_its_name(browser_db: Path, lang: str,
                                                             size: tuple[int, int]) -> None:
    async with make_app(browser_db, lang=lang).run_test(size=size) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")   # long sector names, long money lines
        rows = tree_lines(pilot)
        assert len(rows) > 10
        for node, shown in rows:
            figure = next((form for form in figure_forms(node) if shown.endswith("  " + form)), None)
            assert figure is not None, shown
            name = shown[:-len(figure)].rstrip()
            full = shown_label(node)
            assert name == full or (name.endswith("…") and full.startswith(name[:-1])), shown
        if size[0] >= 160:      # room enough: every name whole
            assert all(not shown.split("  ")[0].endswith("…") for _, shown in rows)


async def test_the_tree_shows_the_money_of_the_year_the_filter_keeps(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("end", "enter")                         # the last year with sums: 2018
        await settle(pilot)
        (in_2018,), = sql(browser_db, """SELECT value FROM v_total WHERE scope = 'pairing' AND recipient = '九龙县'
                                         AND sector IS NULL AND year = 2018 AND measure = 'aid_funds'
                                         AND unit = 'CNY' AND basis = 'actual'""")
        (all_years,), = sql(browser_db, """SELECT value FROM v_total WHERE scope = 'pairing' AND recipient = '九龙县'
                                           AND sector IS NULL AND year IS NULL AND measure = 'aid_funds'
                                           AND unit = 'CNY' AND basis = 'actual'""")
        assert in_2018 != all_years
        shown = dict((node.label, line) for node, line in tree_lines(pilot))
        assert f"{money_brief(in_2018, 'en')} (2018)" in shown["九龙县"]
        assert str(tree_of(pilot).cursor_node.label) == "九龙县"   # read anew, the cursor where it was
        projects = [node for node in tree_of(pilot).cursor_node.children if isinstance(node.data, Node)]
        assert projects and all("2016" not in figure_forms(node.data)[0] for node in projects if node.data.money)
