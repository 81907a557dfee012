"""The default database follows the bundled data and never holds, or touches, anyone's rows."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.data import Atlas, bundle, open_database


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def changed_seed(tmp_path: Path, monkeypatch):
    """Stands for a new release whose bundled seed differs; returns a function that makes the change."""
    seed = tmp_path / "seed.sql"
    shutil.copy(bundle.SEED, seed)
    monkeypatch.setattr(bundle, "SEED", seed)
    bundle.bundle_digest.cache_clear()
    yield lambda text: (seed.write_text(seed.read_text(encoding="utf-8") + text, encoding="utf-8"),
                        bundle.bundle_digest.cache_clear())
    bundle.bundle_digest.cache_clear()


def test_the_default_database_is_built_on_first_use_in_the_user_data_folder(data_home: Path):
    path = bundle.ensure_default()
    assert path == data_home / "duikou" / "duikou.db" and path.exists()


def test_it_is_rebuilt_when_the_bundled_seed_changes(data_home: Path, changed_seed):
    first = bundle.ensure_default()
    untouched = first.stat().st_mtime_ns
    assert bundle.ensure_default().stat().st_mtime_ns == untouched  # same data: not rebuilt

    changed_seed("INSERT INTO place (id, name, level, parent_id) VALUES (999, '新乡', 'township', 7);\n")
    import sqlite3

    rebuilt = sqlite3.connect(bundle.ensure_default())
    assert rebuilt.execute("SELECT name FROM place WHERE id = 999").fetchone() == ("新乡",)


def test_a_database_of_ones_own_is_never_rebuilt(data_home: Path, tmp_path: Path, changed_seed):
    mine = tmp_path / "mine.db"
    main(["build", str(mine)])
    before = mine.read_bytes()
    changed_seed("INSERT INTO place (id, name, level, parent_id) VALUES (999, '新乡', 'township', 7);\n")

    bundle.ensure_default()
    assert {"成华区", "青白江区"} <= {node.label for node in Atlas(open_database(mine)).children(None)}
    assert mine.read_bytes() == before


def test_loading_into_the_default_database_is_refused(data_home: Path, tmp_path: Path, capsys):
    sql = tmp_path / "mine.sql"
    sql.write_text("INSERT INTO place (id, name, level) VALUES (900, '甲', 'township');\n", encoding="utf-8")
    path = bundle.ensure_default()
    before = path.read_bytes()
    assert main(["load", str(sql)]) == 1
    assert main(["load", str(sql), "--db", str(path)]) == 1
    assert "duikou build my.db" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_rebuild_that_crashes_half_way_leaves_the_old_database(data_home: Path, changed_seed, monkeypatch):
    path = bundle.ensure_default()
    before = path.read_bytes()
    changed_seed("INSERT INTO place (id, name, level, parent_id) VALUES (999, '新乡', 'township', 7);\n")

    def power_cut(db, text, source):
        db.execute("INSERT INTO place (id, name, level) VALUES (998, '半', 'township')")
        raise KeyboardInterrupt

    monkeypatch.setattr(bundle, "apply", power_cut)
    with pytest.raises(KeyboardInterrupt):
        bundle.ensure_default()

    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if ".building" in p.name] == []
