"""Source documents as the provenance check reads them, and `duikou check --sources DIR`.

A quote is verbatim when it occurs in its document after the one normalisation both sides get:
HTML entities decoded, and the pinyin residues a traditional-script conversion left behind (the
"(xiàn)" in "實現(xiàn)") removed. Nothing else changes: a traditional text is quoted in its own script.
"""
from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui.data.errors import DuikouError

_PINYIN_RESIDUE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
# Every table whose rows quote a document, with the column that holds the quote.
_QUOTING = (("organisation", "evidence"), ("pairing", "evidence"), ("project", "evidence"),
            ("figure", "evidence"), ("person", "evidence"), ("evidence", "quote"))


def normalise(text: str) -> str:
    return _PINYIN_RESIDUE.sub("", html.unescape(text))


@dataclass(frozen=True)
class Unquoted:
    table: str
    row: int
    document: str
    quote: str

    def __str__(self) -> str:
        return f"{self.table} {self.row}: its quote is not in {self.document}: «{self.quote}»"


def source_texts(folder: Path) -> dict[str, str]:
    """The normalised text of every UTF-8 file in `folder`, by file name."""
    if not Path(folder).is_dir():
        raise DuikouError(f"no folder {folder}: give the folder that holds the source documents")
    texts = {}
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            try:
                texts[path.name] = normalise(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue    # not a text a quote could come from
    return texts


def unquoted(db: sqlite3.Connection, texts: dict[str, str]) -> tuple[int, list[Unquoted]]:
    """How many quotes of documents in `texts` were checked, and those not found in their text."""
    checked, missing = 0, []
    for table, column in _QUOTING:
        # Table and column names come from _QUOTING above, never from the data.
        rows = db.execute(f"SELECT id, document, {column} FROM {table} WHERE document IS NOT NULL ORDER BY id")
        for row, document, quote in rows:
            if document not in texts:
                continue
            checked += 1
            if not quote or normalise(quote) not in texts[document]:
                missing.append(Unquoted(table, row, document, quote or ""))
    return checked, missing
