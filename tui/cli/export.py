"""`duikou export`: the data set, or one node of the tree, to standard output or a file."""
from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path

from tui.cli.command import Action
from tui.data import Atlas, DuikouError, open_database
from tui.data.atlas import Scope

# The formats (and what they import: XML, spreadsheets) load when an export is asked for, not with
# every command: the browser starts without them.


def export(database: Path, fmt: str, *, node: str | None, output: Path | None, force: bool) -> int:
    from tui.data.items import resolve_node
    from tui.export.files import filler, write_file

    atlas = Atlas(open_database(database))
    scope, labels = resolve_node(atlas, node) if node else (Scope(), ())
    if output is not None and output.exists() and not force:
        raise DuikouError(f"{output} already exists: give another name, or add --force to replace it")
    fill = filler(atlas, scope, "/".join(labels) or "all pairings", fmt)
    if output is None:
        fill(sys.stdout)
        return 0
    write_file(output, fill, overwrite=force)
    print(f"wrote {fmt} to {output}", file=sys.stderr)
    return 0


def _arguments(parser: ArgumentParser) -> None:
    from tui.export import FORMATS

    parser.add_argument("--format", choices=tuple(FORMATS), default="csv",
                        help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()) + " (default csv)")
    parser.add_argument("--node", metavar="PATH", help="only this node, as the tree shows it: "
                                                      "donor/recipient/sector/project (e.g. 青白江区/九龙县/education), "
                                                      "a unique name alone (九龙县), or a project's #ID")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


EXPORT = Action(lambda args, database: export(database, args.format, node=args.node, output=args.output,
                                              force=args.force), _arguments)
