"""The command line's parser, its help and its errors in the interface's language.

`--lang` (else the locale) is read before the parser is built, so `duikou --lang zh --help`
is Chinese throughout: the commands' own helps, and argparse's words around them.
"""
from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from tui.text.i18n import LANGUAGES, set_language, tr


def language_of(argv: list[str]) -> str:
    """Set the interface's language from `--lang X` (or `--lang=X`) in `argv`, else the locale's."""
    chosen = None
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif argument.startswith("--lang="):
            chosen = argument.partition("=")[2]
    return set_language(chosen if chosen in LANGUAGES else None)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, tr("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose helps, headings and errors are in the interface's language."""

    def __init__(self, *args, description: str | None = None, **kwargs) -> None:
        super().__init__(*args, description=tr(description) if description else None, add_help=False,
                         formatter_class=_Formatter, **kwargs)
        # argparse names its two groups when it is made, in English.
        self._positionals.title = tr("positional arguments")
        self._optionals.title = tr("options")
        self.add_argument("-h", "--help", action="help", help="show this help message and exit")

    def add_argument(self, *args, **kwargs):
        if kwargs.get("help") not in (None, argparse.SUPPRESS):
            kwargs["help"] = tr(kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, tr("{prog}: error: {message}", prog=self.prog, message=message) + "\n")
