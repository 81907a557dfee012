"""Shared fixtures: a database built from the bundled data plus the browser's own test rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import load_fixture
from tui.data.bundle import build
from tui.text.i18n import set_language


@pytest.fixture
def browser_db(tmp_path: Path) -> Path:
    """A database with the bundled seed and tests/fixtures/browser.sql."""
    return load_fixture(build(tmp_path / "t.db"), "browser.sql")


@pytest.fixture(autouse=True)
def english_by_default():
    """The interface language is process-wide: leave it as each test found it."""
    yield
    set_language("en")
