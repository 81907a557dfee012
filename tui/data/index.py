"""Keeping the search index in step with the tables.

Triggers in the schema queue every changed row in `search_stale`, whichever program changed it;
`refresh` indexes the queued rows. Each indexed row has `names` (what a thing is called, in every
form a person may type) and `body` (quotes and descriptions, matched after names).

Inside `names` every form starts with a control character saying what form it is (FORM_NAME: a
name or alias as written, FORM_PINYIN, FORM_JOINED, FORM_INITIALS); the canonical name comes
first. FTS5 reads these characters as separators, so they change no match, but search can tell
an exact name from a prefix or an alias from pinyin. A figure's `body` ends with FORM_NUMBER and
its value in base units (and in 万), so 10500000 and 1050万 find it whatever its wording.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Callable, Iterable

from .datasette_index import Mirror
from .names import fold, pinyin_forms, simplified, spaced

FORM_NAME, FORM_PINYIN, FORM_JOINED, FORM_INITIALS = "\x1c", "\x1d", "\x1e", "\x1f"
FORM_NUMBER = "\x1e"
_FORM_MARKS = re.compile("[\x1c-\x1f]")

_ROWS: dict[str, str] = {
    "place": "SELECT name, name_en, NULL, NULL FROM place WHERE id = ?",
    "organisation": "SELECT name, name_en, NULL, evidence FROM organisation WHERE id = ?",
    "project": "SELECT name, NULL, description, evidence FROM project WHERE id = ?",
    "person": "SELECT name, NULL, role, evidence FROM person WHERE id = ?",
    "document": "SELECT title, NULL, coalesce(author, '') || ' ' || coalesce(publisher, ''), NULL "
                "FROM document WHERE key = ?",
    "figure": "SELECT name, NULL, wording, evidence, value FROM figure WHERE id = ?",
    "pairing": "SELECT n.donor || ' ' || n.recipient, NULL, p.kind || ' ' || coalesce(p.note, ''), p.evidence "
               "FROM pairing p JOIN pairing_names n ON n.id = p.id WHERE p.id = ?",
}
_ALIASES = {
    "place": "SELECT name FROM alias WHERE place_id = ?",
    "organisation": "SELECT name FROM alias WHERE organisation_id = ?",
    "project": "SELECT name FROM alias WHERE project_id = ?",
    "person": "SELECT name FROM alias WHERE person_id = ?",
}
_EXTRA_EVIDENCE = {
    "figure": "SELECT quote FROM evidence WHERE figure_id = ?",
    "project": "SELECT quote FROM evidence WHERE project_id = ?",
    "pairing": "SELECT quote FROM evidence WHERE pairing_id = ?",
}


def searchable(text: str) -> str:
    """`text` as the index stores it and a query is matched against it."""
    return spaced(fold(simplified(_FORM_MARKS.sub(" ", text))))


def name_terms(names: Iterable[str]) -> str:
    """Every form of these names: simplified, pinyin spaced and joined, initials; each after its mark."""
    forms: list[str] = []
    for name in filter(None, names):
        forms.append(FORM_NAME + searchable(name))
        syllables, joined, initials = pinyin_forms(simplified(name))
        for mark, form in ((FORM_PINYIN, syllables), (FORM_JOINED, joined), (FORM_INITIALS, initials)):
            if form:
                forms.append(mark + searchable(form))
    return " ".join(forms)


def number_terms(value: float | None) -> str:
    """A figure's value as search finds it: base units, and 万 for large round sums."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
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


def refresh(db: sqlite3.Connection, progress: Callable[[int], None] | None = None) -> int:
    """Index every queued row; run inside the caller's transaction. Returns how many."""
    stale = db.execute("SELECT kind, ref FROM search_stale").fetchall()
    mirror = Mirror(db)
    for done, (kind, ref) in enumerate(stale, 1):
        # search_key finds the old index row by its rowid: a lookup by kind and ref in the FTS
        # table itself would read the whole index for every changed row.
        old_row = db.execute("SELECT entry FROM search_key WHERE kind = ? AND ref = ?", (kind, ref)).fetchone()
        if old_row is not None:
            if mirror.wants(kind):
                mirror.remove(kind, ref, db.execute("SELECT names FROM search_index WHERE rowid = ?", old_row).fetchone()[0])
            db.execute("DELETE FROM search_index WHERE rowid = ?", old_row)
            db.execute("DELETE FROM search_key WHERE kind = ? AND ref = ?", (kind, ref))
        row = db.execute(_ROWS[kind], (ref,)).fetchone() if kind in _ROWS else None
        if row is not None:
            name, english, detail, quote, *value = row
            aliases = [a for (a,) in db.execute(_ALIASES[kind], (ref,))] if kind in _ALIASES else []
            quotes = [q for (q,) in db.execute(_EXTRA_EVIDENCE[kind], (ref,))] if kind in _EXTRA_EVIDENCE else []
            body = searchable(" ".join(filter(None, [detail, quote, *quotes])))
            if value:
                body += " " + number_terms(value[0])
            names = name_terms([name, english, *aliases])
            entry = db.execute("INSERT INTO search_index (kind, ref, names, body) VALUES (?, ?, ?, ?)",
                               (kind, ref, names, body)).lastrowid
            if mirror.wants(kind):
                mirror.add(kind, ref, names)
            db.execute("INSERT INTO search_key (kind, ref, entry) VALUES (?, ?, ?)", (kind, ref, entry))
        if progress and done % 10_000 == 0:
            progress(done)
    db.execute("DELETE FROM search_stale")
    mirror.finish()
    return len(stale)


def is_stale(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM search_stale)").fetchone()[0] == 1
