"""One line on standard error while a command waits for search and sums to catch up with other
programs' changes, once that has taken a second: a command that answers at once says nothing."""
from __future__ import annotations

import sys
import time
from contextlib import closing
from pathlib import Path

from tui.data import bring_up_to_date, connect
from tui.data.derived import Reads, is_stale
from tui.text.format import visible

SILENT_SECONDS = 1.0


class ProgressLine:
    """Rows brought up to date, on one line of standard error, rewritten in place on a terminal."""

    def __init__(self, database: Path, stream=None, *, what: str = "search and sums") -> None:
        self.database = database
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < SILENT_SECONDS:
            return
        if self.shown and not self.stream.isatty():
            return      # a log gets the line once, not a line per step
        self.stream.write(f"\rduikou: bringing {self.what} up to date with changes to {visible(self.database.name)}: "
                          f"{done:,} of {total:,} rows")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def catch_up_saying_so(database: Path, reads: Reads = "everything") -> None:
    """Catch the file's search and sums (only search, for a reader of search alone) up with other
    programs' changes, saying so when it takes a while."""
    with closing(connect(database)) as db:
        if not is_stale(db, reads):
            return
    line = ProgressLine(database, what="search" if reads == "search" else "search and sums")
    try:
        bring_up_to_date(database, line, reads=reads)
    finally:
        line.close()
