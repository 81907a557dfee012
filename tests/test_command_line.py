"""An analyst over SSH looks a figure up in ten seconds, and pipes the answer into a script."""
from __future__ import annotations

import json
import re
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
    results = json.loads(capsys.readouterr().out)
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


def test_the_command_line_speaks_the_interfaces_language(seed_db: Path, capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：duikou") and "浏览中国对口帮扶数据" in help_text
    assert "不打开程序，直接打印与查询匹配的内容" in help_text and "显示版本号并退出" in help_text
    assert main(["--lang", "zh", "search", "九龙", "--db", str(seed_db), "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "名称完全匹配" in out and "条包含全部词语的结果中的 2 条" in out.splitlines()[-1]
    assert main(["--lang", "en", "search", "九龙", "--db", str(seed_db), "--limit", "2"]) == 0
    assert " of " in capsys.readouterr().out.splitlines()[-1]


def test_version_and_help_need_no_database(capsys):
    from tui import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"duikou {__version__}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for command in ("build", "synth", "draft", "load", "search", "show", "export", "bench", "check",
                    "datasette-metadata", "datasette-setup", "serve"):
        assert re.search(rf"\n    {command}\s", listed)


def test_a_mistyped_command_is_refused_with_the_commands_there_are(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serach", "九龙"])
    error = capsys.readouterr().err
    assert exit_.value.code == 2 and "invalid choice: 'serach'" in error and "'search'" in error


def test_a_command_loads_its_own_code_and_not_the_others(seed_db: Path):
    """`duikou search` answers in the time a person waits for a prompt: it must not pay for the
    bench's, the checks' or the server's modules (and their imports) on every query."""
    script = ("import sys; from tui.cli import main; main(sys.argv[1:]); "
              "print(' '.join(sorted(name for name in sys.modules if name.startswith('tui.cli.'))))")
    result = subprocess.run([sys.executable, "-c", script, "search", "九龙", "--db", str(seed_db)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1].split() == ["tui.cli.command", "tui.cli.parser", "tui.cli.progress",
                                                      "tui.cli.search"]


def test_the_browser_starts_without_the_search_engine():
    """The first paint waits for every module the browser imports: the search engine and its
    screen, the help and the pane's own screens load when a person first asks for them."""
    script = ("import sys, tui.cli, tui.data.ordering, tui.browser.app; "
              "print(' '.join(sorted(name for name in sys.modules if name.startswith('tui.'))))")
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split())
    assert {"tui.browser.app", "tui.browser.widgets.atlas_tree", "tui.browser.widgets.detail_pane"} <= loaded
    assert not loaded & {"tui.data.search", "tui.data.question", "tui.data.answer", "tui.browser.screens.search",
                         "tui.browser.screens.help", "tui.browser.screens.document", "tui.browser.screens.filter"}
