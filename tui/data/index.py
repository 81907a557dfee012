"""Keeping the search index in step with the tables.

Triggers in the schema queue every changed row in `search_stale`, whichever program changed it;
`refresh` indexes the queued rows. Each indexed row has `names` (what a thing is called, in every
form a person may type) and `body` (quotes and descriptions, matched after names).

Inside `names` every form starts with a control character saying what form it is (FORM_NAME: a
name or alias as written, FORM_PINYIN, FORM_JOINED, FORM_INITIALS); the canonical name comes
first. FTS5 reads these characters as separators, so they change no match, but search can tell
an exact name from a prefix or an alias from pinyin. The joined pinyin is of the whole name and
of each of its words (黄石市: huangshishi, huangshi, shi), so a word half typed is found too.

`body` is in sections, each after its mark: BODY_CONTEXT, the names of what the item sits in (its
places, pairing, sector, measure; with their pinyin, see `context_terms`) and its unit as a token (`ucny`); BODY_YEARS,
every year it covers; BODY_TEXT, its description and quotes; and, for a figure, FORM_NUMBER and
its value in base units (and in 万), so 10500000 and 1050万 find it whatever its wording.
"""
from __future__ import annotations

import json
import re
import sqlite3
from functools import lru_cache
from typing import Callable, Iterable, Protocol

from tui.data.kinds import BY_NAME
from tui.data.names import (
    HAN_RUN,
    Entry,
    Reading,
    dictionary_entries,
    fold,
    han_characters,
    has_han,
    pinyin_forms,
    pinyin_words,
    reading,
    reading_from,
    readings_known,
    simplified,
    spaced,
)
from tui.data.numbers import is_number

FORM_NAME, FORM_PINYIN, FORM_JOINED, FORM_INITIALS = "\x1c", "\x1d", "\x1e", "\x1f"
FORM_NUMBER = "\x1e"
BODY_CONTEXT, BODY_YEARS, BODY_TEXT = "\x1c", "\x1d", "\x1f"
MAX_YEARS = 12          # years of a span listed one by one; a longer span lists its ends
_FORM_MARKS = re.compile("[\x1c-\x1f]")
_OWN_NAME = re.compile(FORM_NAME + "([^\x1c-\x1f]*)")

_QUEUED = "JOIN search_stale s ON s.kind = ?1 AND s.ref = {} WHERE s.ref BETWEEN ?2 AND ?3"
_BATCH = 5000
# Up to this many queued rows, the pinyin of their names and contexts is read from the file's copy
# of pypinyin's dictionary; beyond it, pypinyin, once loaded, is the cheaper.
_FEW = 20_000


def searchable(text: str) -> str:
    """`text` as the index stores it and a query is matched against it."""
    return spaced(fold(simplified(_FORM_MARKS.sub(" ", text))))


def name_terms(names: Iterable[str]) -> str:
    """Every form of these names: simplified, pinyin spaced and joined, initials; each after its mark."""
    return " ".join(form for name in filter(None, names) for form in _name_forms(name))


@lru_cache(maxsize=1 << 16)
def _simplified_word(word: str) -> str:
    # Memoised: the words of contexts (places, parties, sectors) recur row after row.
    return simplified(word)


@lru_cache(maxsize=1 << 16)
def _name_forms(name: str) -> tuple[str, ...]:
    # Memoised: many rows share a name (投入帮扶资金), and a bulk index meets each many times.
    forms = [FORM_NAME + searchable(name)]
    syllables, joined, initials = pinyin_forms(_simplified_word(name))
    for mark, form in ((FORM_PINYIN, syllables), (FORM_JOINED, joined), (FORM_INITIALS, initials)):
        if form:
            forms.append(mark + searchable(form))
    words = pinyin_words(_simplified_word(name))
    if len(words) > 1:
        forms.append(FORM_JOINED + searchable(" ".join(words)))
    return tuple(forms)


@lru_cache(maxsize=1 << 14)
def context_terms(context: str) -> str:
    """The context's names as search matches them: as written, and in pinyin, each name joined
    whole (qusongxian: `qusong` finds it as a prefix) and each of its words of two syllables or
    more (黄石市: huangshishi, huangshi; 产业/招商: chanye, zhaoshang).

    Never a syllable alone, as names are spaced: 市 is shi in two million contexts, and a phrase
    such as `huang shi` (what `huangshi` asks of names) would read every one of them."""
    names = list(dict.fromkeys(context.split()))     # a project's county is often its pairing's recipient too
    pinyin = []
    for name in filter(has_han, names):
        # The whole name's reading (the text a catch-up reads), cut where the name is (产业/招商:
        # chanye, zhaoshang) when each character has its syllable.
        simple = _simplified_word(name)
        words = reading(simple).words
        syllables = [syllable for word in words for syllable in word]
        runs = HAN_RUN.findall(simple)
        if len(syllables) != sum(map(len, runs)):
            runs = [syllables]
        at = 0
        for run in runs:
            pinyin.append("".join(syllables[at:at + len(run)]))
            at += len(run)
        pinyin.extend("".join(word) for word in words if len(word) > 1 and len(words) > 1)
    return searchable(" ".join([*names, *pinyin]))


def year_terms(first: int | None, last: int | None) -> str:
    """Every year from `first` to `last` (the ends alone when the span is long)."""
    if first is None:
        return ""
    last = first if last is None or last < first else last
    years = range(first, last + 1) if last - first < MAX_YEARS else (first, last)
    return " ".join(map(str, years))


def unit_token(unit: str | None) -> str:
    """A figure's unit as one token of its context (CNY: ucny), which a question's money or people word asks for."""
    return "u" + "".join(filter(str.isalnum, unit.lower())) if unit else ""


def number_terms(value: float | None) -> str:
    """A figure's value as search finds it: base units, and 万 for large round sums."""
    if not is_number(value):
        return ""
    forms = [plain_number(value)]
    if abs(value) >= 10_000:
        forms.append(plain_number(value / 10_000) + " 万")
    return FORM_NUMBER + " " + " ".join(forms)


def plain_number(value: float) -> str:
    """1.05e7 as 10500000, 16.8 as 16.8: digits as a person types them."""
    if abs(value) < 1e18 and abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.6f}".rstrip("0").rstrip(".")


class Follower(Protocol):
    """Tables kept in step with the index item by item (datasette_index.Mirror), for some kinds."""

    def wants(self, kind: str) -> bool: ...

    def remove(self, kind: str, old: list[tuple[object, str]]) -> None:
        """Forget items, given each one's ref and the `names` it was indexed with."""

    def add(self, kind: str, new: list[tuple[object, str]]) -> None:
        """Take in items, given each one's ref and the `names` it is indexed with now."""


# What a change to a name in some item's context queues (search_context_stale, filled by the
# triggers of db/search.sql), stage by stage: a stage may add rows for a later stage to expand (a
# renamed county queues its pairings, whose projects queue their figures).
_SEEDS = "SELECT ref FROM search_context_stale WHERE kind = '{}'"
_NEAR = f"""WITH seed AS ({_SEEDS.format('place')}),
    near AS (SELECT ref AS id FROM seed UNION SELECT id FROM place WHERE parent_id IN (SELECT ref FROM seed)
             UNION SELECT id FROM place WHERE parent_id IN (SELECT id FROM place WHERE parent_id IN (SELECT ref FROM seed)))"""
_MEMBERS = f"""WITH members(id) AS ({_SEEDS.format('pairing')} UNION
                                SELECT id FROM pairing WHERE parent_id IN ({_SEEDS.format('pairing')}))"""
CONTEXT = (
    # a place's name is in the context of what lies in it, or up to two levels below it
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_stale SELECT 'place', id FROM near"),
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_stale SELECT 'organisation', id FROM organisation "
              "WHERE place_id IN (SELECT id FROM near)"),
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person "
              "WHERE place_id IN (SELECT id FROM near)"),
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure "
              "WHERE place_id IN (SELECT id FROM near)"),
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_context_stale SELECT 'project', id FROM project "
              "WHERE place_id IN (SELECT id FROM near)"),
    ("place", f"{_NEAR} INSERT OR IGNORE INTO search_context_stale SELECT 'pairing', id FROM pairing "
              "WHERE donor_place_id IN (SELECT ref FROM seed) OR recipient_place_id IN (SELECT id FROM near)"),
    # an organisation's name is in its people's context, and names the pairings it is a party to
    ("organisation", "INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person "
                     f"WHERE organisation_id IN ({_SEEDS.format('organisation')})"),
    ("organisation", "INSERT OR IGNORE INTO search_context_stale SELECT 'pairing', id FROM pairing "
                     f"WHERE donor_org_id IN ({_SEEDS.format('organisation')}) "
                     f"OR recipient_org_id IN ({_SEEDS.format('organisation')})"),
    # a pairing's parties are in the context of its sub-pairings and of whatever it or they hold
    ("pairing", f"{_MEMBERS} INSERT OR IGNORE INTO search_stale SELECT 'pairing', id FROM members"),
    ("pairing", f"{_MEMBERS} INSERT OR IGNORE INTO search_context_stale SELECT 'project', id FROM project "
                "WHERE pairing_id IN (SELECT id FROM members)"),
    ("pairing", f"{_MEMBERS} INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure "
                "WHERE pairing_id IN (SELECT id FROM members)"),
    ("pairing", f"{_MEMBERS} INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person "
                "WHERE pairing_id IN (SELECT id FROM members)"),
    # a sector's and a measure's names are in the context of their projects and figures
    ("sector", "INSERT OR IGNORE INTO search_context_stale SELECT 'project', id FROM project "
               f"WHERE sector IN ({_SEEDS.format('sector')})"),
    ("sector", f"INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure WHERE sector IN ({_SEEDS.format('sector')})"),
    ("measure", "INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure "
                f"WHERE measure IN ({_SEEDS.format('measure')})"),
    # a project's name, pairing, sector, place and years are in its figures' context
    ("project", "INSERT OR IGNORE INTO search_stale SELECT 'project', ref FROM search_context_stale "
                "WHERE kind = 'project'"),
    ("project", "INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure "
                f"WHERE project_id IN ({_SEEDS.format('project')})"),
)


def queue_context(db: sqlite3.Connection) -> None:
    """Queue every row whose context holds a name that changed; a statement runs only when its
    kind has changed rows, so that no change reads a whole table it need not."""
    for kind, statement in CONTEXT:
        if db.execute("SELECT EXISTS (SELECT 1 FROM search_context_stale WHERE kind = ?)", (kind,)).fetchone()[0]:
            db.execute(statement)
    db.execute("DELETE FROM search_context_stale")


def refresh(db: sqlite3.Connection, progress: Callable[[int], None] | None = None,
            follower: Follower | None = None) -> int:
    """Index every queued row; run inside the caller's transaction. Returns how many. `follower`
    hears of every item indexed anew, of the kinds it wants.

    Rows are read a batch of refs at a time, each kind with one query for the rows, one for their
    aliases and one for their further quotes, so that a million queued rows take minutes, not hours.
    """
    queue_context(db)
    keep_dictionary(db)
    done = 0
    next_entry = (db.execute("SELECT max(rowid) FROM search_index").fetchone()[0] or 0) + 1
    held = next_entry - 1
    few = db.execute("SELECT count(*) FROM (SELECT 1 FROM search_stale LIMIT ?)", (_FEW + 1,)).fetchone()[0] <= _FEW
    for (kind,) in db.execute("SELECT DISTINCT kind FROM search_stale ORDER BY kind").fetchall():
        following = follower if follower is not None and follower.wants(kind) else None
        after = None
        while refs := _queued(db, kind, after):
            after = refs[-1]
            next_entry = _reindex(db, (kind, refs[0], refs[-1]), next_entry, following, few)
            done += len(refs)
            if progress:
                progress(done)
    db.execute("DELETE FROM search_stale")
    if done and done * 2 >= held:
        _merge_segments(db)
    return done


def _merge_segments(db: sqlite3.Connection) -> None:
    """Merge each FTS5 table's segments into one, after a catch-up that (re)built most of the index.

    A bulk insert leaves a dozen segments, and a phrase of common characters reads each of them:
    merged, a question at 1M takes 7 ms where it took 12. A smaller catch-up leaves merging to
    FTS5's own automerge, whose cost follows the change."""
    db.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    db.execute("INSERT INTO search_names (search_names) VALUES ('optimize')")


def _reindex(db: sqlite3.Connection, span: tuple, next_entry: int, following: Follower | None, few: bool) -> int:
    """Index anew the queued rows of one kind with refs in a range, telling `following` of each
    (one that wants this kind); returns the next free rowid. `few`: the readings of their texts
    are read from the file's dictionary."""
    kind = span[0]
    rows = list(_indexed_rows(db, kind, span))
    with readings_known(_readings(db, _texts(rows)) if few else {}):
        return _reindex_rows(db, span, rows, next_entry, following)


def _reindex_rows(db: sqlite3.Connection, span: tuple, rows: list, next_entry: int,
                  following: Follower | None) -> int:
    kind = span[0]
    # search_key finds the old index rows by rowid: a lookup by kind and ref in the FTS table
    # itself would read the whole index for every changed row.
    old = [(entry, ref, db.execute("SELECT names FROM search_index WHERE rowid = ?", (entry,)).fetchone()[0])
           for entry, ref in db.execute(f"SELECT k.entry, k.ref FROM search_key k {_QUEUED.format('k.ref')} "
                                        f"AND k.kind = ?1", span).fetchall()]
    if following is not None:
        following.remove(kind, [(ref, names) for _, ref, names in old])
    db.executemany("DELETE FROM search_index WHERE rowid = ?", [(entry,) for entry, _, _ in old])
    db.executemany("DELETE FROM search_name WHERE entry = ?", [(entry,) for entry, _, _ in old])
    # A contentless table forgets a row only when told what it held.
    db.executemany("INSERT INTO search_names (search_names, rowid, names) VALUES ('delete', ?, ?)",
                   [(entry, names) for entry, _, names in old])
    db.execute("DELETE FROM search_key WHERE kind = ?1 AND ref BETWEEN ?2 AND ?3 "
               "AND ref IN (SELECT ref FROM search_stale WHERE kind = ?1 AND ref BETWEEN ?2 AND ?3)", span)
    entries = []
    for row, aliases, quotes in rows:
        entries.append((next_entry, kind, row[0], *_entry(row[1:], aliases, quotes)))
        next_entry += 1
    db.executemany("INSERT INTO search_index (rowid, kind, ref, names, body) VALUES (?, ?, ?, ?, ?)", entries)
    db.executemany("INSERT INTO search_names (rowid, names) VALUES (?, ?)",
                   [(entry, names) for entry, _, _, names, _ in entries])
    db.executemany("INSERT INTO search_name (entry, name) VALUES (?, ?)",
                   [(entry, own_name(names)) for entry, _, _, names, _ in entries])
    if kind == "place":
        _place_words(db, span)
    if following is not None:
        following.add(kind, [(ref, names) for _, _, ref, names, _ in entries])
    db.executemany("INSERT INTO search_key (entry, kind, ref) VALUES (?, ?, ?)", [entry[:3] for entry in entries])
    return next_entry


def _queued(db: sqlite3.Connection, kind: str, after: object) -> list:
    """The next batch of queued refs of `kind`, in order."""
    if after is None:
        rows = db.execute("SELECT ref FROM search_stale WHERE kind = ? ORDER BY ref LIMIT ?", (kind, _BATCH))
    else:
        rows = db.execute("SELECT ref FROM search_stale WHERE kind = ? AND ref > ? ORDER BY ref LIMIT ?",
                          (kind, after, _BATCH))
    return [ref for (ref,) in rows]


def _indexed_rows(db: sqlite3.Connection, kind: str, span: tuple) -> Iterable[tuple[tuple, list[str], list[str]]]:
    """Each queued row of `kind` in `span` that still exists, with its aliases and further quotes."""
    if kind not in BY_NAME:
        return
    indexed = BY_NAME[kind]
    aliases = _grouped(db, "alias", indexed.aliases, "name", span)
    quotes = _grouped(db, "evidence", indexed.evidence, "quote", span)
    for row in db.execute(f"{indexed.rows} {_QUEUED.format('t.' + indexed.key)} ORDER BY s.ref", span):
        yield row, aliases.get(row[0], []), quotes.get(row[0], [])


def _texts(rows: list[tuple[tuple, list[str], list[str]]]) -> set[str]:
    """The texts whose pinyin indexing these rows reads: their names (own, English, aliases) and
    the words of their contexts that hold Han characters, simplified."""
    texts = set()
    for row, aliases, _ in rows:
        name, english, _, _, context, *_ = row[1:]
        for text in (name, english, *aliases, *(context or "").split()):
            if text and has_han(text):
                texts.add(_simplified_word(text))
    return texts


def _readings(db: sqlite3.Connection, texts: set[str]) -> dict[str, Reading]:
    """The readings of `texts` from the file's copy of pypinyin's dictionary: a few queries for any
    number of texts (1,500 in 65 ms), where pypinyin's tables take 0.2 s and 70 MB to load."""
    dictionary = _entries_cutting(db, {han_characters(text) for text in texts})
    return {text: reading_from(text, dictionary) for text in texts}


def _entries_cutting(db: sqlite3.Connection, hans: set[str]) -> dict[str, Entry]:
    """The entries of the file's dictionary that cutting `hans` reads: each character, then each
    piece one character longer than a piece that starts a word, one query for each length."""
    found: dict[str, Entry] = {}
    pieces = [(han, start, start + 1) for han in hans for start in range(len(han))]
    while pieces:
        found |= {text: Entry(bool(starts), bool(word), syllables, initials)
                  for text, starts, word, syllables, initials in db.execute(
                      "SELECT text, starts, word, syllables, initials FROM search_dictionary "
                      "WHERE text IN (SELECT value FROM json_each(?))",
                      (json.dumps(list({han[start:end] for han, start, end in pieces})),))}
        pieces = [(han, start, end + 1) for han, start, end in pieces
                  if end < len(han) and (entry := found.get(han[start:end])) is not None and entry.starts]
    return found


def keep_dictionary(db: sqlite3.Connection) -> None:
    """Copy pypinyin's dictionary into the file if it has none (a new file, or an older Duikou's):
    pypinyin loads once for it, and no later catch-up needs to load it."""
    if db.execute("SELECT 1 FROM search_dictionary LIMIT 1").fetchone() is None:
        db.executemany("INSERT INTO search_dictionary (text, starts, word, syllables, initials) VALUES (?, ?, ?, ?, ?)",
                       dictionary_entries())


def _grouped(db: sqlite3.Connection, table: str, column: str | None, value: str, span: tuple) -> dict:
    """`value` of the rows of `table` whose `column` names a queued ref in `span`, by ref, oldest first."""
    if column is None:
        return {}
    grouped: dict = {}
    for ref, text in db.execute(f"SELECT t.{column}, t.{value} FROM {table} t {_QUEUED.format('t.' + column)} "
                                f"ORDER BY t.id", span):
        grouped.setdefault(ref, []).append(text)
    return grouped


def _entry(row: tuple, aliases: list[str], quotes: list[str]) -> tuple[str, str]:
    """(names, body) of one indexed row."""
    name, english, detail, quote, context, first, last, *figure = row
    value, unit = figure or (None, None)
    body = " ".join((BODY_CONTEXT, context_terms(context or ""), unit_token(unit),
                     BODY_YEARS, year_terms(first, last),
                     BODY_TEXT, searchable(" ".join(filter(None, [detail, quote, *quotes])))))
    if figure:
        body += " " + number_terms(value)
    return name_terms([name, english, *aliases]), body


_SHORT_SUFFIXES = ("藏族自治州", "彝族自治州", "自治州", "自治县", "街道", "省", "市", "区", "县", "乡", "镇", "村")


def short_name(name: str) -> str:
    """A place's name without its kind (成华区: 成华), as people write it; the name when too short."""
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[:-len(suffix)]
    return name


def _place_words(db: sqlite3.Connection, span: tuple) -> None:
    """search_word anew for the queued places in `span`: their names, short names and aliases."""
    db.execute("DELETE FROM search_word WHERE place_id BETWEEN ?2 AND ?3 AND place_id IN "
               "(SELECT ref FROM search_stale WHERE kind = ?1 AND ref BETWEEN ?2 AND ?3)", span)
    rows = db.execute(f"SELECT t.id, t.name FROM place t {_QUEUED.format('t.id')} UNION ALL "
                      f"SELECT t.place_id, t.name FROM alias t {_QUEUED.format('t.place_id')}", span).fetchall()
    db.executemany("INSERT OR IGNORE INTO search_word (word, place_id) VALUES (?, ?)",
                   [(form, place) for place, name in rows
                    for form in {searchable(name).replace(" ", "")} | {short_name(searchable(name).replace(" ", ""))}
                    if len(form) >= 2 and has_han(form)])


def word_every_place(db: sqlite3.Connection) -> None:
    """Fill search_word for a file indexed before the table existed: its places are indexed anew."""
    db.execute("INSERT OR IGNORE INTO search_stale (kind, ref) SELECT 'place', id FROM place")


def own_name(names: str) -> str:
    """An item's own name as its indexed `names` hold it (the first form), without the spacing."""
    first = _OWN_NAME.match(names)
    return "".join(first.group(1).split()) if first else ""


def names_of_every_entry(db: sqlite3.Connection) -> None:
    """Fill search_names from the index, for a file indexed before the table existed."""
    db.execute("INSERT INTO search_names (rowid, names) SELECT rowid, names FROM search_index")


def name_every_entry(db: sqlite3.Connection) -> None:
    """Fill search_name from the index, for a file indexed before the table existed."""
    db.executemany("INSERT OR REPLACE INTO search_name (entry, name) VALUES (?, ?)",
                   ((entry, own_name(names)) for entry, names in db.execute("SELECT rowid, names FROM search_index")))


def index_everything(db: sqlite3.Connection) -> None:
    """Queue every item of every kind, for a file indexed before the index had its present shape."""
    for kind in BY_NAME.values():
        db.execute(f"INSERT OR IGNORE INTO search_stale (kind, ref) SELECT ?, {kind.key} FROM {kind.table}",
                   (kind.name,))


_OWN_NAMES = """SELECT k.ref, i.names FROM search_key k JOIN search_index i ON i.rowid = k.entry
    WHERE k.kind = ? AND k.ref IN (SELECT value FROM json_each(?))"""


def own_pinyin(db: sqlite3.Connection, kind: str, refs: Iterable[object]) -> dict[object, str]:
    """The spaced pinyin of each item's own name (its first form) as the index spells it, so that
    no pinyin library loads to sort names; an item whose name has no Han, or not indexed yet, is
    left out."""
    readings = {}
    for ref, names in db.execute(_OWN_NAMES, (kind, json.dumps(list(refs)))):
        own = names.split(FORM_NAME)[1] if FORM_NAME in names else names
        if FORM_PINYIN in own and (pinyin := own.split(FORM_PINYIN)[1].strip()):
            readings[ref] = pinyin
    return readings


def reading_key(pinyin: str | None, label: str) -> str:
    """What a name sorts by when names are sorted: its pinyin (Chinese by sound, 成华区 before
    青白江区), then the label, so that names read alike keep one order; a name without pinyin by
    its label folded."""
    return f"{pinyin} {label.casefold()}" if pinyin else label.casefold()


def is_stale(db: sqlite3.Connection) -> bool:
    """Whether any row waits to be indexed, or the queues are missing (a file built before them)."""
    try:
        return db.execute("SELECT EXISTS (SELECT 1 FROM search_stale) OR EXISTS (SELECT 1 FROM search_context_stale)"
                          ).fetchone()[0] == 1
    except sqlite3.OperationalError:
        return True
