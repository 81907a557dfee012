"""Cutting SQL text into statements, each with the line it starts on."""
from __future__ import annotations

import sqlite3
from typing import Iterator, NamedTuple


class Statement(NamedTuple):
    line: int
    sql: str


def statements(text: str) -> Iterator[Statement]:
    """The SQL statements of `text` with the line each starts on; comments alone are skipped."""
    start = 0
    line = 1
    # From one semicolon to the next (str.find, not a loop over every character: every command
    # reads the bundled scripts this way to see whether a file lacks a table or column).
    index = text.find(";")
    while index != -1:
        if sqlite3.complete_statement(text[start:index + 1]):
            chunk = text[start:index + 1]
            body_offset = _code_offset(chunk)
            if body_offset is not None:
                yield Statement(line + chunk.count("\n", 0, body_offset), chunk[body_offset:])
            line += chunk.count("\n")
            start = index + 1
        index = text.find(";", index + 1)
    rest = text[start:]
    body_offset = _code_offset(rest)
    if body_offset is not None:
        yield Statement(line + rest.count("\n", 0, body_offset), rest[body_offset:])


def _code_offset(chunk: str) -> int | None:
    """Where code starts in `chunk` after blank space and comments, or None if there is none."""
    index = 0
    while index < len(chunk):
        if chunk[index].isspace():
            index += 1
        elif chunk.startswith("--", index):
            newline = chunk.find("\n", index)
            index = len(chunk) if newline == -1 else newline + 1
        elif chunk.startswith("/*", index):
            end = chunk.find("*/", index + 2)
            index = len(chunk) if end == -1 else end + 2
        else:
            return index if chunk[index:].strip() != ";" else None
    return None
