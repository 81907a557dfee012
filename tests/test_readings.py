"""The pinyin a catch-up reads from the file's copy of pypinyin's dictionary is the pinyin
pypinyin itself gives: a name added by another program is found by the same pinyin as if the
file had been built with it."""
from __future__ import annotations

import itertools
import sqlite3
from contextlib import closing
from pathlib import Path

from tui.data.names import Entry, _read, reading_from


def dictionary(path: Path) -> dict[str, Entry]:
    with closing(sqlite3.connect(path)) as db:
        return {text: Entry(bool(starts), bool(word), syllables, initials) for text, starts, word, syllables, initials
                in db.execute("SELECT text, starts, word, syllables, initials FROM search_dictionary")}


def test_every_name_and_word_reads_as_pypinyin_reads_it(seed_db: Path):
    with closing(sqlite3.connect(seed_db)) as db:
        names = [name for (name,) in db.execute(
            "SELECT name FROM place UNION SELECT name FROM organisation UNION SELECT name FROM project "
            "UNION SELECT name FROM figure UNION SELECT name FROM alias UNION SELECT name_zh FROM sector "
            "UNION SELECT name_zh FROM measure") if name]
    words = dictionary(seed_db)
    # Names side by side as well, so that a cut runs across where one ends and the next begins.
    texts = [*names, *("".join(pair) for pair in itertools.pairwise(names)), *words]
    assert len(texts) > 100_000
    assert [text for text in texts if reading_from(text, words) != _read(text)] == []
