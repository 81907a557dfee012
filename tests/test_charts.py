"""A chart never drops or wraps a unit, whatever the width, and Chinese labels are measured in cells."""
from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from support import make_app, walk_to

from tui.browser.widgets.bar_chart import BarChart, chart_text
from tui.text.format import money_brief

ROWS = [("农牧业/中藏药材/养殖", 10_500_000), ("未分到领域", 177_060_000), ("医疗卫生", 200_000), ("教育", 0)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_line_keeps_its_unit_at_any_width(lang: str) -> None:
    for width in range(20, 201):
        lines = chart_text(ROWS, lambda value: money_brief(value, lang), width).plain.splitlines()
        assert len(lines) == len(ROWS), width                       # one line a row: nothing wraps
        for line, (_, value) in zip(lines, ROWS):
            assert line.endswith(money_brief(value, lang)), (width, line)
            assert cell_len(line) <= width, (width, line)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
async def test_the_pane_charts_keep_their_units_on_screen(browser_db: Path, width: int) -> None:
    async with make_app(browser_db, lang="zh").run_test(size=(width, 40)) as pilot:
        await walk_to(pilot, "青白江区", "九龙县")
        charts = list(pilot.app.query(BarChart))
        assert charts
        for chart in charts:
            lines = [pilot.app.screen._compositor.render_strips()[y].crop(chart.region.x, chart.region.right).text
                     for y in range(chart.region.y, chart.region.bottom)]
            for line, (_, value) in zip(lines, chart.rows):
                assert line.rstrip().endswith(money_brief(value, "zh")), line
