"""`duikou search` and `duikou show` together: every id search prints opens, and the counts say
how many more there are."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.cli import main


def search_ids(seed_db: Path, capsys, query: str, limit: int = 40) -> list[str]:
    assert main(["search", query, "--json", "--limit", str(limit), "--db", str(seed_db)]) == 0
    return [result["id"] for result in json.loads(capsys.readouterr().out)["results"]]


@pytest.mark.parametrize("query", ["九龙", "成华 丹巴", "教育", "2018", "四川新闻网"])
def test_every_id_search_prints_opens_in_show(seed_db: Path, capsys, query: str):
    ids = search_ids(seed_db, capsys, query)
    assert ids
    for item in ids:
        assert main(["show", item, "--db", str(seed_db)]) == 0, item
        out = capsys.readouterr().out
        assert out.startswith(item + "  ")


def test_show_opens_every_kind_of_item(seed_db: Path, capsys):
    kinds = {item.split(":")[0] for query in ("九龙", "成华 丹巴", "教育", "陈小海", "报道")
             for item in search_ids(seed_db, capsys, query, 50)}
    assert kinds >= {"place", "organisation", "pairing", "project", "figure", "person", "document", "sector"}


def test_sub_pairings_are_named_apart(seed_db: Path, capsys):
    assert main(["search", "成华区 丹巴县", "--limit", "50", "--db", str(seed_db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  pairing:")]
    labels = [line.split("  ")[2] for line in lines]
    assert len(labels) > 5 and len(set(labels)) == len(labels), labels
    assert any(line.startswith("  pairing:20201  白莲池街道 → 太平桥乡") for line in lines)


def test_the_command_line_says_how_many_more_there_are(seed_db: Path, capsys):
    assert main(["search", "九龙", "--db", str(seed_db)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    shown, total, more, limit = map(int, re.fullmatch(r"(\d+) of (\d+) matching every term; (\d+) more: --limit (\d+)",
                                                      last).groups())
    assert shown == 20 and total > 20 and more == total - 20 and limit == total
    assert main(["search", "九龙", "--limit", str(limit), "--db", str(seed_db)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{total} of {total} matching every term"


def test_terms_nothing_matches_are_named(seed_db: Path, capsys):
    assert main(["search", "九龙 zzqqxx", "--db", str(seed_db)]) == 0
    out = capsys.readouterr().out
    assert "(not matched: zzqqxx)" in out and out.splitlines()[-1].endswith("not matched: zzqqxx")


def test_a_wrong_id_is_one_clear_line(seed_db: Path, capsys):
    assert main(["show", "planet:3", "--db", str(seed_db)]) != 0
    err = capsys.readouterr().err.strip()
    assert "cannot show 'planet:3'" in err and "\n" not in err
