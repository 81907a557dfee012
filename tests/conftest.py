"""Shared fixtures: a database built from the bundled data plus the browser's own test rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from tui.data import connect
from tui.data.bundle import build
from tui.data.loader import load_file

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def browser_db(tmp_path: Path) -> Path:
    """A database with the bundled seed and tests/fixtures/browser.sql."""
    path = build(tmp_path / "t.db")
    db = connect(path, write=True)
    try:
        load_file(db, FIXTURES / "browser.sql")
    finally:
        db.close()
    return path
