"""What a typed query asks: its terms, and which of them name a scope, a year, a measure or a kind
of number, and which only ask (多少, which).

`understand(db, query)` gives a plain `Question`. Search matches its required terms, ranks by
its optional ones (a money or people word), and ignores its asking words; an answer line (a
scope's total) can read its places, pairing, years, measures and units without parsing again.

Chinese typed without spaces (成华丹巴医院) is cut into words against a small dictionary: the
database's own place names and their short forms (成华 for 成华区), its sector and measure
words, and the asking and number words below. It is read in a few milliseconds, once per
database; a general segmenter's dictionary (jieba's) takes about a second to load, which the
first search of a session cannot afford, and knows none of these place names. What the
dictionary does not hold stays one term, found as a substring like any other.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field

from tui.data.index import plain_number
from tui.data.names import HAN, HAN_RUN, fold, simplified
from tui.data.numbers import first_number

MAX_QUERY = 200        # characters of a query that are read; the rest is ignored
MAX_TERMS = 8
MAX_TERM = 24          # characters of one term (a longer one is found by its start)
_LONGEST_WORD = 10

# Words that ask rather than name: never required of an item.
ASKING = frozenset("""
多少 几 几个 几家 几所 哪些 哪个 哪里 哪 什么 怎么 怎样 如何 是否 有没有 有多少 多大 吗 呢 的 了 是 在 共 一共 总共 到底
how much many which what where who whom when is are was were the a an of in did does do to for by
duoshao naxie shenme zenme jige
""".split())
# Words for a kind of number: not required, they steer the ranking to figures of these units.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("钱", "多少钱", "资金", "投入", "投资", "金额", "经费", "万元", "元", "money", "funds", "funding",
                     "spent", "yuan", "cny", "qian", "zijin", "touru"), ("CNY",)),
    **dict.fromkeys(("人", "人数", "多少人", "people", "persons", "renshu"), ("person",)),
    "人次": ("person_time",), "renci": ("person_time",),
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
}
_SHORT_SUFFIXES = ("藏族自治州", "彝族自治州", "自治州", "自治县", "街道", "省", "市", "区", "县", "乡", "镇", "村")

_TERM = re.compile(
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

    @property
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
    measures: tuple[str, ...] = ()      # measure codes its words name (脱贫: poverty_exit)
    sectors: tuple[str, ...] = ()       # sector codes its words name
    units: tuple[str, ...] = ()         # units its number words ask for (多少钱: CNY)
    pairings: tuple[int, ...] = ()      # top-level pairings between two places it names (成华 丹巴)

    @property
    def required(self) -> tuple[Term, ...]:
        """The terms an item must match; the asking and number words when nothing else is left."""
        named = tuple(term for term in self.terms if term.role == "name")
        return named or tuple(term for term in self.terms if term.role == "unit") or self.terms

    @property
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
    words = _vocabulary(db)
    terms: list[Term] = []
    for match in _TERM.finditer(normalise(query[:MAX_QUERY])):
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
    measures = tuple(dict.fromkeys(code for term in terms for code in words.measures.get(term.text, ())))
    sectors = tuple(dict.fromkeys(code for term in terms for code in words.sectors.get(term.text, ())))
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

@dataclass(frozen=True)
class _Vocabulary:
    words: frozenset[str]
    places: dict[str, tuple[int, ...]]
    measures: dict[str, tuple[str, ...]]
    sectors: dict[str, tuple[str, ...]]


def _cut(run: str, vocabulary: _Vocabulary) -> list[str]:
    """A Han run as words: the longest dictionary word at each point; what lies between, one piece.

    A one-character word (人, 户, 几) is cut only at the run's end or after an asking word, so that
    人民医院 stays whole."""
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
        if rest:
            pieces += _rest(rest)
            rest = ""
        pieces.append(word)
        at += len(word)
    if rest:
        pieces += _rest(rest)
    return pieces


def _rest(rest: str) -> list[str]:
    """What lies between dictionary words, with a one-character asking word at its end cut off (钟予澄是)."""
    if len(rest) >= 3 and rest[-1] in ASKING:
        return [rest[:-1], rest[-1]]
    return [rest]


_READ: dict[tuple, _Vocabulary] = {}     # by database file and the state of its places; the newest few


def _vocabulary(db: sqlite3.Connection) -> _Vocabulary:
    """The words of `db`, read once for each state of its places (a connection cannot be a weak key)."""
    try:
        key = (db.execute("PRAGMA database_list").fetchone()[2] or id(db),
               *db.execute("SELECT count(*), max(id) FROM place").fetchone())
    except sqlite3.Error:
        key = (id(db),)
    if key not in _READ:
        if len(_READ) >= 4:
            del _READ[next(iter(_READ))]
        _READ[key] = _read_vocabulary(db)
    return _READ[key]


def _read_vocabulary(db: sqlite3.Connection) -> _Vocabulary:
    places: dict[str, list[int]] = {}
    try:
        rows = db.execute("SELECT id, name FROM place UNION ALL "
                          "SELECT place_id, name FROM alias WHERE place_id IS NOT NULL").fetchall()
        measure_rows = db.execute("SELECT code, name_zh FROM measure").fetchall()
        sector_rows = db.execute("SELECT code, name_zh FROM sector").fetchall()
    except sqlite3.Error:
        rows, measure_rows, sector_rows = [], [], []
    for place_id, name in rows:
        name = normalise(name)
        for form in {name, _short(name)}:
            if len(form) >= 2:
                places.setdefault(form, []).append(place_id)
    measures = _parts(measure_rows)
    sectors = _parts(sector_rows)
    words = frozenset([*places, *measures, *sectors, *ASKING, *UNIT_WORDS])
    # A short name shared by many places names none of them in particular.
    named = {name: tuple(dict.fromkeys(ids)) for name, ids in places.items()}
    return _Vocabulary(words, {name: ids for name, ids in named.items() if len(ids) <= 5}, measures, sectors)


def _short(name: str) -> str:
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[:-len(suffix)]
    return name


def _parts(rows: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each word of a slash-separated vocabulary name (教育/支教/助学), with the codes it names."""
    found: dict[str, list[str]] = {}
    for code, name in rows:
        for part in re.split(r"[/()（）]", normalise(name)):
            if len(part) >= 2:
                found.setdefault(part, []).append(code)
    return {part: tuple(codes) for part, codes in found.items()}
