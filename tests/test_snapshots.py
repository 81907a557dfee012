"""What a person sees, screen by screen, at 80×24 and 120×40, in English and Chinese: the root,
a pairing, a sector, a project, search and help. Each snapshot was read before it was accepted;
after a deliberate change, `python -m pytest tests/test_snapshots.py --snapshot-update` writes them
anew, to be read again (the SVGs in tests/__snapshots__ open in a web browser)."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import make_app, settle, walk_to
from textual.pilot import Pilot
from textual.widgets import Input

from tui.text.i18n import language

AGRICULTURE = {"en": "Agriculture and herding", "zh": "农牧业/中藏药材/养殖"}   # the tree names a sector in the interface's language
PROJECT = "郎呷村跑山鸡养殖项目"


async def _search(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await pilot.pause()
    pilot.app.screen.query_one(Input).cursor_blink = False   # a blinking cursor would differ run to run
    await pilot.press(*"九龙")
    await settle(pilot, after_typing=True)


async def _help(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


# Each view: the way there from a newly started app.
VIEWS = {
    "root": lambda pilot: settle(pilot),
    "pairing": lambda pilot: walk_to(pilot, "青白江区", "九龙县"),
    "sector": lambda pilot: walk_to(pilot, "青白江区", "九龙县", AGRICULTURE[language()]),
    "project": lambda pilot: walk_to(pilot, "青白江区", "九龙县", AGRICULTURE[language()], PROJECT),
    "search": _search,
    "help": _help,
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_screen(snap_compare, browser_db: Path, view: str, lang: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(browser_db, lang=lang), terminal_size=size, run_before=VIEWS[view])
