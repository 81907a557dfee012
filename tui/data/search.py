"""One search over everything: places, organisations, pairings, projects, figures, people, documents.

How a query becomes SQL (design §7): the query is cut into terms (a run of Han characters, a word,
a number); each term becomes FTS5 phrase strings over the spaced index, so any substring of a
name is found, one character included; several terms must all match. Nothing the person typed
reaches FTS5 as syntax: every term is a quoted string, built only from letters and digits.

Candidates come from a few queries, each with a LIMIT (names starting with the query, from an
ordinary index; names holding every term; anything holding every term), then from the query's places, years and sectors
(九龙 2018 教育: education projects of 2018 in a pairing with 九龙县). They are ranked in Python:
exact name, name prefix, a number's value, substring of a name, every term among the names,
context, then evidence. Only the hits returned are described, with one query each.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from functools import cache

from tui.data.index import FORM_INITIALS, FORM_JOINED, FORM_NAME, FORM_NUMBER, FORM_PINYIN, plain_number
from tui.data.kinds import BY_NAME, SEARCH_KINDS
from tui.data.names import HAN, HAN_RUN, fold, has_han, simplified
from tui.data.numbers import first_number, same_value

_KIND_ORDER = {kind.name: order for order, kind in enumerate(SEARCH_KINDS)}

MAX_QUERY = 200        # characters of a query that are read; the rest is ignored
MAX_TERMS = 8
MAX_TERM = 24          # characters of one term (a longer one is found by its start)
CANDIDATES = 150       # rows each FTS5 pass may bring
SCOPED = 100           # projects the place/year/sector pass may bring

_TERM = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)*[万亿千]*)"
    f"|(?P<han>[{HAN}]+)"
    f"|(?P<word>(?:(?![{HAN}])[^\\W_])+)")
_FORM = re.compile("([\x1c\x1d\x1e\x1f])([^\x1c\x1d\x1e\x1f]*)")
_HAN_SPACING = re.compile(f" ?([{HAN}]) ?")

# Tiers, best first.
EXACT, PREFIX, NUMBER, SUBSTRING, ALL_TERMS, CONTEXT, EVIDENCE = range(7)


@dataclass(frozen=True)
class Hit:
    kind: str          # 'place' | 'organisation' | 'pairing' | 'project' | 'figure' | 'person' | 'document'
    ref: int | str     # row id (document: its key)
    label: str         # the display name (canonical, simplified)
    matched: str       # the text that matched, short (the name, alias or evidence snippet)
    reason: str        # 'exact name' | 'name prefix' | 'name' | 'pinyin' | 'initials' | 'english' | 'number'
                       # | 'context' | 'evidence'
    context: str       # where it sits, e.g. '青白江区 → 九龙县 · education · 2018'


@dataclass(frozen=True)
class _Term:
    text: str                   # simplified, folded
    kind: str                   # 'number' | 'han' | 'word'
    phrases: tuple[str, ...]    # FTS5 strings, any of which matches the term
    value: float | None = None  # a number's value in base units

    @property
    def fts(self) -> str:
        return "(" + " OR ".join(self.phrases) + ")"

    @property
    def year(self) -> int | None:
        if self.kind == "number" and self.text.isdigit() and len(self.text) == 4 and 1949 <= int(self.text) <= 2100:
            return int(self.text)
        return None


@dataclass
class _Candidate:
    rowid: int
    kind: str
    ref: int | str
    tier: int
    reason: str
    matched: str
    closeness: int = 0      # how much longer the matched name is than the query


# --- The query ---------------------------------------------------------------------------------

def normalise(text: str) -> str:
    """`text` as the index stores it, without the spacing: simplified, folded, ü as pypinyin's v."""
    text = HAN_RUN.sub(lambda run: simplified(run.group()), text.replace("ü", "v").replace("Ü", "v"))
    return fold(text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _spaced(text: str) -> str:
    return HAN_RUN.sub(lambda run: " " + " ".join(run.group()) + " ", text).strip()


def _terms(query: str) -> list[_Term]:
    """The terms of `query`, each with the FTS5 strings that find it."""
    found: list[_Term] = []
    for match in _TERM.finditer(normalise(query[:MAX_QUERY])):
        text = match.group()[:MAX_TERM]
        if match.lastgroup == "number":
            phrases = [_quoted(_spaced(text))]
            value = first_number(text)
            if value is not None and math.isfinite(value):
                canonical = _quoted(plain_number(value))
                if canonical not in phrases:
                    phrases.append(canonical)
            found.append(_Term(text, "number", tuple(phrases), value))
        elif match.lastgroup == "han":
            found.append(_Term(text, "han", (_quoted(_spaced(text)),)))
        else:
            found.append(_Term(text, "word", _word_phrases(text)))
        if len(found) == MAX_TERMS:
            break
    return found


def match_expression(query: str) -> str:
    """The FTS5 expression `search` first asks for `query` (anything holding every term); empty
    when the query has no terms. `duikou bench` times it bare, as the floor under search."""
    return _expression(_terms(query))


def _expression(found: list[_Term]) -> str:
    return " AND ".join(term.fts for term in found)


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


def prepare() -> None:
    """Read pypinyin's syllables now (half a second), so that the first Latin query need not."""
    _syllable_starts()


@cache
def _syllable_starts() -> frozenset[str]:
    return frozenset(syllable[:end] for syllable in _syllables() for end in range(1, len(syllable) + 1))


def _starts_syllable(word: str) -> bool:
    return word in _syllable_starts()


@cache
def _syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            syllable = fold(reading.replace("ü", "v"))
            if syllable.isascii() and syllable.isalpha() and re.search("[aeiouv]", syllable):
                found.add(syllable)
    return frozenset(found)


def _segment(word: str) -> list[str] | None:
    """`word` as the fewest pinyin syllables, or None."""
    syllables = _syllables()
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables:
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


def _forms(names: str) -> list[tuple[str, str, str]]:
    """(form kind, text without spaces, text as indexed) of an indexed `names`; the canonical name first."""
    forms = []
    for mark, text in _FORM.findall(names):
        compact = "".join(text.split())
        if compact:
            kind = _MARK_KINDS[mark]
            if kind == "name" and not has_han(compact):
                kind = "english"
            forms.append((kind, compact, text))
    if not forms:                       # indexed before forms were marked
        forms.append(("name", "".join(names.split()), names))
    return forms


def _shown(text: str) -> str:
    """An indexed form as a person reads it: 九 龙 → 九龙, jiu  long → jiu long."""
    return _HAN_SPACING.sub(r"\1", " ".join(text.split()))


_FORM_ORDER = {"name": 0, "english": 1, "pinyin": 2, "initials": 3}
_NAME_REASONS = {EXACT: "exact name", PREFIX: "name prefix", SUBSTRING: "name"}


def _name_match(names: str, whole: str) -> tuple[int, str, str, int] | None:
    """How the whole query matches one of the names: (tier, reason, form shown, closeness).

    The form shown is empty for the canonical name, which the hit's label shows as written."""
    best = None
    for position, (form_kind, form, shown) in enumerate(_forms(names)):
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


def _number_match(body: str, numbers: list[_Term]) -> str | None:
    """The figure value a number in the query denotes, as indexed, or None."""
    at = body.rfind(FORM_NUMBER)
    if at < 0 or not numbers:
        return None
    indexed = body[at + 1:].split()
    try:
        value = float(indexed[0])
    except (IndexError, ValueError):
        return None
    for term in numbers:
        if term.value is None:
            continue
        scales = (1,) if re.search("[万亿千]", term.text) else (1, 10_000, 100_000_000)
        if any(same_value(value, term.value * scale) for scale in scales):
            return term.text
    return None


def _all_in_names(names: str, found: list[_Term]) -> bool:
    """Whether every term is among the names (as FTS5 would find it, near enough)."""
    compact = "".join(names.split())
    return all(any("".join(phrase.rstrip(" *").strip('"').split()) in compact for phrase in term.phrases)
               for term in found)


def _rank(row: tuple, whole: str, numbers: list[_Term], all_in_names: bool) -> _Candidate:
    rowid, kind, ref, names, body = row
    named = _name_match(names, whole) if whole else None
    if named is not None:
        tier, reason, form, closeness = named
        return _Candidate(rowid, kind, ref, tier, reason, form, closeness)
    number = _number_match(body or "", numbers)
    if number is not None:
        return _Candidate(rowid, kind, ref, NUMBER, "number", number)
    if all_in_names:
        return _Candidate(rowid, kind, ref, ALL_TERMS, "name", "")
    return _Candidate(rowid, kind, ref, EVIDENCE, "evidence", "")


# --- Places, years and sectors in a query of several terms -------------------------------------

def _scoped_projects(db: sqlite3.Connection, found: list[_Term]) -> list[tuple[int, str]]:
    """Projects in the places the terms name, of the years and sectors they name, holding the other terms."""
    if len(found) < 2:
        return []
    years: list[int] = []
    sectors: list[str] = []
    areas: list[tuple[list[int], str]] = []
    rest: list[_Term] = []
    sector_names = _sectors(db)
    others: list[_Term] = []
    for term in found:
        if term.year is not None:
            years.append(term.year)
        elif (codes := [code for code, words in sector_names if _names_sector(term.text, words)]):
            sectors.extend(codes)
        else:
            others.append(term)
    if not (years or sectors):
        return []
    for term in others:
        if len(areas) < 3 and (places := _places(db, term)):
            areas.append((places, term.text))
        else:
            rest.append(term)
    if not areas:
        return []
    where, params = [], []
    for places, _ in areas:
        marks = ",".join("?" * len(places))
        where.append(f"""p.id IN (
            WITH RECURSIVE area(id) AS (SELECT id FROM place WHERE id IN ({marks})
                                        UNION SELECT place.id FROM place JOIN area ON place.parent_id = area.id
                                        LIMIT 2000),
                 pair(id) AS (SELECT id FROM pairing WHERE recipient_place_id IN area OR donor_place_id IN area)
            SELECT project.id FROM project
             WHERE project.pairing_id IN (SELECT id FROM pair UNION SELECT id FROM pairing WHERE parent_id IN pair)
            UNION SELECT project.id FROM project WHERE project.place_id IN area)""")
        params.extend(places)
    if sectors:
        where.append(f"p.sector IN ({','.join('?' * len(sectors))})")
        params.extend(sectors)
    if years:
        where.append("(" + " OR ".join("p.year = ? OR (p.year < ? AND p.end_year >= ?)" for _ in years) + ")")
        params.extend(value for year in years for value in (year, year, year))
    if rest:
        where.append("p.id IN (SELECT ref FROM search_index WHERE search_index MATCH ? AND kind = 'project' "
                     "LIMIT 5000)")
        params.append(" AND ".join(term.fts for term in rest))
    try:
        rows = db.execute(f"SELECT p.id FROM project p WHERE {' AND '.join(where)} LIMIT ?",
                          (*params, SCOPED)).fetchall()
    except sqlite3.OperationalError as error:
        if str(error).startswith("fts5"):
            return []
        raise
    described = " · ".join([*(text for _, text in areas), *map(str, years),
                            *(_sector_label(sector_names, code) for code in dict.fromkeys(sectors))])
    return [(project_id, described) for (project_id,) in rows]


def _sectors(db: sqlite3.Connection) -> list[tuple[str, tuple[str, ...]]]:
    rows = db.execute("SELECT code, name_zh, name_en FROM sector").fetchall()
    return [(code, (code, *(normalise(part) for part in zh.split("/")), normalise(en))) for code, zh, en in rows]


def _names_sector(text: str, words: tuple[str, ...]) -> bool:
    if has_han(text):
        return len(text) >= 2 and any(text in word for word in words[1:-1])
    return len(text) >= 4 and any(word.startswith(text) for word in (words[0], words[-1]))


def _sector_label(sectors: list[tuple[str, tuple[str, ...]]], code: str) -> str:
    return next(words[1] for c, words in sectors if c == code)


def _places(db: sqlite3.Connection, term: _Term) -> list[int]:
    """The few places whose name or short name is `term` or starts with it (none if many do)."""
    if term.kind == "number" or len(term.text) < (2 if term.kind == "han" else 4):
        return []
    try:
        rows = db.execute("SELECT ref, names FROM search_index WHERE search_index MATCH ? AND kind = 'place' "
                          "LIMIT 50", ("names : " + term.fts,)).fetchall()
    except sqlite3.OperationalError as error:
        if str(error).startswith("fts5"):
            return []
        raise
    places = [ref for ref, names in rows if (named := _name_match(names, term.text)) is not None
              and named[0] <= PREFIX]
    return places if len(places) <= 5 else []


# --- Search ------------------------------------------------------------------------------------

def search(db: sqlite3.Connection, query: str, limit: int = 50) -> list[Hit]:
    """What `query` finds, best first. Any text is a valid query; no match is an empty list."""
    if not isinstance(query, str) or limit <= 0:
        return []
    found = _terms(query)
    if not found:
        return []
    whole = "".join(term.text for term in found)
    expression = _expression(found)
    numbers = [term for term in found if term.kind == "number"]

    # Anything holding every term; when that is more than CANDIDATES rows, the first ones found may
    # miss the best, so names holding every term, and names starting with the query, are asked too.
    everywhere = _match(db, expression, CANDIDATES)
    passes: list[tuple[list[tuple], bool | None]] = [(everywhere, None)]
    if len(everywhere) == CANDIDATES:
        passes.insert(0, (_match(db, "names : (" + expression + ")", CANDIDATES), True))
        if len(found) == 1 and found[0].kind == "han":
            passes.insert(0, (_names_starting(db, found[0].text, CANDIDATES), True))

    candidates: dict[int, _Candidate] = {}
    for rows, in_names in passes:
        for row in rows:
            if row[0] not in candidates:
                named = in_names if in_names is not None else _all_in_names(row[3], found)
                candidates[row[0]] = _rank(row, whole, numbers, named)
    by_ref = {(c.kind, c.ref): c for c in candidates.values()}
    for project_id, described in _scoped_projects(db, found):
        current = by_ref.get(("project", project_id))
        if current is None or current.tier > CONTEXT:
            by_ref[("project", project_id)] = _Candidate(-1, "project", project_id, CONTEXT, "context", described)

    ranked = sorted(by_ref.values(), key=lambda c: (c.tier, c.closeness, _KIND_ORDER.get(c.kind, 99),
                                                     c.rowid if c.rowid >= 0 else 1 << 62, str(c.ref)))
    hits: list[Hit] = []
    for candidate in ranked:
        hit = _describe(db, candidate, found)
        if hit is not None:
            hits.append(hit)
            if len(hits) == limit:
                break
    return hits


def group_by_kind(hits: list[Hit]) -> dict[str, list[Hit]]:
    """Hits grouped by kind, the group of the best hit first, each group best first."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return groups


# --- Describing a hit --------------------------------------------------------------------------

def _describe(db: sqlite3.Connection, candidate: _Candidate, found: list[_Term]) -> Hit | None:
    if candidate.kind not in BY_NAME:
        return None
    row = db.execute(BY_NAME[candidate.kind].describe, (candidate.ref,)).fetchone()
    if row is None or row[0] is None:       # the index is behind the tables (not yet refreshed)
        return None
    label, where, what, *texts = row
    context = " · ".join(str(part) for part in (where, what) if part)
    matched, reason = candidate.matched, candidate.reason
    if reason == "evidence":
        matched = _snippet([text for text in texts if text], found) or ""
    elif not matched:
        matched = label
    return Hit(candidate.kind, candidate.ref, label, matched, reason, context)


def _snippet(texts: list[str], found: list[_Term], width: int = 36) -> str | None:
    """A short piece of the first text holding a term, as written."""
    for source in texts:
        for piece in source.split("\n"):
            plain = normalise(piece)
            for term in found:
                at = plain.find(term.text)
                if at < 0:
                    continue
                start = max(0, at - width // 3)
                end = min(len(piece), start + width)
                return ("…" if start else "") + piece[start:end] + ("…" if end < len(piece) else "")
    return texts[0][:width] if texts else None
