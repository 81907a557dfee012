"""The answer line: when a query names a scope and a measure, that scope's total, before the hits.

`九龙 2017 脱贫 多少人` names a place (九龙县), a year, a measure (脱贫: poverty_exit) and a kind of
number (人: person); its answer is the row of v_total for 九龙县's people lifted out of poverty in
2017, with the figures it added and their quotes. `衢江 平武 投入多少` names a pairing and money:
its aid funds, actual and planned apart.

An answer is given only when every word of the query is placed (a place of the scope, a year, a
measure, a sector, a kind of number, a word that asks) and each of them names one thing: one
scope, one measure in one unit, at most one sector and one year. Anything else (a word that is
none of these, like 医院; a place that is a donor in one pairing and a recipient in another; 人
where people trained and people lifted out of poverty are both counted) gives no total: a
question that is not understood is better unanswered than answered wrongly. Unlike measures are
never added; actual and planned are two totals side by side.

The totals are rows of the table behind v_total (db/rollup.sql), which also keeps the first figures
each row added: those are the quotes the answer rests on.
"""
from __future__ import annotations

import sqlite3
from typing import NamedTuple

from tui.data.atlas import MONEY, Figure, Name, figures_by_id
from tui.data.question import Question
from tui.data.rollup import SCOPE_WHERE
from tui.data.sums import Total

# Words that ask for a total, which the answer is: placed, never narrowing.
TOTAL_WORDS = frozenset("总 总计 合计 累计 总额 总数 总共 total altogether".split())
# Words for one measure of money that the sector vocabulary also holds (社会帮扶/捐赠/…, 综合/规划/
# 总投入): in a question they ask for that money, not for a sector's share of it.
MEASURE_WORDS = {"捐赠": "donation", "捐款": "donation", "捐助": "donation", "捐物": "donation",
                 "总投入": MONEY[0]}

_SCOPE_COLUMNS = "scope, pairing_id, donor_place_id, donor_org_id, recipient_place_id, recipient_org_id"
# The stored scopes a place heads: as a recipient (all its pairings) or as a donor.
_PLACE_SCOPES = f"""
    SELECT DISTINCT {_SCOPE_COLUMNS} FROM total
    WHERE scope = 'recipient' AND pairing_id IS NULL AND donor_place_id IS NULL AND donor_org_id IS NULL
      AND recipient_place_id = :place
    UNION
    SELECT DISTINCT {_SCOPE_COLUMNS} FROM total
    WHERE scope = 'donor' AND pairing_id IS NULL AND donor_place_id = :place"""
_PAIRING_SCOPE = f"SELECT DISTINCT {_SCOPE_COLUMNS} FROM total WHERE scope = 'pairing' AND pairing_id = ?"
_TOTALS = f"""
    SELECT measure, unit, basis, value, approx > 0, year_from, year_to, figures, beside, sample, sector, year,
           donor, recipient
    FROM total WHERE {SCOPE_WHERE} AND measure = ? AND (? IS NULL OR unit = ?) AND sector IS ? AND year IS ?
    ORDER BY unit, basis"""


ScopeKey = tuple


class Answer(NamedTuple):
    """A scope's total of one measure, as the query asked it, with the figures it adds.

    `totals` is empty when the query asks for a total but a word of it names nothing the totals
    are kept by (`unplaced`), or when v_total holds no such total."""
    scope: str                          # as the tree names it: 九龙县, 衢江区 → 平武县
    measure: str
    measure_name: Name
    sector: str | None
    sector_name: Name | None
    year: int | None
    totals: tuple[Total, ...]           # actual first, then planned; one measure in one unit
    figures: tuple[Figure, ...]         # the first figures the totals add, with their quotes
    unplaced: tuple[str, ...] = ()      # words of the query that name no scope, measure, sector or year

    @property
    def unit(self) -> str | None:
        return self.totals[0].unit if self.totals else None

    @property
    def more_figures(self) -> int:
        """How many figures the totals add beyond those in `figures`."""
        return sum(total.figures for total in self.totals) - len(self.figures)


def asks_for_a_total(question: Question) -> bool:
    """Whether `question` names a measure or a kind of number, so that `answer` reads the stored
    totals (a question that names none is answered without them)."""
    return bool(question.units) or any(term.text in MEASURE_WORDS or term.text in question.measure_words
                                       for term in question.terms)


def answer(db: sqlite3.Connection, question: Question) -> Answer | None:
    """The total `question` asks for, or None when it asks for none or asks ambiguously."""
    if not asks_for_a_total(question):
        return None
    place_terms = [term.text for term in question.terms if term.text in question.places]
    measures: set[str] = set()
    sectors: set[str] = set()
    years: set[int] = set()
    unplaced: list[str] = []
    for term in question.terms:
        text = term.text
        if term.role == "ask" or text in question.places or text in TOTAL_WORDS:
            continue
        if text in MEASURE_WORDS:               # before the sectors and units that also hold it
            measures.add(MEASURE_WORDS[text])
        elif text in question.measure_words:    # 投资 is a measure and a word for money
            measures.update(question.measure_words[text])
        elif term.role == "unit":
            continue
        elif term.year is not None:
            years.add(term.year)
        elif text in question.sector_words:
            sectors.update(question.sector_words[text])
        else:
            unplaced.append(text)
    if not measures and not question.units:
        return None
    if len(measures) > 1 or len(question.units) > 1 or len(sectors) > 1 or len(years) > 1:
        return None
    unit = question.units[0] if question.units else None
    if measures:
        measure = measures.pop()
    elif unit == MONEY[1]:
        measure = MONEY[0]      # money, unnamed, is the aid funds every view shows as a pairing's money
    else:
        return None             # 多少人 alone: trained, employed, lifted out of poverty …
    key = _scope(db, question, place_terms)
    if key is None:
        return None
    sector = sectors.pop() if sectors else None
    year = years.pop() if years else None
    measure_name = _name(db, "measure", measure) or Name(measure, measure)
    sector_name = _name(db, "sector", sector) if sector else None
    if unplaced:
        return Answer(_scope_name(db, key), measure, measure_name, sector, sector_name, year, (), (),
                      tuple(unplaced))
    rows = db.execute(_TOTALS, (*key, measure, unit, unit, sector, year)).fetchall()
    if len({row[1] for row in rows}) > 1:
        return None             # 脱贫 alone: people, households and villages are counted apart
    totals = tuple(sorted((Total.of_row(row[:12]) for row in rows), key=lambda total: total.basis != "actual"))
    scope_name = _named(rows[0][12], rows[0][13]) if rows else _scope_name(db, key)
    figures = figures_by_id(db, list(dict.fromkeys(i for total in totals for i in total.added)))
    return Answer(scope_name, measure, measure_name, sector, sector_name, year, totals, figures)


def _scope(db: sqlite3.Connection, question: Question, place_terms: list[str]) -> ScopeKey | None:
    """The one stored scope the query's places name: a pairing of two of them, or the one place
    heading a recipient's or a donor's pairings; None when there is not exactly one."""
    if len(place_terms) == 2:
        keys = {key for pairing in question.pairings for key in db.execute(_PAIRING_SCOPE, (pairing,))}
    elif len(place_terms) == 1:
        keys = {key for place in question.places[place_terms[0]]
                for key in db.execute(_PLACE_SCOPES, {"place": place})}
    else:
        return None
    return keys.pop() if len(keys) == 1 else None


def _name(db: sqlite3.Connection, table: str, code: str) -> Name | None:
    sql = {"measure": "SELECT name_zh, name_en FROM measure WHERE code = ?",
           "sector": "SELECT name_zh, name_en FROM sector WHERE code = ?"}[table]
    row = db.execute(sql, (code,)).fetchone()
    return Name(*row) if row else None


def _scope_name(db: sqlite3.Connection, key: ScopeKey) -> str:
    row = db.execute(f"SELECT donor, recipient FROM total WHERE {SCOPE_WHERE} LIMIT 1", key).fetchone()
    return _named(*row) if row else ""


def _named(donor: str | None, recipient: str | None) -> str:
    return " → ".join(name for name in (donor, recipient) if name)
