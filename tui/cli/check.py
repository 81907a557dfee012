"""`duikou check`: what is wrong with a database, one line per finding; exit 1 on any problem."""
from __future__ import annotations

from pathlib import Path

from tui.cli.command import Command
from tui.data import DuikouError
from tui.data.check import check as findings_in
from tui.text.format import visible


def check(database: Path) -> int:
    findings = findings_in(database)
    if [finding.kind for finding in findings] == ["open"]:
        raise DuikouError(findings[0].message)   # cannot be opened at all: one line says why
    for finding in findings:
        print(visible(finding))   # its message quotes the data
    problems = sum(not finding.warning for finding in findings)
    warnings = len(findings) - problems
    noted = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    print(f"{problems or 'no'} problem{'s' * (problems != 1)} in {database}{noted}")
    return 1 if problems else 0


CHECK = Command("check", "look for damage, orphaned rows, figures their quotes do not bear out, "
                         "and a search index out of step; exit 1 if anything is wrong",
                lambda args, database: check(database), opens="any")
