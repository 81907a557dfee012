"""What a typed query asks: its terms, and which of them name a scope, a year, a measure or a kind
of number, and which only ask (多少, which).

`understand(db, query)` gives a plain `Question`. Search matches its required terms, ranks by
its optional ones (a money or people word), and ignores its asking words; an answer line (a
scope's total) can read its places, pairing, years, measures and units without parsing again.

Chinese typed without spaces (成华丹巴医院) is cut into words against a dictionary of the
database's own: its place names with their short forms (成华 for 成华区) in `search_word`, its
sector and measure words, and the asking and number words below. Only the words that are pieces
of the query are read, with one indexed lookup, so the dictionary costs nothing to load: reading
every name of a million-project database takes half a second cold; a general segmenter's
dictionary (jieba's) takes about a second, and knows none of these place names. What the
dictionary does not hold stays one term, found as a substring like any other.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from tui.data.index import plain_number
from tui.data.names import HAN, HAN_RUN, LazyPattern, fold, simplified
from tui.data.numbers import first_number

MAX_QUERY = 200        # characters of a query that are read; the rest is ignored
MAX_TERMS = 8
MAX_TERM = 24          # characters of one term (a longer one is found by its start)
_LONGEST_WORD = 10

# Words that ask rather than name, and the few that only join (的, 年 after a year): never required of an item.
ASKING = frozenset("""
多少 几 几个 几家 几所 哪些 哪个 哪里 哪 什么 怎么 怎样 如何 是否 有没有 有多少 多大 吗 呢 的 了 是 在 共 一共 总共 到底 年 年度
how much many which what where who whom when is are was were the a an of in did does do to for by with and from on at has have had
duoshao naxie shenme zenme jige
""".split())
# Words for a kind of number: not required, they steer the ranking to figures of these units.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("钱", "多少钱", "资金", "投入", "投资", "金额", "经费", "万元", "元", "money", "funds", "funding",
                     "spent", "yuan", "cny", "qian", "zijin", "touru"), ("CNY",)),
    **dict.fromkeys(("人", "人数", "多少人", "people", "persons", "renshu"), ("person",)),
    **dict.fromkeys(("人次", "多少人次", "renci"), ("person_time",)),
    **dict.fromkeys(("户", "户数", "households", "hushu"), ("household",)),
    **dict.fromkeys(("亩", "mu"), ("mu",)),
    **dict.fromkeys(("公里", "千米", "km", "kilometres"), ("km",)),
    **dict.fromkeys(("家企业", "企业数"), ("enterprise",)),
}
# English words for things the data names only in Chinese; a word also finds these.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "teacher": ("教师",), "teachers": ("教师",), "doctor": ("医生",), "doctors": ("医生", "医疗"),
    "enterprise": ("企业",), "enterprises": ("企业",), "company": ("企业", "公司"), "companies": ("企业", "公司"),
    "hospital": ("医院",), "hospitals": ("医院",), "school": ("学校", "小学", "中学"), "schools": ("学校",),
    "students": ("学生",), "poverty": ("贫困", "脱贫"), "poor": ("贫困",), "village": ("村",), "villages": ("村",),
    "labour": ("劳务",), "labor": ("劳务",), "export": ("输出",), "tea": ("茶",), "road": ("道路", "公路"),
    "roads": ("道路", "公路"), "tourism": ("旅游",), "cadres": ("干部",), "training": ("培训",),
    "donation": ("捐赠",), "donations": ("捐赠",), "investment": ("投资",), "income": ("收入",),
    "pair": ("结对",), "paired": ("结对",), "pairs": ("结对",),
}

_TERM = LazyPattern(
    r"(?P<number>\d+(?:[.,]\d+)*[万亿千]*)"
    f"|(?P<han>[{HAN}]+)"
    f"|(?P<word>(?:(?![{HAN}])[^\\W_])+)")


@dataclass(frozen=True)
class Term:
    text: str                   # simplified, folded
    kind: str                   # 'number' | 'han' | 'word'
    role: str = "name"          # 'name' (required) | 'unit' (steers) | 'ask' (ignored)
    value: float | None = None  # a number's value in base units
    also: tuple[str, ...] = ()  # other texts that find it (a glossary's Chinese for an English word)

    @cached_property
    def year(self) -> int | None:
        if self.kind == "number" and self.text.isdigit() and len(self.text) == 4 and 1949 <= int(self.text) <= 2100:
            return int(self.text)
        return None


@dataclass(frozen=True)
class Question:
    """A query understood: every term in order, and what its terms name."""
    text: str
    terms: tuple[Term, ...]
    places: dict[str, tuple[int, ...]] = field(default_factory=dict)   # a term's text → the places it names
    measure_words: dict[str, tuple[str, ...]] = field(default_factory=dict)    # a term's text → measure codes (脱贫)
    sector_words: dict[str, tuple[str, ...]] = field(default_factory=dict)     # a term's text → sector codes (教育)
    units: tuple[str, ...] = ()         # units its number words ask for (多少钱: CNY)
    pairings: tuple[int, ...] = ()      # top-level pairings between two places it names (成华 丹巴)

    @property
    def measures(self) -> tuple[str, ...]:
        """The measure codes its words name (脱贫: poverty_exit), in order."""
        return tuple(dict.fromkeys(code for codes in self.measure_words.values() for code in codes))

    @property
    def sectors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for codes in self.sector_words.values() for code in codes))

    @cached_property
    def required(self) -> tuple[Term, ...]:
        """The terms an item must match; the asking and number words when nothing else is left."""
        named = tuple(term for term in self.terms if term.role == "name")
        return named or tuple(term for term in self.terms if term.role == "unit") or self.terms

    @cached_property
    def optional(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.role == "unit" and term not in self.required)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(term.year for term in self.terms if term.year is not None)

    @property
    def asks(self) -> bool:
        """Whether a word asks for a number (多少, how many) or names a kind of number (钱, 人数)."""
        return any(term.role in ("ask", "unit") for term in self.terms)

    @property
    def asking(self) -> tuple[str, ...]:
        """The words that ask (多少, which)."""
        return tuple(term.text for term in self.terms if term.role == "ask")

    @property
    def scope(self) -> tuple[int, ...]:
        """The places the query names, in order (one place: its scope; two: see `pairings`)."""
        return tuple(dict.fromkeys(place for places in self.places.values() for place in places[:1]))


def normalise(text: str) -> str:
    """`text` as the index stores it, without the spacing: simplified, folded, ü as pypinyin's v."""
    text = HAN_RUN.sub(lambda run: simplified(run.group()), text.replace("ü", "v").replace("Ü", "v"))
    return fold(text)


def understand(db: sqlite3.Connection, query: str) -> Question:
    """`query` understood, its Chinese cut with the words of `db` (read once per database)."""
    text = normalise(query[:MAX_QUERY])
    words = _vocabulary(db, text)
    terms: list[Term] = []
    for match in _TERM.finditer(text):
        text = match.group()
        if match.lastgroup == "number":
            value = first_number(text)
            terms.append(Term(text[:MAX_TERM], "number", value=value if value is not None and math.isfinite(value)
                              else None))
        elif match.lastgroup == "han":
            terms += [Term(piece[:MAX_TERM], "han", _role(piece)) for piece in _cut(text, words)]
        else:
            terms.append(Term(text[:MAX_TERM], "word", _role(text), also=GLOSSARY.get(text, ())))
    terms = terms[:MAX_TERMS]
    places = {term.text: words.places[term.text] for term in terms if term.text in words.places}
    units = tuple(dict.fromkeys(unit for term in terms for unit in UNIT_WORDS.get(term.text, ())))
    measures = {term.text: words.measures[term.text] for term in terms if term.text in words.measures}
    sectors = {term.text: words.sectors[term.text] for term in terms if term.text in words.sectors}
    return Question(query, tuple(terms), places, measures, sectors, units, _pairings(db, places))


def _pairings(db: sqlite3.Connection, places: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """The top-level pairings whose donor is one named place and recipient another."""
    named = [place for ids in places.values() for place in ids]
    if len(places) < 2:
        return ()
    marks = ",".join("?" * len(named))
    try:
        rows = db.execute(f"SELECT id FROM pairing WHERE parent_id IS NULL AND donor_place_id IN ({marks}) "
                          f"AND recipient_place_id IN ({marks}) ORDER BY id", (*named, *named)).fetchall()
    except sqlite3.Error:
        return ()
    return tuple(pairing for (pairing,) in rows)


def _role(text: str) -> str:
    return "ask" if text in ASKING else "unit" if text in UNIT_WORDS else "name"


def number_forms(term: Term) -> tuple[str, ...]:
    """A number as written and in base units (1050万: 1050万, 10500000)."""
    forms = [term.text]
    if term.value is not None and (canonical := plain_number(term.value)) not in forms:
        forms.append(canonical)
    return tuple(forms)


# --- Cutting Chinese into words ----------------------------------------------------------------

class _Vocabulary(NamedTuple):
    """The dictionary words found in one query: only those, looked up by the query's pieces."""
    words: frozenset[str]
    places: dict[str, tuple[int, ...]]
    measures: dict[str, tuple[str, ...]]
    sectors: dict[str, tuple[str, ...]]


def _cut(run: str, vocabulary: _Vocabulary) -> list[str]:
    """A Han run as words: the longest dictionary word at each point; what lies between, one piece.

    A one-character word (人, 户, 几) is cut only at the run's end or after an asking word, so that
    人民医院 stays whole; one character left between words belongs to the word before it (龙门 and
    镇 are 龙门镇, a township the dictionary knows only by its short name)."""
    if len(run) <= 2:
        return [run]
    pieces: list[str] = []
    rest = ""
    at = 0
    while at < len(run):
        word = next((run[at:end] for end in range(min(len(run), at + _LONGEST_WORD), at + 1, -1)
                     if run[at:end] in vocabulary.words), None)
        if word is None and run[at] in vocabulary.words and (at == len(run) - 1 or (pieces and pieces[-1] in ASKING)):
            word = run[at]
        if word is None:
            rest += run[at]
            at += 1
            continue
        pieces += _rest(rest, pieces)
        rest = ""
        pieces.append(word)
        at += len(word)
    return pieces + _rest(rest, pieces)


def _rest(rest: str, before: list[str]) -> list[str]:
    """The pieces of what lies between dictionary words: a lone character joins the word before
    it (changing `before`); a one-character asking word at the end is cut off (钟予澄是)."""
    if len(rest) == 1 and before and before[-1] not in ASKING and before[-1] not in UNIT_WORDS:
        before[-1] += rest
        return []
    if len(rest) >= 3 and rest[-1] in ASKING:
        return [rest[:-1], rest[-1]]
    return [rest] if rest else []


def _vocabulary(db: sqlite3.Connection, query: str) -> _Vocabulary:
    """The words of `db` that are pieces of `query`'s Chinese: place names (search_word, one
    indexed lookup for all the pieces), and the sector and measure words (two small tables)."""
    pieces = sorted({run[start:end] for run in HAN_RUN.findall(query)
                     for start in range(len(run)) for end in range(start + 2, min(len(run), start + _LONGEST_WORD) + 1)})
    places: dict[str, list[int]] = {}
    if not pieces:      # every dictionary word is two characters or more: none can be a term of this query
        return _Vocabulary(frozenset([*ASKING, *UNIT_WORDS]), {}, {}, {})
    try:
        for start in range(0, len(pieces), 500):        # SQLite binds at most 32,766 parameters; stay far below
            chunk = pieces[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for word, place in db.execute(f"SELECT word, place_id FROM search_word WHERE word IN ({marks})", chunk):
                places.setdefault(word, []).append(place)
        measures = _parts(db.execute("SELECT code, name_zh FROM measure").fetchall())
        sectors = _parts(db.execute("SELECT code, name_zh FROM sector").fetchall())
    except sqlite3.Error:           # a file from an older Duikou that cannot be written, or none at all
        measures, sectors = {}, {}
    words = frozenset([*places, *measures, *sectors, *ASKING, *UNIT_WORDS])
    # A short name shared by many places names none of them in particular.
    return _Vocabulary(words, {word: tuple(ids) for word, ids in places.items() if len(ids) <= 5}, measures, sectors)


def _parts(rows: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each word of a slash-separated vocabulary name (教育/支教/助学), with the codes it names."""
    found: dict[str, list[str]] = {}
    for code, name in rows:
        for part in re.split(r"[/()（）]", normalise(name)):
            if len(part) >= 2:
                found.setdefault(part, []).append(code)
    return {part: tuple(codes) for part, codes in found.items()}
