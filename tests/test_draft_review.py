"""A curator reviews a draft in the app: reads each sentence with its number highlighted, rejects
what is not about the assistance, corrects a guess with a key, and writes the SQL."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from tui.browser.screens.review import ReviewApp, ReviewScreen
from tui.data.draft import draft_article
from tui.data.draft.writing import sql_of

ARTICLE = """青白江区对口帮扶九龙县
青白江区向九龙县拨付对口帮扶资金1050万元,其中,安排产业扶贫资金300万元。
[bold]青白江区[/bold]组织两场招聘会,吸引求职者120余名。
"""


@pytest.fixture
def drafted(tmp_path: Path, seed_db: Path):
    article = tmp_path / "review.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = sqlite3.connect(seed_db)
    try:
        yield draft_article(article, db), db
    finally:
        db.close()


def sentence_shown(pilot) -> Text:
    content = pilot.app.screen.query_one("#review-sentence", Static).content
    assert isinstance(content, Text)
    return content


async def test_each_sentence_is_shown_with_its_number_highlighted(drafted):
    draft, _ = drafted
    async with ReviewApp(draft).run_test(size=(120, 30)) as pilot:
        assert isinstance(pilot.app.screen, ReviewScreen)
        shown = sentence_shown(pilot)
        assert shown.plain == "青白江区向九龙县拨付对口帮扶资金1050万元,其中,安排产业扶贫资金300万元"
        highlighted = [shown.plain[span.start:span.end] for span in shown.spans if "reverse" in str(span.style)]
        assert highlighted == ["1050万元"]
        await pilot.press("down", "down")
        shown = sentence_shown(pilot)
        assert shown.plain.startswith("[bold]青白江区[/bold]")     # the article's text, never markup
        assert [shown.plain[s.start:s.end] for s in shown.spans if "reverse" in str(s.style)] == ["两场"]


async def test_keys_reject_and_correct_then_write(drafted):
    draft, db = drafted
    async with ReviewApp(draft).run_test(size=(120, 30)) as pilot:
        table = pilot.app.screen.query_one(DataTable)
        await pilot.press("down", "x")                      # 300万元: not wanted
        assert str(table.get_row_at(1)[0]) == "✗"
        await pilot.press("up", "b")                        # 1050万元 was planned after all
        assert str(table.get_row_at(0)[5]) == "planned"
        await pilot.press("m")
        assert str(table.get_row_at(0)[6]) != "aid_funds"
        await pilot.press("h")
        assert draft.candidates[0].home.why.endswith("chosen in review")
        await pilot.press("w")
    assert pilot.app.return_value is True
    sql = sql_of(draft, db, "review.txt")
    assert "'300万元'" not in sql and "'1050万元'" in sql and "'planned');" in sql


async def test_quitting_writes_nothing(drafted):
    draft, _ = drafted
    async with ReviewApp(draft).run_test(size=(120, 30)) as pilot:
        await pilot.press("q")
    assert pilot.app.return_value is False
