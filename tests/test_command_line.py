"""An analyst over SSH looks a figure up in ten seconds, and pipes the answer into a script."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main


def test_search_prints_the_place_first_then_what_sits_there(seed_db: Path, capsys):
    assert main(["search", "九龙", "--db", str(seed_db), "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["place", "  place:7  九龙县  ·  中国 → 四川省 → 甘孜藏族自治州 · county"]


def test_search_json_gives_kind_id_name_match_and_place_in_the_tree(seed_db: Path, capsys):
    assert main(["search", "1050万", "--json", "--db", str(seed_db)]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    figure = next(r for r in results if r["id"] == "figure:10432")
    assert figure["kind"] == "figure" and "1050万" in figure["matched"] and "九龙县" in figure["context"]
    assert set(results[0]) == {"kind", "id", "ref", "name", "matched", "reason", "context", "not_matched"}


def test_show_prints_a_figure_with_every_source(seed_db: Path, capsys):
    assert main(["show", "figure:10432", "--db", str(seed_db)]) == 0
    out = capsys.readouterr().out
    assert "1,050 万元 (¥10.5 M)" in out
    assert "“青白江区2018年拨付对口帮扶资金1050万”" in out and "脱贫攻坚简报2019年第2期" in out


def test_show_json_of_a_project_holds_its_amount_and_quotes(seed_db: Path, capsys):
    assert main(["show", "project:20314", "--json", "--db", str(seed_db)]) == 0
    project = json.loads(capsys.readouterr().out)
    assert (project["name"], project["amount"]) == ("甲居藏寨国家4A景区开发", 54_000_000)
    assert project["quotes"][0]["document"]["key"] == "003_9bc1029719602b64.txt"


def test_show_of_something_missing_says_so_in_one_line(seed_db: Path, capsys):
    assert main(["show", "project:99999999", "--db", str(seed_db)]) == 1
    assert capsys.readouterr().err.strip() == f"duikou: there is no project 99999999 in {seed_db}"


@pytest.mark.parametrize("query", ['"', "九龙 AND (", "-*", "NEAR(a b)", "\\", "🙂" * 50, "x" * 10_000, "\x1b[2J"])
def test_any_query_answers_without_an_error(seed_db: Path, query: str):
    result = subprocess.run([sys.executable, "-m", "tui", "search", "--db", str(seed_db), "--", query],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_output_cut_short_by_a_pipe_is_no_error(seed_db: Path):
    # `duikou show … | head`: the reader may close the pipe before everything is written; here it
    # reads nothing at all, so every write meets a closed pipe.
    result = subprocess.run(f'"{sys.executable}" -m tui show figure:10432 --db "{seed_db}" | true',
                            shell=True, capture_output=True, text=True)
    assert result.stderr == ""
