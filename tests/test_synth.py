"""`duikou synth`: someone trying Duikou at national scale gets a sound database of that shape,
the real data kept beside the made-up, and the same one again from the same seed."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin

from tui.cli import main
from tui.data import open_database
from tui.data.check import check
from tui.data.connection import connect
from tui.data.index import refresh
from tui.data.names import pinyin_forms
from tui.data.search import search
from tui.data.synth import synthesise

N, SEED = 2000, 7


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synthesise(tmp_path_factory.mktemp("synth") / "synth.db", N, SEED)


def rows(path: Path, sql: str, *params) -> list[tuple]:
    db = connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def test_check_finds_nothing_wrong_that_the_seed_alone_lacks(synthetic: Path, seed_db: Path, capsys):
    assert main(["check", "--db", str(synthetic)]) == 0
    assert [str(problem) for problem in check(synthetic)] == [str(problem) for problem in check(seed_db)]


def test_sqlite_finds_every_foreign_key_and_page_sound(synthetic: Path):
    assert rows(synthetic, "PRAGMA foreign_key_check") == []
    assert rows(synthetic, "PRAGMA integrity_check") == [("ok",)]


def test_it_holds_the_seed_unchanged_and_exactly_n_projects_more(synthetic: Path, seed_db: Path):
    seed_projects = rows(seed_db, "SELECT * FROM v_project ORDER BY id")
    seed_metrics = rows(seed_db, "SELECT * FROM v_metric ORDER BY id")
    assert rows(synthetic, "SELECT * FROM v_project WHERE id <= ? ORDER BY id", seed_projects[-1][0]) == seed_projects
    assert rows(synthetic, "SELECT * FROM v_metric WHERE id <= ? ORDER BY id", seed_metrics[-1][0]) == seed_metrics
    assert rows(synthetic, "SELECT count(*) FROM project")[0][0] == len(seed_projects) + N


def test_the_real_jiulong_is_still_found_first(synthetic: Path):
    db = connect(synthetic)
    try:
        hit = search(db, "九龙")[0]
    finally:
        db.close()
    assert (hit.kind, hit.ref, hit.label) == ("place", 7, "九龙县")


def test_its_search_index_is_built_in_one_piece(synthetic: Path):
    # A phrase of common characters reads every segment of the index: at 1M, a dozen of them made
    # a question take 12 ms where one takes 7.
    for table in ("search_index", "search_names"):
        assert rows(synthetic, f"SELECT count(DISTINCT segid) FROM {table}_idx") == [(1,)], table


def test_one_pairing_and_sector_holds_a_tenth_of_the_projects(synthetic: Path):
    (largest,) = rows(synthetic, """
        SELECT max(projects) FROM (SELECT count(*) AS projects FROM project p JOIN pairing pr ON pr.id = p.pairing_id
                                    GROUP BY coalesce(pr.parent_id, pr.id), p.sector)""")[0]
    assert largest >= N // 10


def test_yearly_money_is_part_of_a_cumulative_total_it_does_not_exceed(synthetic: Path):
    parts = rows(synthetic, """
        SELECT t.value, sum(p.value) FROM figure t JOIN figure p ON p.part_of_id = t.id
         WHERE t.document LIKE 'synth-%' GROUP BY t.id""")
    assert len(parts) > 100 and all(total >= added for total, added in parts)


def test_every_pairings_sums_hold_a_plan_apart_and_a_figure_beside_and_no_rate(synthetic: Path):
    pairings = rows(synthetic, "SELECT count(*) FROM pairing WHERE parent_id IS NULL AND document LIKE 'synth-%'")[0][0]
    planned, beside, donations = rows(synthetic, """
        SELECT count(*) FILTER (WHERE basis = 'planned'), count(*) FILTER (WHERE beside > 0),
               sum(value) FILTER (WHERE measure = 'donation')
        FROM v_total WHERE scope = 'pairing' AND sector IS NULL AND year IS NULL
          AND measure IN ('aid_funds', 'donation') AND unit = 'CNY'""")[0]
    assert planned >= pairings and beside >= pairings
    outermost, snapshots = rows(synthetic, """
        SELECT sum(f.value) FILTER (WHERE f.part_of_id IS NULL AND f.counts_in_sums = 1),
               sum(f.value) FILTER (WHERE f.part_of_id IS NOT NULL) FROM figure f
        WHERE f.measure = 'donation' AND f.unit = 'CNY'""")[0]
    assert snapshots > 0 and donations == pytest.approx(outermost)      # an earlier snapshot is in the later
    assert rows(synthetic, "SELECT count(*) FROM v_total WHERE unit LIKE 'CNY/%'") == [(0,)]
    assert rows(synthetic, "SELECT count(*) FROM figure WHERE unit = 'CNY/person/month'")[0][0] >= pairings


def test_the_same_seed_gives_the_same_database_and_another_seed_another(synthetic: Path, tmp_path: Path):
    again = synthesise(tmp_path / "again.db", N, SEED)
    other = synthesise(tmp_path / "other.db", N, SEED + 1)
    projects = "SELECT * FROM v_project ORDER BY id"
    assert rows(again, projects) == rows(synthetic, projects)
    assert rows(other, projects) != rows(synthetic, projects)


def _made_up_project(path: Path) -> tuple[int, str]:
    """A synthetic project whose name no other row has, holding a character that traditional writes otherwise."""
    return rows(path, """
        SELECT min(id), name FROM project WHERE document LIKE 'synth-%' AND (name LIKE '%镇%' OR name LIKE '%乡%')
         GROUP BY name HAVING count(*) = 1 ORDER BY min(id) LIMIT 1""")[0]


def test_search_finds_a_made_up_project_by_initials_and_by_traditional_characters(synthetic: Path):
    import opencc

    project, name = _made_up_project(synthetic)
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    traditional = opencc.OpenCC("s2t").convert(name)
    assert traditional != name
    db = connect(synthetic)
    try:
        for query in (initials, traditional):
            assert ("project", project) in [(hit.kind, hit.ref) for hit in search(db, query)], query
    finally:
        db.close()


def test_indexing_many_rows_at_once_indexes_each_as_alone(synthetic: Path, tmp_path: Path):
    path = Path(shutil.copy(synthetic, tmp_path / "copy.db"))
    project, _ = _made_up_project(path)
    items = [("project", project), ("place", 7), ("figure", 10432), ("pairing", 1),
             ("document", "000_c29e945638e12640.txt")]
    entry = "SELECT names, body FROM search_index WHERE kind = ? AND ref = ?"
    in_bulk = [rows(path, entry, *item) for item in items]
    db = connect(path, write=True)
    try:
        for kind, ref in items:     # each changed, and indexed, on its own
            db.execute("BEGIN")
            db.execute("INSERT INTO search_stale (kind, ref) VALUES (?, ?)", (kind, ref))
            assert refresh(db) == 1
            db.execute("COMMIT")
    finally:
        db.close()
    assert [rows(path, entry, *item) for item in items] == in_bulk
    assert all(len(found) == 1 for found in in_bulk)


def test_rows_changed_by_another_program_by_the_thousand_are_found_as_they_now_are(synthetic: Path, tmp_path: Path):
    path = Path(shutil.copy(synthetic, tmp_path / "changed.db"))
    raw = sqlite3.connect(path)     # the plain sqlite3 shell, as a curator might use it
    renamed = raw.execute("UPDATE figure SET name = '改' || name WHERE document LIKE 'synth-%'").rowcount
    raw.execute("INSERT INTO alias (place_id, name, kind) VALUES (7, '霁龙城', 'other')")
    raw.execute("DELETE FROM person WHERE id = 10601")
    raw.commit()
    raw.close()
    assert renamed > 10_000         # more than one batch of the index's refresh
    db = open_database(path)
    try:
        assert [hit.ref for hit in search(db, "霁龙城")][:1] == [7]
        assert [hit for hit in search(db, "陈小海") if hit.kind == "person"] == []
        figure = search(db, "改累计投入帮扶资金", limit=1)[0]
        assert figure.kind == "figure" and figure.label.startswith("改累计")
    finally:
        db.close()
    assert [str(problem) for problem in check(path) if problem.kind == "index"] == []


@pytest.mark.parametrize("name", ["重庆银行行长", "石门镇王家村产业路硬化工程", "长江长城长", "乐山音乐厅", "单县单田芳", "绿色"])
def test_pinyin_read_word_by_word_is_the_reading_of_the_whole_name(name: str):
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    assert pinyin_forms(name) == (" ".join(syllables), "".join(syllables), "".join(initials))


def test_synth_refuses_an_existing_file_and_a_count_below_one(synthetic: Path, tmp_path: Path, capsys):
    before = synthetic.stat().st_mtime_ns
    assert main(["synth", str(synthetic), "--projects", "10"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("duikou: ") and "already exists" in error and error.count("\n") == 1
    assert synthetic.stat().st_mtime_ns == before
    assert main(["synth", str(tmp_path / "new.db"), "--projects", "0"]) == 1
    assert "--projects must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()


def test_synth_on_the_command_line_says_what_it_built(tmp_path: Path, capsys):
    path = tmp_path / "small.db"
    assert main(["synth", str(path), "--projects", "50", "--seed", "3"]) == 0
    assert capsys.readouterr().out.strip() == f"built {path} with 50 synthetic projects"
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        db.close()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder no one may write in, even root")
def test_a_folder_that_cannot_be_written_is_one_line(capsys):
    assert main(["synth", "/proc/duikou-synth.db", "--projects", "5"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("duikou: cannot build /proc/duikou-synth.db: cannot write in /proc") and error.count("\n") == 1
