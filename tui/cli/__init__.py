"""The command line (design §9). Every failure a person can fix is one line, never a traceback."""
from __future__ import annotations

import argparse
import errno
import gc
import os
import sqlite3
import sys
from pathlib import Path

from tui import __version__
from tui.cli.command import Command
from tui.cli.parser import Parser, language_of
from tui.data.connection import explain_failure, verify
from tui.data.errors import DuikouError
from tui.text.format import visible
from tui.text.i18n import language, tr

# In the order `duikou --help` lists them. Each names the module of its action, which is imported
# only when the command is chosen: the bench's, the checks' or the server's code costs `duikou
# search` nothing.
COMMANDS: tuple[Command, ...] = (
    Command("build", "build a fresh database from the bundled schema and seed", "tui.cli.build:BUILD",
            description="Build a fresh database from the bundled schema and seed.", opens="none"),
    Command("synth", "build a new database of the bundled data plus N made-up projects", "tui.cli.build:SYNTH",
            description="Build a new database: the bundled data plus N made-up projects, "
                        "to try Duikou at national scale.", opens="none"),
    Command("draft", "propose an article's figures as SQL to check and `duikou load`", "tui.cli.draft:DRAFT",
            description="Propose an article's figures (value, unit, qualifier, basis, year, a verbatim "
                        "quote, a guessed home) as an SQL file that `duikou load` accepts as it is."),
    Command("load", "apply a SQL file in one transaction: all of it, or nothing", "tui.cli.load:LOAD",
            opens="given"),
    Command("search", "print what matches a query, without opening the app", "tui.cli.search:SEARCH",
            reads="search"),    # a question's total brings the sums up to date itself
    Command("show", "print one item with its figures and their sources", "tui.cli.search:SHOW"),
    Command("export", "write the data set, or one node of the tree, with its sources", "tui.cli.export:EXPORT"),
    Command("bench", "time start-up, search, the tree and roll-ups on a database, against the budgets",
            "tui.cli.bench:BENCH"),
    Command("check", "look for damage, orphaned rows, figures their quotes do not bear out, "
                     "and a search index out of step; exit 1 if anything is wrong", "tui.cli.check:CHECK",
            opens="any"),
    Command("datasette-metadata", "print metadata for Datasette: descriptions, units, labels, search tables",
            "tui.cli.datasette:METADATA"),
    Command("datasette-setup", "create or rebuild the tables Datasette's search box uses",
            "tui.cli.datasette:SETUP"),
    Command("serve", "run the app in a web browser", "tui.cli.serve:SERVE"),
)
_BY_NAME = {command.name: command for command in COMMANDS}
_DB_HELP = "database file (default: the bundled data, kept in your user data folder)"


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser; a command's own arguments are added only when `argv` names it (`duikou --help`
    lists every command by its help), so only the chosen command's module is imported, and when a
    command is named (without --help) the others are left out altogether."""
    parser = Parser(prog="duikou", description="Browse China's paired poverty-alleviation assistance, every figure sourced.")
    parser.add_argument("--version", action="version", version=f"duikou {__version__}",
                        help="show program's version number and exit")
    parser.add_argument("--db", type=Path, help=_DB_HELP)
    parser.add_argument("--lang", choices=("en", "zh"), help="interface language (default: from the locale)")
    parser.add_argument("--no-export", dest="exports", action="store_false",
                        help="the app's export key writes no file (as `duikou serve --no-export` runs it)")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", title=tr("commands"))
    named = [command for command in COMMANDS if command.name in argv]
    listed = not named or "-h" in argv or "--help" in argv     # a parser each costs a millisecond
    for command in COMMANDS:
        if not listed and command not in named:
            continue
        sub = subcommands.add_parser(command.name, help=tr(command.help),
                                     description=command.description or command.help)
        if command not in named:
            continue
        if command.opens != "none":
            sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=_DB_HELP)
        command.load().arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    language_of(argv)
    args = _parser(argv).parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()      # a full disk is met here, while it can still be said
        return code
    except DuikouError as error:
        return _fail(str(error))
    except sqlite3.Error as error:  # damage or a lock met after the file opened
        database = getattr(args, "db", None) or "the database"
        return _fail(explain_failure(database, error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`duikou search 九龙 | head`): that is not an error.
        _silence_stdout()
        return 0
    except UnicodeEncodeError as error:
        return _fail(f"this terminal's encoding ({error.encoding}) cannot show the text: "
                     f"set a UTF-8 locale (LANG=C.UTF-8) or PYTHONIOENCODING=utf-8")
    except OSError as error:
        if error.errno == errno.ENOSPC or getattr(error, "filename", None) is None:
            _silence_stdout()
            return _fail(f"cannot write the output: {error.strerror or error}")
        return _fail(f"cannot use {error.filename}: {error.strerror}")


def _fail(message: str) -> int:
    print(f"duikou: {visible(message, keep_lines=True)}", file=sys.stderr)
    return 1


def _silence_stdout() -> None:
    """Point stdout at nothing, so that Python's final flush of what could not be written does
    not complain a second time."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _default_database() -> Path:
    from tui.data.bundle import default_path, ensure_default  # the bundled schema and seed: only without --db

    try:
        return ensure_default()
    except OSError as error:
        raise DuikouError(f"cannot keep the bundled database in {default_path().parent} "
                          f"({error.strerror}): make that folder writable, or give a database with --db FILE") from None


def _run(args: argparse.Namespace) -> int:
    """Hand the command the database it opens; no command opens the browser."""
    command = _BY_NAME.get(args.command)
    if command is not None and command.opens in ("none", "given"):
        return command.load().run(args, args.db if command.opens == "given" else None)
    database = args.db if args.db is not None else _default_database()
    if command is None or command.opens == "sound":
        verify(database)   # a bad file is one line here, before anything opens a screen
    if command is not None and command.opens == "sound":
        from tui.cli.progress import catch_up_saying_so

        catch_up_saying_so(database, command.reads)    # the browser catches up in the background instead
    if command is not None:
        return command.load().run(args, database)
    from tui.data.ordering import first_rows

    # The collector's passes over the objects Textual makes as it loads cost a start some 70 ms:
    # it is off until the tree's first rows are painted (the app turns it on again then).
    gc.disable()
    try:
        # The tree's first rows are read before Textual loads, not beside it in a thread: most of
        # the reading is Python, and the two taking turns at Python's lock cost a start 40 ms more
        # than the one after the other (docs/benchmarks.md).
        first = first_rows(database)
        from tui.browser.app import run  # Textual loads only for the browser

        return run(*first, lang=language(), exports=args.exports)
    finally:
        gc.enable()
