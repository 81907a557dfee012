"""The command line (design §9). Every failure a person can fix is one line, never a traceback."""
from __future__ import annotations

import argparse
import errno
import os
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tui import __version__
from tui.cli import bench, build, check, datasette, draft, export, load, search, serve
from tui.cli.command import Command
from tui.cli.parser import Parser, language_of
from tui.cli.progress import catch_up_saying_so
from tui.data import DuikouError
from tui.data.bundle import default_path, ensure_default
from tui.data.connection import explain_failure, verify
from tui.data.ordering import first_rows
from tui.text.format import visible
from tui.text.i18n import language, tr

# In the order `duikou --help` lists them.
COMMANDS: tuple[Command, ...] = (
    build.BUILD, build.SYNTH, draft.DRAFT, load.LOAD, search.SEARCH, search.SHOW, export.EXPORT, bench.BENCH, check.CHECK,
    datasette.METADATA, datasette.SETUP, serve.SERVE,
)
_BY_NAME = {command.name: command for command in COMMANDS}
_DB_HELP = "database file (default: the bundled data, kept in your user data folder)"


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser; a command's own arguments are added only when `argv` names it (`duikou --help`
    lists every command by its help), so starting the browser loads no command's helpers."""
    parser = Parser(prog="duikou", description="Browse China's paired poverty-alleviation assistance, every figure sourced.")
    parser.add_argument("--version", action="version", version=f"duikou {__version__}",
                        help="show program's version number and exit")
    parser.add_argument("--db", type=Path, help=_DB_HELP)
    parser.add_argument("--lang", choices=("en", "zh"), help="interface language (default: from the locale)")
    parser.add_argument("--no-export", dest="exports", action="store_false",
                        help="the app's export key writes no file (as `duikou serve --no-export` runs it)")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", title=tr("commands"))
    for command in COMMANDS:
        sub = subcommands.add_parser(command.name, help=tr(command.help),
                                     description=command.description or command.help)
        if command.name not in argv:
            continue
        if command.opens != "none":
            sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=_DB_HELP)
        command.arguments(sub)
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
    try:
        return ensure_default()
    except OSError as error:
        raise DuikouError(f"cannot keep the bundled database in {default_path().parent} "
                          f"({error.strerror}): make that folder writable, or give a database with --db FILE") from None


def _run(args: argparse.Namespace) -> int:
    """Hand the command the database it opens; no command opens the browser."""
    command = _BY_NAME.get(args.command)
    if command is not None and command.opens in ("none", "given"):
        return command.run(args, args.db if command.opens == "given" else None)
    database = args.db if args.db is not None else _default_database()
    if command is None or command.opens == "sound":
        verify(database)   # a bad file is one line here, before anything opens a screen
    if command is not None and command.opens == "sound":
        catch_up_saying_so(database)    # the browser catches up in the background instead
    if command is not None:
        return command.run(args, database)
    # Textual takes a few hundred milliseconds to load: meanwhile the database opens and the
    # tree's first rows are read, in a thread (SQLite reads without holding Python's lock).
    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(first_rows, database)
        from tui.browser.app import run  # Textual loads only for the browser

        return run(*opening.result(), lang=language(), exports=args.exports)
