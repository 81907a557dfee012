"""One search over everything: places, organisations, pairings, projects, figures, people,
documents and sectors, ranked as the search engines people know rank (design §7).

The query is understood first (tui.data.question): its terms, and which of them only ask (多少,
which) or name a kind of number (钱, 人数). Each term becomes FTS5 phrase strings over the spaced
index, so any substring of a name is found, one character included. Nothing the person typed
reaches FTS5 as syntax: every term is a quoted string, built only from letters and digits.

Candidates come from a few queries, each with a LIMIT. One reads the index alone for the rowids
of up to COUNTED rows holding every required term: how many match, and, when they fit in a page,
the candidates themselves. When more match, the best are asked for: figures of the asked unit,
names starting with the query, names holding every term, and (unless a page of names holds them
all, which outranks them) the first page of the rest. When fewer than a few hold them all,
anything holding all terms but one, then any one of them. Each candidate is ranked in Python by

1. how many required terms it matches (an item's context counts: a figure of 丹巴县 matches 丹巴;
   a year only when the item's own years hold it, else its text);
2. whether it is a figure of the unit the query asks for (多少钱: money);
3. how the whole query matches its names (exact, prefix, a number's value, substring), else
   where its terms are: all among its names, some in its context, some only in its text;
4. how many of the optional words it matches, and where each term is: own name, alias, context, text;
5. then the shorter name, the kind's order, the order of indexing.

Only the hits returned are described, with one query each.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from tui.data.index import (
    BODY_CONTEXT,
    BODY_TEXT,
    BODY_YEARS,
    FORM_INITIALS,
    FORM_JOINED,
    FORM_NAME,
    FORM_NUMBER,
    FORM_PINYIN,
    unit_token,
)
from tui.data.kinds import BY_NAME, SEARCH_KINDS
from tui.data.names import HAN_RUN, LazyPattern, has_han
from tui.data.numbers import same_value
from tui.data.question import Question, Term, normalise, number_forms, understand
from tui.data.syllables import SYLLABLES

_KIND_ORDER = {kind.name: order for order, kind in enumerate(SEARCH_KINDS)}

CANDIDATES = 150       # rows each FTS5 pass may bring
COUNTED = 1000         # matches counted beyond a page; more is shown as "1000+"
FEW = 10               # fewer items than this matching every term: those matching most of them are asked for

_FORM = re.compile("([\x1c\x1d\x1e\x1f])([^\x1c\x1d\x1e\x1f]*)")
_HAN_SPACING = LazyPattern(" ?([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]) ?")

# Tiers of an item matching every term, best first.
EXACT, PREFIX, NUMBER, SUBSTRING, ALL_TERMS, CONTEXT, EVIDENCE = range(7)
# Where a term matched, best first.
OWN_NAME, OTHER_NAME, IN_CONTEXT, IN_TEXT, NOWHERE = range(5)


class Hit(NamedTuple):
    kind: str          # 'place' | 'organisation' | 'pairing' | 'project' | 'figure' | 'person' | 'document' | 'sector'
    ref: int | str     # row id (document: its key; sector: its code)
    label: str         # the display name (canonical, simplified)
    matched: str       # the text that matched, short (the name, alias or evidence snippet)
    reason: str        # 'exact name' | 'name prefix' | 'name' | 'pinyin' | 'initials' | 'english' | 'number'
                       # | 'context' | 'evidence' | 'description'
    context: str       # where it sits, e.g. '青白江区 → 九龙县 · education · 2018'
    missing: tuple[str, ...] = ()   # the query's terms it does not match (after every hit that matches them all)


class Found(NamedTuple):
    """A search's answer: the hits, best first, and how many items match every term."""
    question: Question
    hits: list[Hit]
    total: int                  # items matching every required term (a lower bound when `more`)
    more: bool = False          # more than `total` match: counting stopped there
    unmatched: tuple[str, ...] = ()     # terms that no hit matches

    @property
    def complete(self) -> list[Hit]:
        return [hit for hit in self.hits if not hit.missing]


@dataclass
class _Candidate:
    rowid: int
    kind: str
    ref: int | str
    coverage: int               # required terms matched
    steer: int                  # 0: a figure of the unit asked for (or none asked)
    tier: int
    optional: int               # optional terms matched
    where: int                  # the sum of where each required term matched
    reason: str
    matched: str
    closeness: int = 0          # how much longer the matched name is than the query
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple:
        return (-self.coverage, self.steer, self.tier, -self.optional, self.where, self.closeness,
                _KIND_ORDER.get(self.kind, 99), self.rowid, str(self.ref))


# --- Terms as FTS5 strings ---------------------------------------------------------------------

def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _spaced(text: str) -> str:
    return HAN_RUN.sub(lambda run: " " + " ".join(run.group()) + " ", text).strip()


def _phrases(term: Term) -> tuple[str, ...]:
    if term.kind == "number":
        return tuple(_quoted(_spaced(form)) for form in number_forms(term))
    if term.kind == "han":
        return (_quoted(_spaced(term.text)),)
    return (*_word_phrases(term.text), *(_quoted(_spaced(word)) for word in term.also))


def _fts(term: Term) -> str:
    return "(" + " OR ".join(_phrases(term)) + ")"


def _all_of(terms: tuple[Term, ...] | list[Term]) -> str:
    return " AND ".join(_fts(term) for term in terms)


def match_expression(db: sqlite3.Connection, query: str) -> str:
    """The FTS5 expression `search` first asks of `db` for `query` (anything holding every required
    term); empty when the query has no terms. `duikou bench` times it bare, as the floor under search."""
    return _all_of(understand(db, query).required)


def _word_phrases(word: str) -> tuple[str, ...]:
    """A Latin word finds itself, words it starts, and pinyin typed without spaces (jiulong).

    A word finds the longer words it starts (jiulon: jiulongxian; jlx: jlxmzzx) only when it
    cannot be the start of a syllable: "zh" would read the index entries of every zhong, zhi and
    zhen, far too many for a keystroke.
    """
    phrases = [_quoted(word)]
    if not word.isascii():
        return tuple(phrases)
    if len(word) >= 2 and not _starts_syllable(word):
        phrases.append(_quoted(word) + " *")
    split = _segment(word)
    if split and len(split) > 1:
        phrases.append(_quoted(" ".join(split)))
    return tuple(phrases)


def prepare(db: sqlite3.Connection) -> None:
    """Load what the first Chinese query would (OpenCC's tables, the pages of the dictionary of
    words), so that it need not."""
    understand(db, "九龍")


_SYLLABLE_STARTS = frozenset(syllable[:end] for syllable in SYLLABLES for end in range(1, len(syllable) + 1))


def _starts_syllable(word: str) -> bool:
    return word in _SYLLABLE_STARTS


def _segment(word: str) -> list[str] | None:
    """`word` as the fewest pinyin syllables, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in SYLLABLES:
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [word[start:end]]
    return best[len(word)]


# --- Candidates --------------------------------------------------------------------------------

def _match(db: sqlite3.Connection, expression: str, limit: int) -> list[tuple]:
    try:
        return db.execute("SELECT rowid, kind, ref, names, body FROM search_index WHERE search_index MATCH ? "
                          "LIMIT ?", (expression, limit)).fetchall()
    except sqlite3.OperationalError as error:
        if str(error).startswith("fts5"):   # a term the tokenizer reads differently; no match
            return []
        raise


def _in_names(db: sqlite3.Connection, expression: str, limit: int) -> list[tuple]:
    """Rows whose names match `expression`, from the names' own index (search_names)."""
    try:
        return db.execute("SELECT s.rowid, s.kind, s.ref, s.names, s.body FROM search_names n "
                          "JOIN search_index s ON s.rowid = n.rowid WHERE search_names MATCH ? LIMIT ?",
                          (expression, limit)).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):   # a file from an older Duikou that cannot be written
            return _match(db, "names : (" + expression + ")", limit)
        if str(error).startswith("fts5"):
            return []
        raise


def _rowids(db: sqlite3.Connection, expression: str, limit: int) -> list[int]:
    """The rowids of the first `limit` rows matching `expression`: the index alone, no row read."""
    try:
        return [rowid for (rowid,) in db.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?",
                                                 (expression, limit))]
    except sqlite3.OperationalError as error:
        if str(error).startswith("fts5"):
            return []
        raise


def _rows(db: sqlite3.Connection, rowids: list[int]) -> list[tuple]:
    """The index rows of these rowids, in their order."""
    if not rowids:
        return []
    return db.execute("SELECT s.rowid, s.kind, s.ref, s.names, s.body FROM json_each(?) j "
                      "JOIN search_index s ON s.rowid = j.value ORDER BY j.key", (json.dumps(rowids),)).fetchall()


def _of_unit(body: str | None, units: tuple[str, ...]) -> bool:
    """Whether an index row's context holds one of these unit tokens (ucny), as FTS5 reads it."""
    context = f" {(body or '').partition(BODY_YEARS)[0]} "
    return any(f" {token} " in context for token in units)


def _names_starting(db: sqlite3.Connection, start: str, limit: int) -> list[tuple]:
    """Rows whose own name starts with `start`, from an ordinary index: FTS5 would read every row
    holding it anywhere to find the few that start with it."""
    try:
        return db.execute("SELECT s.rowid, s.kind, s.ref, s.names, s.body FROM search_name n "
                          "JOIN search_index s ON s.rowid = n.entry WHERE n.name >= ? AND n.name < ? LIMIT ?",
                          (start, start + "\U0010ffff", limit)).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):   # a file from an older Duikou that cannot be written
            return []
        raise


_MARK_KINDS = {FORM_NAME: "name", FORM_PINYIN: "pinyin", FORM_JOINED: "pinyin", FORM_INITIALS: "initials"}


def _forms(names: str) -> list[tuple[str, str, str, bool]]:
    """(form kind, text without spaces, text as indexed, whether of the item's own name) of an
    indexed `names`; the canonical name first."""
    forms = []
    own = None
    for mark, text in _FORM.findall(names):
        compact = "".join(text.split())
        if mark == FORM_NAME:
            own = own is None
        if compact:
            kind = _MARK_KINDS[mark]
            if kind == "name" and not has_han(compact):
                kind = "english"
            forms.append((kind, compact, text, bool(own)))
    if not forms:                       # indexed before forms were marked
        forms.append(("name", "".join(names.split()), names, True))
    return forms


def _shown(text: str) -> str:
    """An indexed form as a person reads it: 九 龙 → 九龙, jiu  long → jiu long."""
    return _HAN_SPACING.sub(r"\1", " ".join(text.split()))


_FORM_ORDER = {"name": 0, "english": 1, "pinyin": 2, "initials": 3}
_NAME_REASONS = {EXACT: "exact name", PREFIX: "name prefix", SUBSTRING: "name"}


def _name_match(forms: list, whole: str) -> tuple[int, str, str, int] | None:
    """How the whole query matches one of the names: (tier, reason, form shown, closeness).

    The form shown is empty for the canonical name, which the hit's label shows as written."""
    best = None
    for position, (form_kind, form, shown, _) in enumerate(forms):
        if form == whole:
            tier = EXACT
        elif form.startswith(whole):
            tier = PREFIX
        elif whole in form:
            tier = SUBSTRING
        else:
            continue
        key = (tier, _FORM_ORDER[form_kind], position > 0, len(form))
        if best is None or key < best[0]:
            reason = _NAME_REASONS[tier] if form_kind == "name" else form_kind
            best = (key, reason, "" if position == 0 else shown)
    if best is None:
        return None
    (tier, _, _, length), reason, shown = best
    return tier, reason, _shown(shown) if shown else "", length - len(whole)


class _Row:
    """An index row read back in its parts, each without spaces. The body's parts are read only
    when a term is not among the names, and each part only when asked: a row's body is long, and
    most candidates need only names (plain attributes rather than cached properties, whose lock
    costs more than the parsing for the hundreds of rows a query ranks)."""

    __slots__ = ("forms", "_body", "_sections", "_context", "_text", "_own", "_other")

    def __init__(self, names: str, body: str) -> None:
        self.forms = _forms(names)
        self._body = body or ""
        self._own: str | None = None
        self._other = ""
        self._sections: tuple[str, tuple[str, ...], str, float | None] | None = None
        self._context: str | None = None
        self._text: str | None = None

    @classmethod
    def read(cls, names: str, body: str) -> _Row:
        return cls(names, body)

    def _parts(self) -> tuple[str, tuple[str, ...], str, float | None]:
        """The body's context, years, text (each as indexed, spaced) and a figure's value."""
        if self._sections is not None:
            return self._sections
        body, value = self._body, None
        at = body.rfind(FORM_NUMBER)
        if at >= 0 and at > body.rfind(BODY_TEXT):
            number = body[at + 1:].split()
            body = body[:at]
            try:
                value = float(number[0])
            except (IndexError, ValueError):
                value = None
        if body.startswith(BODY_CONTEXT):
            context, _, rest = body[1:].partition(BODY_YEARS)
            years, _, text = rest.partition(BODY_TEXT)
        else:                           # indexed before bodies had sections
            context, years, text = "", "", body
        self._sections = (context, tuple(years.split()), text, value)
        return self._sections

    @property
    def context(self) -> str:
        if self._context is None:
            self._context = "".join(self._parts()[0].split())
        return self._context

    @property
    def years(self) -> tuple[str, ...]:
        return self._parts()[1]

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts()[2].split())
        return self._text

    @property
    def value(self) -> float | None:
        return self._parts()[3]

    def where(self, term: Term) -> int:
        """Where `term` matches this row, best first (NOWHERE: it does not)."""
        needles = _needles(term)
        if self._own is None:
            # Each kind of name as one text (forms joined by a character no needle holds): one
            # search per needle instead of one per form.
            self._own = "\0".join(form for _, form, _, own in self.forms if own)
            self._other = "\0".join(form for _, form, _, own in self.forms if not own)
        for needle in needles:
            if needle in self._own:
                return OWN_NAME
        for needle in needles:
            if needle in self._other:
                return OTHER_NAME
        if term.kind == "number" and self._is_value(term):
            return OWN_NAME
        if term.year is not None and self.years:
            return IN_CONTEXT if str(term.year) in self.years else NOWHERE
        context = self.context
        for needle in needles:
            if needle in context:
                return IN_CONTEXT
        text = self.text
        for needle in needles:
            if needle in text:
                return IN_TEXT
        return NOWHERE

    def _is_value(self, term: Term) -> bool:
        if self.value is None or term.value is None:
            return False
        scales = (1,) if re.search("[万亿千]", term.text) else (1, 10_000, 100_000_000)
        return any(same_value(self.value, term.value * scale) for scale in scales)


@lru_cache(maxsize=256)
def _needles(term: Term) -> tuple[str, ...]:
    if term.kind == "number":
        return number_forms(term)
    if term.kind == "word":
        split = _segment(term.text)
        return (term.text, *term.also, *(("".join(split),) if split else ()))
    return (term.text,)


def _rank(row: tuple, question: Question, whole: tuple[str, ...], units: tuple[str, ...]) -> _Candidate:
    rowid, kind, ref, names, body = row
    read = _Row.read(names, body)
    required = question.required
    places = [read.where(term) for term in required]
    found = [where for where in places if where != NOWHERE]
    missing = tuple(term.text for term, where in zip(required, places) if where == NOWHERE)
    optional = sum(read.where(term) != NOWHERE for term in question.optional)
    steer = 0 if not units or (kind == "figure" and any(token in read.context for token in units)) else 1
    reason, matched, closeness = "evidence", "", 0
    named = None if missing else next(filter(None, (_name_match(read.forms, text) for text in whole if text)), None)
    if named is not None:
        tier, reason, matched, closeness = named
    elif missing:
        tier, reason = EVIDENCE, _reason_of(max(found, default=IN_TEXT))
    elif any(term.kind == "number" and read._is_value(term) for term in required):
        tier, reason, matched = NUMBER, "number", next(term.text for term in required
                                                       if term.kind == "number" and read._is_value(term))
    else:
        worst = max(found, default=IN_TEXT)
        tier = ALL_TERMS if worst <= OTHER_NAME else CONTEXT if worst == IN_CONTEXT else EVIDENCE
        reason = _reason_of(worst)
        if worst == IN_CONTEXT:
            matched = " · ".join(term.text for term in required)
    return _Candidate(rowid, kind, ref, len(found), steer, tier, optional, sum(found), reason, matched,
                      closeness, missing)


def _reason_of(where: int) -> str:
    return "name" if where <= OTHER_NAME else "context" if where == IN_CONTEXT else "evidence"


# --- Search ------------------------------------------------------------------------------------

def search(db: sqlite3.Connection, query: str, limit: int = 50) -> list[Hit]:
    """What `query` finds, best first. Any text is a valid query; no match is an empty list."""
    return find(db, query, limit).hits


def find(db: sqlite3.Connection, query: str, limit: int = 50) -> Found:
    """What `query` finds, best first, with how many items match it in all."""
    question = understand(db, query if isinstance(query, str) else "")
    if limit <= 0 or not question.terms:
        return Found(question, [], 0)
    required = question.required
    # The query as one name: all its words (霁岚中学教学楼建设资金 is a name with a money word in it), else those required.
    whole = tuple(dict.fromkeys(("".join(term.text for term in question.terms if term.role != "ask"),
                                 "".join(term.text for term in required))))
    units = tuple(unit_token(unit) for unit in question.units)
    expression = _all_of(required)
    pool = max(CANDIDATES, limit)

    # One pass over the index gives both the first rows holding every term and how many do
    # (counting stops at COUNTED): reading the matches twice would double the slowest part.
    everywhere = _rowids(db, expression, COUNTED)
    full = len(everywhere) > pool
    candidates: dict[int, _Candidate] = {}
    if full:
        # The first rows found may miss the best: figures of the unit asked for, names starting
        # with the query and names holding every term are asked first. A page of names holding
        # every term outranks any row holding them elsewhere: those need not be read, unless a
        # number's value (which ranks before names) may be among them.
        passes = []
        # Two pages of rows read whole cost less than asking FTS5 again for those of the unit,
        # which evaluates every phrase anew (a question's phrases of common characters: 20 ms).
        rows = _rows(db, everywhere) if units and len(everywhere) <= 2 * pool else None
        if units:
            passes.append([row for row in rows if row[1] == "figure" and _of_unit(row[4], units)][:pool]
                          if rows is not None else
                          _match(db, f"({expression}) AND ({' OR '.join(map(_quoted, units))})", pool))
        if len(required) == 1 and required[0].kind == "han":
            passes.append(_names_starting(db, required[0].text, pool))
        passes.append(_in_names(db, expression, pool))
        _take(candidates, passes, question, whole, units)
        if max(map(len, passes[-2:])) < pool or any(term.kind == "number" for term in required):
            rest = rows[:pool] if rows is not None else \
                _rows(db, [rowid for rowid in everywhere[:pool] if rowid not in candidates])
            _take(candidates, [rest], question, whole, units)
    else:
        _take(candidates, [_rows(db, everywhere)], question, whole, units)
    complete = sum(not candidate.missing for candidate in candidates.values())
    if complete < FEW and len(required) > 1:     # not by `limit`: a page's first hits are the same at any limit
        _take(candidates, _partial_passes(db, required, FEW - complete), question, whole, units)

    total, more = complete, False
    if full:
        total = max(complete, len(everywhere))
        more = total >= COUNTED
    hits: list[Hit] = []
    for candidate in sorted(candidates.values(), key=lambda c: c.key):
        hit = _describe(db, candidate, required)
        if hit is not None:
            hits.append(hit)
            if len(hits) == limit:
                break
    matched_somewhere = {term for hit in hits for term in required if term.text not in hit.missing}
    unmatched = tuple(term.text for term in required if term not in matched_somewhere)
    return Found(question, hits, total, more, unmatched if hits else ())


def _take(candidates: dict[int, _Candidate], passes: list[list[tuple]], question: Question, whole: tuple[str, ...],
          units: tuple[str, ...]) -> None:
    for rows in passes:
        for row in rows:
            if row[0] not in candidates:
                candidates[row[0]] = _rank(row, question, whole, units)


def _partial_passes(db: sqlite3.Connection, required: tuple[Term, ...], wanted: int) -> list[list[tuple]]:
    """Items holding all the terms but one, then any one of them: the minimum that should match,
    lowered step by step until `wanted` are found, so that no query that some item partly answers
    comes back empty. The last terms are left out first: a question's last words (a year, a
    verb) are the likeliest to be missing from what answers it."""
    found: list[list[tuple]] = []
    share = max(20, CANDIDATES // len(required))
    for left_out in reversed(range(len(required))):
        rest = [term for index, term in enumerate(required) if index != left_out]
        found.append(_match(db, _all_of(rest), share))
        if sum(map(len, found)) >= wanted:
            return found
    for term in required:
        found.append(_match(db, _fts(term), share // 2))
        if sum(map(len, found)) >= wanted:
            break
    return found


def group_by_kind(hits: list[Hit]) -> dict[str, list[Hit]]:
    """Hits grouped by kind, the group of the best hit first, each group best first."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return groups


# --- Describing a hit --------------------------------------------------------------------------

def _describe(db: sqlite3.Connection, candidate: _Candidate, required: tuple[Term, ...]) -> Hit | None:
    if candidate.kind not in BY_NAME:
        return None
    row = db.execute(BY_NAME[candidate.kind].describe, (candidate.ref,)).fetchone()
    if row is None or row[0] is None:       # the index is behind the tables (not yet refreshed)
        return None
    label, where, what, quote, description, more_quotes = row
    context = " · ".join(str(part) for part in (where, what) if part)
    matched, reason = candidate.matched, candidate.reason
    if reason == "evidence":
        # The quotes are evidence; a description or a figure's wording is the curator's own text.
        matched = _snippet([text for text in (quote, more_quotes) if text], required)
        if matched is None:
            matched = _snippet([description] if description else [], required)
            reason = "description" if matched is not None else reason
        matched = matched or ""
    elif not matched:
        matched = label
    return Hit(candidate.kind, candidate.ref, label, matched, reason, context, candidate.missing)


def describe_item(db: sqlite3.Connection, kind: str, ref: int | str) -> dict | None:
    """Any item search finds, as `duikou show` prints one it has no fuller record of: its name,
    where it sits, what it is, its quotes and description; None when there is no such item."""
    if kind not in BY_NAME:
        return None
    row = db.execute(BY_NAME[kind].describe, (ref,)).fetchone()
    if row is None or row[0] is None:
        return None
    label, where, what, quote, description, more_quotes = row
    quotes = tuple(text for text in (quote, *(more_quotes or "").split("\n")) if text)
    return {"kind": kind, "id": ref, "name": label, "where": where, "what": what, "description": description,
            "evidence": quotes}


def _snippet(texts: list[str], required: tuple[Term, ...], width: int = 36) -> str | None:
    """A short piece of the first text holding a term, as written, cut between words."""
    for source in texts:
        for piece in source.split("\n"):
            plain = normalise(piece)
            for term in required:
                at = next((found for needle in _needles(term) if (found := plain.find(needle)) >= 0), -1)
                if at < 0:
                    continue
                start = max(0, at - width // 3)
                end = min(len(piece), start + width)
                start, end = _between_words(piece, start, end)
                return ("…" if start else "") + piece[start:end].strip() + ("…" if end < len(piece) else "")
    return None


def _between_words(text: str, start: int, end: int) -> tuple[int, int]:
    """`start` and `end` moved off the middle of a Latin word (Chinese may be cut anywhere)."""
    while 0 < start < len(text) and text[start - 1].isascii() and text[start - 1].isalnum() and text[start].isalnum():
        start += 1
    while 0 < end < len(text) and text[end - 1].isascii() and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end
