"""The questions people ask of this data, written from the source documents, each with the items
that answer it (tests/data/questions.json): every answer is among the first five hits.

An answer is named by what the documents say, never by an id: its kind, its name as search
labels it and, where several items share a name, a piece of its quote. A question that asks for a
scope's total says which row of v_total answers it ("total"), or null where no total may be said.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tui.data import open_database
from tui.data.answer import answer as total_asked
from tui.data.search import describe_item, find, search

QUESTIONS = json.loads((Path(__file__).parent / "data" / "questions.json").read_text(encoding="utf-8"))
TOTALS = [case for case in QUESTIONS if "total" in case]
V_TOTAL = """SELECT basis, value, year_from, year_to FROM v_total
    WHERE scope = :scope AND donor IS :donor AND recipient IS :recipient AND measure = :measure AND unit = :unit
      AND sector IS :sector AND year IS :year ORDER BY basis"""


@pytest.fixture(scope="module")
def db(seed_db: Path) -> sqlite3.Connection:
    return open_database(seed_db)


def answers(db: sqlite3.Connection, hit, answer: dict) -> bool:
    if (hit.kind, hit.label) != (answer["kind"], answer["name"]):
        return False
    return "quote" not in answer or any(answer["quote"] in quote for quote in describe_item(db, hit.kind, hit.ref)["evidence"])


def test_there_are_at_least_forty_questions_in_every_way_of_asking():
    assert len(QUESTIONS) >= 40
    asked = [case["q"] for case in QUESTIONS]
    assert any(q.isascii() for q in asked) and any("縣" in q or "醫" in q or "貧" in q for q in asked)
    assert any("多少" in q or "几" in q for q in asked)


@pytest.mark.parametrize("case", QUESTIONS, ids=[case["q"] for case in QUESTIONS])
def test_each_answer_is_in_the_top_five(db, case):
    hits = search(db, case["q"], limit=5)
    for answer in case["answers"]:
        assert any(answers(db, hit, answer) for hit in hits), \
            f"{case['q']!r}: {answer} not in {[(hit.kind, hit.label) for hit in hits]}"


@pytest.mark.parametrize("case", TOTALS, ids=[case["q"] for case in TOTALS])
def test_a_question_asking_for_a_total_is_answered_first_by_its_row_of_v_total(db, case):
    said = total_asked(db, find(db, case["q"], limit=5).question)
    expected = case["total"]
    if expected is None:
        assert said is None or not said.totals
        return
    rows = db.execute(V_TOTAL, {"donor": None, "recipient": None, "sector": None, "year": None} | expected).fetchall()
    assert rows, f"{case['q']!r}: v_total has no row {expected}"
    assert sorted((t.basis, t.value, t.year_from, t.year_to) for t in said.totals) == rows
    if "quote" in expected:
        assert any(expected["quote"] in quote.text for figure in said.figures for quote in figure.quotes)
