"""Full-text tables that Datasette's own search box can use on Chinese names.

Datasette quotes each word of a query and runs `{table}_fts MATCH '"九龙"'`; FTS5's unicode61
tokenizer reads a run of Han characters as one token, so that phrase finds only rows holding the
token 九龙 itself. These tables therefore index, for every word with Han characters in it, the
word whole and each of its substrings of 1 to NGRAM_MAX characters: 九龙县 is indexed as 九龙县,
九, 龙, 县, 九龙, 龙县, so `九龙`, `丹` and `九龙县` are each one token that exists. Words without Han
characters (English names, pinyin, initials) are indexed as words.

Each table is `{table}_fts` with content="{table}" (FTS5 external content), the layout Datasette
detects without configuration and sqlite-utils creates: the index holds the substrings, the text
shown is the row's own. The indexed text is derived from the row's `names` in `search_index` (name,
English name, aliases, pinyin, initials), so they are kept in step with it (tui/data/derived.py):
`Mirror` follows `index.refresh`, removing an item's old text (which FTS5 needs to be given back)
and adding the new one.
"""
from __future__ import annotations

import re
import sqlite3

from tui.data.names import has_han, unspaced

NGRAM_MAX = 6
# What the text is made of; a database whose tables were built another way is rebuilt on refresh.
LAYOUT = f"names-ngrams-{NGRAM_MAX}"
LAYOUT_KEY = "datasette_fts"

# Items of these kinds get a table; each kind is also its table's name and the search_key ref is
# the row's id. The names are constants: they are the only text formatted into the SQL below.
KINDS = ("project", "figure", "place", "organisation")

_WORD = re.compile(r"[^\W_]+")   # what unicode61 keeps together: letters, digits, Han


def fts_table(kind: str) -> str:
    return f"{kind}_fts"


def ngram_text(names: str) -> str:
    """The text indexed for an item whose `search_index.names` is `names`: its words in order (so
    quoted phrases of whole words still match), then every short substring of its Han words."""
    words = _WORD.findall(unspaced(names))
    grams: dict[str, None] = {}   # a dict keeps the order, so the same names always give the same text
    for word in filter(has_han, words):
        for size in range(1, min(NGRAM_MAX, len(word)) + 1):
            grams.update(dict.fromkeys(word[start:start + size] for start in range(len(word) - size + 1)))
    whole = set(words)
    return " ".join(words + [gram for gram in grams if gram not in whole])


def installed(db: sqlite3.Connection) -> list[str]:
    """The kinds whose table exists in this database."""
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [kind for kind in KINDS if fts_table(kind) in present]


def create(db: sqlite3.Connection) -> None:
    """Create (or re-create) every table and fill it from the search index; run in a transaction."""
    drop(db)
    for kind in KINDS:
        db.execute(f'CREATE VIRTUAL TABLE {fts_table(kind)} USING fts5(name, content="{kind}", '
                   f"content_rowid=\"id\", tokenize='unicode61 remove_diacritics 2')")
    rebuild(db, KINDS)


def drop(db: sqlite3.Connection) -> None:
    for kind in KINDS:
        db.execute(f"DROP TABLE IF EXISTS {fts_table(kind)}")
    db.execute("DELETE FROM meta WHERE key = ?", (LAYOUT_KEY,))


def rebuild(db: sqlite3.Connection, kinds: list[str] | tuple[str, ...]) -> None:
    for kind in kinds:
        table = fts_table(kind)
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
        rows = db.execute("SELECT k.ref, s.names FROM search_key k JOIN search_index s ON s.rowid = k.entry "
                          "WHERE k.kind = ?", (kind,))
        db.executemany(f"INSERT INTO {table} (rowid, name) VALUES (?, ?)",
                       ((ref, ngram_text(names)) for ref, names in rows))
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (LAYOUT_KEY, LAYOUT))


def refresh(db: sqlite3.Connection) -> None:
    """Rebuild the tables whose text was made another way, from the search index; run after
    `index.refresh`, in its transaction. The others `Mirror` keeps in step item by item."""
    kinds = installed(db)
    if kinds and not _made_as_now(db):
        rebuild(db, kinds)


def _made_as_now(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT value FROM meta WHERE key = ?", (LAYOUT_KEY,)).fetchone() == (LAYOUT,)


class Mirror:
    """Follows `index.refresh` item by item, for the kinds whose table exists. Old text cannot be
    given back exactly when it was made another way: such tables are left to `refresh`."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.kinds = set(installed(db)) if _made_as_now(db) else set()

    def wants(self, kind: str) -> bool:
        return kind in self.kinds

    def remove(self, kind: str, old: list[tuple[int, str]]) -> None:
        """Forget items, given each one's ref and the `names` it was indexed with."""
        table = fts_table(kind)
        self.db.executemany(f"INSERT INTO {table} ({table}, rowid, name) VALUES ('delete', ?, ?)",
                            [(ref, ngram_text(names)) for ref, names in old])

    def add(self, kind: str, new: list[tuple[int, str]]) -> None:
        self.db.executemany(f"INSERT INTO {fts_table(kind)} (rowid, name) VALUES (?, ?)",
                            [(ref, ngram_text(names)) for ref, names in new])
