"""A curator drafts a new article of their own: each number read as written, scaled and qualified,
placed on the pairing the text names, with totals and parts; bad input is one line."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.cli import main
from tui.data.draft import draft_article

ARTICLE = """青白江区对口帮扶九龙县工作纪实
2019-03-05
青白江区去年向九龙县拨付对口帮扶资金1050万元,其中,安排产业扶贫资金300万元。
两地开展互访两场,走访了十几户贫困户,达成了近千亩黄芪种植协议。
青白江区计划“3年一亿”投入九龙县,并为每人提供1000元/月的就业补贴。
青白江区在九龙县建成藏香猪养殖基地,投入资金50余万元。
当?shù)馗刹?00余人次,帮扶九龙县。
青白江区去年向九龙县拨付对口帮扶资金1050万元,其中,安排产业扶贫资金300万元。
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "new_article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def drafted(article: Path, seed_db: Path):
    db = sqlite3.connect(seed_db)
    try:
        return draft_article(article, db)
    finally:
        db.close()


def by_wording(drafted, wording: str):
    found = [candidate for candidate in drafted.candidates if candidate.wording == wording]
    assert len(found) == 1, [candidate.wording for candidate in drafted.candidates]
    return found[0]


def test_numbers_are_scaled_and_qualified_as_written(drafted):
    assert (by_wording(drafted, "1050万元").value, by_wording(drafted, "1050万元").unit) == (10_500_000, "CNY")
    assert (by_wording(drafted, "两场").value, by_wording(drafted, "两场").unit) == (2, "times")
    assert (by_wording(drafted, "十几户").value, by_wording(drafted, "十几户").qualifier) == (10, "approx")
    assert (by_wording(drafted, "近千亩").value, by_wording(drafted, "近千亩").qualifier) == (1000, "approx")
    assert (by_wording(drafted, "50余万元").value, by_wording(drafted, "50余万元").qualifier) == (500_000, "approx")


def test_plans_are_basis_planned_and_rates_are_rates(drafted):
    hundred_million = by_wording(drafted, "一亿")
    assert (hundred_million.value, hundred_million.unit, hundred_million.basis) == (100_000_000, "CNY", "planned")
    assert hundred_million.qualifier is None
    assert by_wording(drafted, "1000元/月").unit == "CNY/person/month"
    assert by_wording(drafted, "1050万元").basis == "actual"


def test_last_year_is_read_against_the_articles_date(drafted):
    assert (drafted.article.title, drafted.article.published) == ("青白江区对口帮扶九龙县工作纪实", "2019-03-05")
    assert by_wording(drafted, "1050万元").year == 2018


def test_a_part_after_qi_zhong_names_its_total(drafted):
    total, part = by_wording(drafted, "1050万元"), by_wording(drafted, "300万元")
    assert part.part_of == total.index and total.part_of is None


def test_the_home_is_the_pairing_the_sentence_names(drafted):
    home = by_wording(drafted, "1050万元").home
    assert home.pairing_id == 1 and "青白江区" in home.why and "九龙县" in home.why


def test_a_named_base_becomes_a_project_holding_its_figures(drafted):
    project = next(p for p in drafted.projects if p.name.endswith("基地"))
    assert project.kind == "base" and "藏香猪养殖基地" in project.name
    assert drafted.projects[by_wording(drafted, "50余万元").project] is project


def test_the_repeated_paragraph_and_the_garbled_stretch_give_nothing(drafted):
    wordings = [candidate.wording for candidate in drafted.candidates]
    assert "00余人次" not in wordings and wordings.count("300万元") == 1


def test_the_sql_keeps_the_articles_text_as_data(tmp_path: Path, fresh_db: Path, capsys):
    article = tmp_path / "quote.txt"
    article.write_text("青白江区向九龙县捐赠')-- /*资金10万元。\n", encoding="utf-8")
    output = tmp_path / "quote.sql"
    assert main(["draft", str(article), "--db", str(fresh_db), "--output", str(output)]) == 0
    assert main(["load", str(output), "--db", str(fresh_db)]) == 0
    db = sqlite3.connect(fresh_db)
    name, evidence = db.execute("SELECT name, evidence FROM figure WHERE document = 'quote.txt'").fetchone()
    assert name == "青白江区向九龙县捐赠')-- /*资金10万元" and evidence == name
    capsys.readouterr()


def test_draft_writes_a_file_and_says_what_to_do_next(article: Path, seed_db: Path, tmp_path: Path, capsys):
    output = tmp_path / "out.sql"
    assert main(["draft", str(article), "--db", str(seed_db), "--output", str(output)]) == 0
    said = capsys.readouterr().out
    assert f"into {output}" in said and "duikou load" in said
    written = output.read_text(encoding="utf-8")
    assert "-- «1050万元» = 10500000 CNY, from «青白江区去年向九龙县拨付对口帮扶资金1050万元" in written
    assert "\n-- why: measure aid_funds: " in written and "home pairing 1 (青白江区 → 九龙县)" in written
    assert main(["draft", str(article), "--db", str(seed_db), "--output", str(output)]) == 1
    assert capsys.readouterr().err.strip() == (f"duikou: {output} already exists: give another name with --output, "
                                               f"or remove it first")


@pytest.mark.parametrize(("content", "says"), [
    (b"", "is empty: give the article's text"),
    (b"  \n\n", "is empty: give the article's text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file (it holds NUL bytes)"),
    ("青白江区帮扶九龙县一千万元".encode("gb18030"), "it reads as GB18030, so try again with --encoding gb18030"),
    ("青白江区与九龙县结对帮扶,共同发展。\n".encode(), "gives no figures"),
])
def test_bad_input_is_one_line(content: bytes, says: str, tmp_path: Path, seed_db: Path, capsys):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    assert main(["draft", str(article), "--db", str(seed_db), "--output", str(tmp_path / "bad.sql")]) == 1
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1
    assert not (tmp_path / "bad.sql").exists()


def test_a_gb18030_article_drafts_when_asked(tmp_path: Path, seed_db: Path, capsys):
    article = tmp_path / "gb.txt"
    article.write_bytes("青白江区向九龙县拨付帮扶资金1050万元。\n".encode("gb18030"))
    output = tmp_path / "gb.sql"
    assert main(["draft", str(article), "--db", str(seed_db), "--encoding", "gb18030", "--output", str(output)]) == 0
    assert "'1050万元'" in output.read_text(encoding="utf-8")


def test_review_decides_whether_the_file_is_written(article: Path, seed_db: Path, tmp_path: Path, capsys,
                                                     monkeypatch):
    import tui.browser.screens.review as review_screen

    def reject_the_first_then(write: bool):
        def review(draft) -> bool:
            draft.candidates[0].accepted = False
            return write
        return review

    output = tmp_path / "reviewed.sql"
    monkeypatch.setattr(review_screen, "review", reject_the_first_then(False))
    assert main(["draft", str(article), "--db", str(seed_db), "--review", "--output", str(output)]) == 0
    assert not output.exists() and "nothing written" in capsys.readouterr().out
    monkeypatch.setattr(review_screen, "review", reject_the_first_then(True))
    assert main(["draft", str(article), "--db", str(seed_db), "--review", "--output", str(output)]) == 0
    assert "'1050万元'" not in output.read_text(encoding="utf-8") and "'300万元'" in output.read_text(encoding="utf-8")


def test_the_key_names_the_document_and_the_file_lands_here(article: Path, fresh_db: Path, tmp_path: Path,
                                                          monkeypatch, capsys):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["draft", str(article), "--db", str(fresh_db), "--key", "人民网-2019-03-05"]) == 0
    assert main(["load", str(here / "new_article.sql"), "--db", str(fresh_db)]) == 0
    db = sqlite3.connect(fresh_db)
    assert db.execute("SELECT title, published, key_source FROM document WHERE key = '人民网-2019-03-05'").fetchone() \
        == ("青白江区对口帮扶九龙县工作纪实", "2019-03-05", "duikou draft: --key")
    assert db.execute("SELECT count(*) FROM figure WHERE document = '人民网-2019-03-05'").fetchone()[0] >= 6
    capsys.readouterr()
