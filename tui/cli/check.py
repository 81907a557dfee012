"""`duikou check`: what is wrong with a database, one line per finding; exit 1 on any problem."""
from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path

from tui.cli.command import Action
from tui.data import DuikouError
from tui.data.check import check as findings_in
from tui.data.connection import connect
from tui.data.sources import source_texts, unquoted
from tui.text.format import visible


def check(database: Path, sources: Path | None = None, integrity: bool = True) -> int:
    findings = findings_in(database, integrity=integrity)
    if [finding.kind for finding in findings] == ["open"]:
        raise DuikouError(findings[0].message)   # cannot be opened at all: one line says why
    for finding in findings:
        print(visible(finding))   # its message quotes the data
    problems = sum(not finding.warning for finding in findings)
    warnings = len(findings) - problems
    if sources is not None:
        problems += _check_quotes(database, sources)
    noted = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    if not integrity:
        print("SQLite's own integrity check (every page, index and CHECK rule) was left out: --no-integrity")
    print(f"{problems or 'no'} problem{'s' * (problems != 1)} in {database}{noted}")
    return 1 if problems else 0


def _check_quotes(database: Path, folder: Path) -> int:
    """Print each quote not found in its document's file in `folder`; return how many."""
    texts = source_texts(folder)
    db = connect(database)
    try:
        checked, missing = unquoted(db, texts)
    finally:
        db.close()
    for quote in missing:
        print(visible(quote))   # it quotes the data
    print(f"checked {checked} quote(s) against the {len(texts)} file(s) in {folder}: {len(missing) or 'none'} not found")
    return len(missing)


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--sources", type=Path, metavar="DIR",
                        help="also check every quote of the documents whose files are in DIR against their text")
    parser.add_argument("--no-integrity", dest="integrity", action="store_false",
                        help="leave out SQLite's own integrity check, which reads every page (a minute at national "
                             "scale); the rest takes seconds")


CHECK = Action(lambda args, database: check(database, args.sources, args.integrity), _arguments)
