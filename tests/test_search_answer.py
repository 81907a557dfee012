"""The answer line: a question naming a place or pairing and a measure is answered first with that
scope's total, the same row of v_total the app and users' SQL see, and the quotes it rests on."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from support import make_app, settle

from tui.cli import main
from tui.data import open_database
from tui.data.answer import answer
from tui.data.question import understand
from tui.text.answers import answer_line, answer_quotes

TOTAL = """SELECT basis, value, year_from, year_to FROM v_total
    WHERE scope = ? AND donor IS ? AND recipient IS ? AND measure = ? AND unit = ? AND sector IS ? AND year IS ?
    ORDER BY basis"""


@pytest.fixture(scope="module")
def db(seed_db: Path) -> sqlite3.Connection:
    return open_database(seed_db)


def asked(db: sqlite3.Connection, query: str):
    return answer(db, understand(db, query))


def v_total(db: sqlite3.Connection, scope: str, donor: str | None, recipient: str | None, measure: str, unit: str,
            sector: str | None = None, year: int | None = None) -> list[tuple]:
    return db.execute(TOTAL, (scope, donor, recipient, measure, unit, sector, year)).fetchall()


def read(found) -> list[tuple]:
    return sorted((total.basis, total.value, total.year_from, total.year_to) for total in found.totals)


def test_people_lifted_out_of_poverty_in_a_county_in_a_year(db):
    found = asked(db, "九龙 2017 脱贫 多少人")
    expected = v_total(db, "recipient", None, "九龙县", "poverty_exit", "person", year=2017)
    assert expected and read(found) == expected
    assert found.scope == "九龙县" and found.year == 2017
    assert any("1427" in quote for quote, _ in answer_quotes(found))       # the quote the number stands in
    assert answer_line(found, "en").startswith("九龙县 · Lifted out of poverty · 2017: ")


def test_a_pairings_money_gives_actual_and_planned_apart(db):
    found = asked(db, "衢江 平武 投入多少")
    expected = v_total(db, "pairing", "衢江区", "平武县", "aid_funds", "CNY")
    assert {basis for basis, *_ in expected} == {"actual", "planned"} and read(found) == expected
    line = answer_line(found, "en")
    actual, planned = (next(total for total in found.totals if total.basis == basis) for basis in ("actual", "planned"))
    assert line.index("3,600 万元") < line.index("planned 1 亿元")        # money given first, the plan beside it
    assert (actual.value, planned.value) == (36_000_000, 100_000_000)
    assert len(answer_quotes(found)) == 2


def test_written_without_spaces_the_question_is_answered_the_same(db):
    assert read(asked(db, "九龙县2017年脱贫多少人")) == read(asked(db, "九龙 2017 脱贫 多少人"))


def test_a_measure_of_money_is_never_added_to_another(db):
    found = asked(db, "平武 总投资 多少钱")
    assert found.measure == "investment"
    assert read(found) == v_total(db, "recipient", None, "平武县", "investment", "CNY")


def test_a_sector_narrows_the_total_to_its_row_of_the_breakdown(db):
    found = asked(db, "九龙 教育 投入多少")
    assert found.sector == "education"
    assert read(found) == v_total(db, "recipient", None, "九龙县", "aid_funds", "CNY", sector="education")


@pytest.mark.parametrize("query", [
    "九龙 多少人",          # people trained, employed or lifted out of poverty: which is not said
    "九龙 脱贫",            # lifted out of poverty: people, households and villages are counted apart
    "九龙 丹巴 投入多少",    # two places that are no pairing
    "九龙",                 # no measure asked
])
def test_an_ambiguous_question_gets_no_answer_rather_than_a_guess(db, query):
    assert asked(db, query) is None


def test_a_word_the_totals_do_not_know_gives_no_total(db):
    found = asked(db, "成华 丹巴 医院 投入多少")      # the hospital's money, not the pairing's
    assert found.totals == () and found.unplaced == ("医院",) and answer_line(found, "en") == ""


def test_the_command_line_prints_the_answer_first_and_in_json(seed_db: Path, capsys):
    assert main(["search", "衢江 平武 投入多少", "--db", str(seed_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("衢江区 → 平武县 · Aid funds: 3,600 万元") and lines[1].startswith("  “")
    assert main(["search", "衢江 平武 投入多少", "--json", "--answer", "--db", str(seed_db)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [total["basis"] for total in printed["answer"]["totals"]] == ["actual", "planned"]
    assert printed["answer"]["quotes"] and printed["results"]
    assert main(["search", "九龙", "--json", "--answer", "--db", str(seed_db)]) == 0
    assert json.loads(capsys.readouterr().out)["answer"] is None
    assert main(["search", "衢江 平武 投入多少", "--json", "--db", str(seed_db)]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)     # --json alone: the list scripts read


async def test_the_app_shows_the_answer_above_the_results(browser_db: Path) -> None:
    async with make_app(browser_db).run_test(size=(100, 30)) as pilot:
        await settle(pilot, after_typing=True)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"九龙 2017 脱贫 多少人")
        await settle(pilot, after_typing=True)
        shown = pilot.app.screen.query_one("#search-answer")
        assert shown.display and str(shown.content).startswith("九龙县 · Lifted out of poverty · 2017: 1,427 people")
        assert "1427" in str(shown.content)
        await pilot.press(*" 教育")
        await settle(pilot, after_typing=True)
        assert not shown.display           # education's share of those lifted out is not kept: nothing said


def test_a_hostile_quote_behind_the_answer_never_reaches_the_terminal_raw(fresh_db: Path, capsys):
    hostile = "\x1b]52;c;aGk=\x07\x1b[2J"            # writes the clipboard, clears the screen
    with sqlite3.connect(fresh_db) as writer:
        writer.execute("UPDATE figure SET evidence = evidence || ? WHERE name = '精准脱贫人口' AND value = 1427",
                       (hostile,))
    writer.close()
    assert main(["search", "九龙 2017 脱贫 多少人", "--db", str(fresh_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("九龙县 · Lifted out of poverty") and "\x1b" not in out and "\x07" not in out
    assert main(["search", "九龙 2017 脱贫 多少人", "--json", "--answer", "--db", str(fresh_db)]) == 0
    quotes = json.loads(capsys.readouterr().out)["answer"]["quotes"]
    assert any(quote["text"].endswith(hostile) for quote in quotes)     # the data exact, for a script
