"""Keeping the search index in step with the tables.

Triggers in the schema queue every changed row in `search_stale`, whichever program changed it;
`refresh` indexes the queued rows. Each indexed row has `names` (what a thing is called, in every
form a person may type) and `body` (quotes and descriptions, matched after names).
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Iterable

from .names import fold, pinyin_forms, simplified, spaced

_ROWS: dict[str, str] = {
    "place": "SELECT name, name_en, NULL, NULL FROM place WHERE id = ?",
    "organisation": "SELECT name, name_en, NULL, evidence FROM organisation WHERE id = ?",
    "project": "SELECT name, NULL, description, evidence FROM project WHERE id = ?",
    "person": "SELECT name, NULL, role, evidence FROM person WHERE id = ?",
    "document": "SELECT title, NULL, coalesce(author, '') || ' ' || coalesce(publisher, ''), NULL "
                "FROM document WHERE key = ?",
    "figure": "SELECT name, NULL, wording, evidence FROM figure WHERE id = ?",
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
    return spaced(fold(simplified(text)))


def name_terms(names: Iterable[str]) -> str:
    """Every form of these names: simplified, pinyin spaced and joined, initials."""
    forms: list[str] = []
    for name in filter(None, names):
        forms.append(name)
        syllables, joined, initials = pinyin_forms(simplified(name))
        forms.extend(form for form in (syllables, joined, initials) if form)
    return searchable(" ".join(forms))


def refresh(db: sqlite3.Connection, progress: Callable[[int], None] | None = None) -> int:
    """Index every queued row; run inside the caller's transaction. Returns how many."""
    stale = db.execute("SELECT kind, ref FROM search_stale").fetchall()
    for done, (kind, ref) in enumerate(stale, 1):
        db.execute("DELETE FROM search_index WHERE kind = ? AND ref = ?", (kind, ref))
        row = db.execute(_ROWS[kind], (ref,)).fetchone() if kind in _ROWS else None
        if row is not None:
            name, english, detail, quote = row
            aliases = [a for (a,) in db.execute(_ALIASES[kind], (ref,))] if kind in _ALIASES else []
            quotes = [q for (q,) in db.execute(_EXTRA_EVIDENCE[kind], (ref,))] if kind in _EXTRA_EVIDENCE else []
            body = " ".join(filter(None, [detail, quote, *quotes]))
            db.execute("INSERT INTO search_index (kind, ref, names, body) VALUES (?, ?, ?, ?)",
                       (kind, ref, name_terms([name, english, *aliases]), searchable(body)))
        if progress and done % 10_000 == 0:
            progress(done)
    db.execute("DELETE FROM search_stale")
    return len(stale)


def is_stale(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM search_stale)").fetchone()[0] == 1
