"""`duikou export`: the data set, or one node of the tree, to standard output or a file."""
from __future__ import annotations

import sys
from pathlib import Path

from tui.data import Atlas, DuikouError, open_database
from tui.data.atlas import Scope
from tui.data.items import resolve_node
from tui.export.files import filler, write_file


def export(database: Path, fmt: str, *, node: str | None, output: Path | None, force: bool) -> int:
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
