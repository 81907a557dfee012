"""What the draft's tests share: databases built from the bundled schema and the seed without one
document's part, and how a draft's figures are matched against the seed's."""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from tui.data.bundled import SEED
from tui.data.connection import SCHEMA_VERSION
from tui.data.derived import SCRIPTS, writing
from tui.data.loader import LoadError, apply

# The five source documents live outside the project, in the shared folder beside the checkout.
SEEDS = Path(os.environ.get("DUIKOU_SOURCES", Path(__file__).resolve().parents[2] / "shared" / "seeds"))
_SECTION = re.compile(r"^-- =+\n-- (Base|Part [^:]+):", re.MULTILINE)


def seed_sections() -> list[tuple[str, str]]:
    """The seed's sections (Base, Part 000, Part 001 + 003, …) as (heading, text), in order."""
    text = SEED.read_text(encoding="utf-8")
    starts = [match.start() for match in _SECTION.finditer(text)]
    headings = [match[1] for match in _SECTION.finditer(text)]
    bounds = [*starts, len(text)]
    return [(heading, text[bounds[i]:bounds[i + 1]]) for i, heading in enumerate(headings)]


def build_without(path: Path, document: str) -> tuple[Path, list[str]]:
    """A database of the schema and the seed without the part that holds `document` ("003"), nor any
    part that cannot load without it; returns the path and the parts left out."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = MEMORY")   # a test's scratch file: no need to sync it to disk
    db.execute("PRAGMA synchronous = OFF")
    for script in SCRIPTS:
        db.executescript(script.read_text(encoding="utf-8"))
    left_out = []
    with writing(db):
        for heading, text in seed_sections():
            if heading != "Base" and document in heading:
                left_out.append(heading)
                continue
            db.execute("SAVEPOINT part")
            try:
                apply(db, text, f"seed {heading}")
            except LoadError:
                db.execute("ROLLBACK TO part")
                left_out.append(heading)   # it builds on the part left out
            db.execute("RELEASE part")
        db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    db.close()
    return path, left_out


def seed_figures(seed_db: Path, document: str) -> list[dict]:
    """The seed's figures for `document`, with their effective basis."""
    db = sqlite3.connect(seed_db)
    db.row_factory = sqlite3.Row
    rows = [dict(row) for row in db.execute(
        "SELECT id, value, unit, qualifier, coalesce(basis, 'actual') AS basis, wording, evidence FROM figure"
        " WHERE document = ? ORDER BY id", (document,))]
    db.close()
    return rows


def match(expected: list[dict], draft, text: str) -> list[tuple[dict, object | None]]:
    """Each seed figure with the draft's candidate of the same value, unit and qualifier whose number
    stands inside the seed's quote in the text (None when there is none); a candidate matches once."""
    from tui.data.numbers import same_value
    from tui.data.sources import normalise

    taken, pairs = set(), []
    for figure in expected:
        quote = normalise(figure["evidence"])
        spans, at = [], text.find(quote)
        while at != -1:
            spans.append((at, at + len(quote)))
            at = text.find(quote, at + 1)
        found = next((c for c in draft.candidates if c.index not in taken
                      and any(a <= c.mention.number_at < b for a, b in spans)
                      and same_value(c.value, figure["value"]) and c.unit == figure["unit"]
                      and c.qualifier == figure["qualifier"]), None)
        if found is not None:
            taken.add(found.index)
        pairs.append((figure, found))
    return pairs
