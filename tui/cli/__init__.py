"""The command line (design §9). Every failure a person can fix is one line, never a traceback."""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from tui import __version__
from tui.cli import build, check, load
from tui.data import DuikouError
from tui.data.bundle import ensure_default
from tui.data.connection import explain_failure, verify
from tui.export import FORMATS


def _parser() -> argparse.ArgumentParser:
    db_help = "database file (default: the bundled data, kept in your user data folder)"
    parser = argparse.ArgumentParser(
        prog="duikou", description="Browse China's paired poverty-alleviation assistance, every figure sourced.")
    parser.add_argument("--version", action="version", version=f"duikou {__version__}")
    parser.add_argument("--db", type=Path, help=db_help)
    parser.add_argument("--lang", choices=("en", "zh"), help="interface language (default: from the locale)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=db_help)
        return sub

    build_cmd = commands.add_parser("build", help="build a fresh database from the bundled schema and seed",
                                    description="Build a fresh database from the bundled schema and seed.")
    build_cmd.add_argument("file", type=Path, help="the new database file (must not exist)")
    synth_cmd = commands.add_parser("synth", help="build a new database of the bundled data plus N made-up projects",
                                    description="Build a new database: the bundled data plus N made-up projects, "
                                                "to try Duikou at national scale.")
    synth_cmd.add_argument("file", type=Path, help="the new database file (must not exist)")
    synth_cmd.add_argument("--projects", type=int, required=True, metavar="N", help="how many made-up projects")
    synth_cmd.add_argument("--seed", type=int, default=0, help="the same seed gives the same database (default 0)")
    load_cmd = command("load", "apply a SQL file in one transaction: all of it, or nothing")
    load_cmd.add_argument("sql", type=Path, help="a UTF-8 file of SQL statements (INSERT …)")
    search_cmd = command("search", "print what matches a query, without opening the app")
    search_cmd.add_argument("query")
    search_cmd.add_argument("--json", action="store_true", help="one JSON object per result")
    search_cmd.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")
    show_cmd = command("show", "print one item with its figures and their sources")
    show_cmd.add_argument("item", help="project:ID, figure:ID or pairing:ID, as `duikou search` prints them")
    show_cmd.add_argument("--json", action="store_true", help="the item as one JSON object")
    export_cmd = command("export", "write the data set, or one node of the tree, with its sources")
    export_cmd.add_argument("--format", choices=tuple(FORMATS), default="csv",
                            help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()) + " (default csv)")
    export_cmd.add_argument("--node", metavar="PATH", help="only this node: donor/recipient/sector/project, "
                                                          "e.g. 青白江区/九龙县/education")
    export_cmd.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    export_cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")
    bench_cmd = command("bench", "time start-up, search, the tree and roll-ups on a database, against the budgets")
    bench_cmd.add_argument("--json", action="store_true", help="the measurements as one JSON object")
    bench_cmd.add_argument("--runs", type=int, default=5, help="cold starts to time (default 5); more for the rest")
    command("check", "look for damage, orphaned rows, figures their quotes do not bear out, "
                     "and a search index out of step; exit 1 if anything is wrong")
    command("datasette-metadata", "print metadata for Datasette: descriptions, units, labels, search tables")
    setup_cmd = command("datasette-setup", "create or rebuild the tables Datasette's search box uses")
    setup_cmd.add_argument("--remove", action="store_true", help="remove them instead (they grow with the data)")
    serve_cmd = command("serve", "run the app in a web browser")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except DuikouError as error:
        print(f"duikou: {error}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:  # damage or a lock met after the file opened
        database = getattr(args, "db", None) or "the database"
        print(f"duikou: {explain_failure(database, error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`duikou search 九龙 | head`): that is not an error. Point stdout
        # at nothing so that Python's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    """The command's own module does the work; here only which database it is given."""
    if args.command == "build":
        return build.build(args.file)
    if args.command == "synth":
        return build.synth(args.file, args.projects, args.seed)
    if args.command == "load":
        return load.load(args.sql, args.db)
    database = args.db if args.db is not None else ensure_default()
    if args.command == "check":
        return check.check(database)
    verify(database)   # a bad file is one line here, before anything opens a screen
    if args.command == "export":
        from tui.cli.export import export

        return export(database, args.format, node=args.node, output=args.output, force=args.force)
    if args.command in ("search", "show"):
        from tui.cli import search

        if args.command == "search":
            return search.search(database, args.query, limit=args.limit, as_json=args.json)
        return search.show(database, args.item, as_json=args.json)
    if args.command in ("datasette-metadata", "datasette-setup"):
        from tui.cli import datasette

        if args.command == "datasette-setup":
            return datasette.setup(database, remove=args.remove)
        return datasette.print_metadata(database)
    if args.command == "serve":
        from tui.cli.serve import serve

        return serve(database, host=args.host, port=args.port, lang=args.lang)
    if args.command == "bench":
        from tui.cli.bench import bench

        return bench(database, runs=args.runs, as_json=args.json)
    from tui.browser.app import run

    return run(database, lang=args.lang)
