"""Shared fixtures: the bundled seed built once per run, copies of it for tests that change a
database, and the browser's own test rows on such a copy."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import copy_database, load_fixture

from tui.data.bundle import build
from tui.text.i18n import set_language


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seed, built once for the whole run and shared by every test: read it, never
    change it. A test that writes to or damages a database takes `fresh_db`, or copies this
    file with `copy_database` where the file's name matters."""
    return build(tmp_path_factory.mktemp("seed") / "seed.db")


@pytest.fixture
def fresh_db(seed_db: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built seed, to change or damage as it likes."""
    return copy_database(seed_db, tmp_path / "fresh.db")


@pytest.fixture
def browser_db(seed_db: Path, tmp_path: Path) -> Path:
    """A database with the bundled seed and tests/fixtures/browser.sql."""
    return load_fixture(copy_database(seed_db, tmp_path / "t.db"), "browser.sql")


@pytest.fixture(autouse=True)
def english_by_default():
    """The interface language is process-wide: leave it as each test found it."""
    yield
    set_language("en")
