"""A draft as an SQL file `duikou load` accepts as it is: the document, its projects and figures,
each with a `-- why:` comment; figures without a home written commented out, saying what to choose."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.data.draft import Candidate, Draft

_BLOCK = 10_000
_TABLES = ("project", "figure")
_FIGURE_COLUMNS = ("id, project_id, pairing_id, place_id, sector, measure, name, value, unit, qualifier, wording, "
                   "year, part_of_id, document, evidence, basis")


def free_start(db: sqlite3.Connection, needed: int) -> int:
    """The first id of a block of 10 000 that no project or figure uses, large enough for `needed`."""
    size = max(_BLOCK, -(-needed // _BLOCK) * _BLOCK)
    start = _BLOCK
    while True:
        if not any(db.execute(f"SELECT 1 FROM {table} WHERE id BETWEEN ? AND ? LIMIT 1",  # names from _TABLES
                              (start, start + size - 1)).fetchone() for table in _TABLES):
            return start
        start += _BLOCK


def sql_of(draft: Draft, db: sqlite3.Connection, source: str) -> str:
    article = draft.article
    chosen = [candidate for candidate in draft.candidates if candidate.accepted]
    start = free_start(db, len(chosen) + len(draft.projects) + 1)
    used_projects = sorted({c.project for c in chosen if c.project is not None})
    project_ids = {index: start + number for number, index in enumerate(used_projects)}
    figure_ids = {c.index: start + len(used_projects) + number for number, c in enumerate(chosen)}
    written = {c.index for c in chosen if c.placed}
    placed = sum(c.placed for c in chosen)
    lines = [
        f"-- Drafted by `duikou draft` from {_comment(source)}: {len(chosen)} figure(s), {placed} with a home guessed",
        f"-- from the database, {len(chosen) - placed} commented out for you to place; {len(used_projects)} project(s).",
        "-- Every guess says why. Check them against the text, then: duikou load THIS.sql --db YOUR.db",
        f"-- Ids {start}–{start + len(used_projects) + len(chosen) - 1} were free in the database.",
        "",
        *_document(db, article), "",
    ]
    for index in used_projects:
        project = draft.projects[index]
        lines += [f"-- project «{_comment(project.name)}» ({project.kind})",
                  f"-- why: a named {project.kind} in the text; home {_comment(project.home.why)}",
                  "INSERT INTO project (id, pairing_id, sector, name, kind, year, document, evidence) VALUES",
                  (f"    ({project_ids[index]}, {project.home.pairing_id}, {_text(project.sector)}, "
                  f"{_text(project.name)}, {_text(project.kind)}, {_number(project.year)}, {_text(article.key)}, "
                  f"{_text(project.quote)});"), ""]
    for candidate in chosen:
        lines += _figure(candidate, figure_ids, project_ids, written, article.key)
    return "\n".join(lines) + "\n"


def _document(db: sqlite3.Connection, article) -> list[str]:
    if db.execute("SELECT 1 FROM document WHERE key = ?", (article.key,)).fetchone():
        return [f"-- document {_comment(article.key)} is in the database already: its figures below join it"]
    source = "duikou draft: the file name" if article.key.endswith(".txt") else "duikou draft: --key"
    return ["INSERT INTO document (key, title, published, script, key_source) VALUES",
            (f"    ({_text(article.key)}, {_text(article.title or '（无标题）' + Path(article.key).stem)}, "
            f"{_text(article.published)}, {_text(article.script)}, {_text(source)});")]


def _figure(c: Candidate, figure_ids, project_ids, written, key: str) -> list[str]:
    project_id = project_ids.get(c.project) if c.project is not None else None
    pairing_id = None if project_id is not None else c.home.pairing_id
    place_id = None if project_id is not None or pairing_id is not None else c.home.place_id
    part_of = figure_ids[c.part_of] if c.part_of in written else None
    values = (f"({figure_ids[c.index]}, {_number(project_id)}, {_number(pairing_id)}, {_number(place_id)}, "
              f"{_text(c.sector)}, {_text(c.measure)}, {_text(c.name)}, {_value(c.value)}, {_text(c.unit)}, "
              f"{_text(c.qualifier)}, {_text(c.wording)}, {_number(c.year)}, {_number(part_of)}, {_text(key)}, "
              f"{_text(c.quote)}, {_text(c.basis)});")
    lines = [(f"-- «{_comment(c.wording)}» = {_value(c.value)} {c.unit}"
             f"{f' ({c.qualifier})' if c.qualifier else ''}, from «{_comment(c.quote)}»"),
             "-- why: " + "; ".join(_comment(reason) for reason in c.why)]
    if c.placed:
        return [*lines, f"INSERT INTO figure ({_FIGURE_COLUMNS}) VALUES", f"    {values}", ""]
    named = (f"the paragraph names {_comment(', '.join(c.home.names_seen))}" if c.home.names_seen else
             "the paragraph names no place the database knows: add its places and pairing first")
    return [*lines, f"-- choose a home: set pairing_id or place_id ({named}), then remove the '-- ' of the two lines below",
            f"-- INSERT INTO figure ({_FIGURE_COLUMNS}) VALUES", f"--     {values}", ""]


def _text(value: object) -> str:
    """An SQL string literal: quotes doubled, so the text is always data."""
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def _value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _number(value: int | None) -> str:
    return "NULL" if value is None else str(int(value))


def _comment(text: str) -> str:
    """Text fit for a comment line: on one line, whatever the article held."""
    return " ".join(str(text).split())
