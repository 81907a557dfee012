"""The order a person reads a family of names in: Chinese names by their pinyin, as the search
index spells them, so the tree lists 成华区 (cheng) before 青白江区 (qing) and 衢江区 (qu), not by
code point. Read from the index, so no pinyin library loads while the app starts."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from tui.data.atlas import ORDERS, Node
from tui.data.index import own_pinyin, reading_key
from tui.data.shared import PathStep, SharedAtlas
from tui.data.sums import Scope

# Levels whose families the atlas gives in this order already (Atlas._parties): the tree keeps it,
# and their names' pinyin is not read a second time.
IN_NAME_ORDER = ("donor", "recipient")


def _item(node: Node) -> tuple[str, object] | None:
    """The search index's (kind, ref) of the thing a tree node is named after, for the levels the
    tree sorts by name itself."""
    scope = node.scope
    if node.level == "sector":
        return "sector", scope.sector
    if node.level == "project":
        return "project", scope.project
    return None


def name_keys(db: sqlite3.Connection, nodes: Iterable[Node]) -> dict[Scope, str]:
    """What each node sorts by when sorted by name: its name's pinyin, else its label folded.
    A node the index does not hold yet sorts by its label."""
    keys: dict[Scope, str] = {}
    wanted: dict[str, dict[object, list[Node]]] = {}
    for node in nodes:
        item = _item(node)
        if item is None:
            keys[node.scope] = reading_key(None, node.label)
        else:
            wanted.setdefault(item[0], {}).setdefault(item[1], []).append(node)
    for kind, by_ref in wanted.items():
        readings = own_pinyin(db, kind, by_ref)
        for ref, named in by_ref.items():
            for node in named:
                # A pairing's kind (青白江区 · 省内对口帮扶) in its label stays beside its name.
                keys[node.scope] = reading_key(readings.get(ref), node.label)
    return keys


def first_rows(database: Path) -> tuple[SharedAtlas, list[PathStep], dict[Scope, str]]:
    """The database opened, and what the tree shows first: the root's children in the first order,
    with what they sort by."""
    atlas = SharedAtlas(database)
    steps = atlas.path_to(None, next(iter(ORDERS)))
    return atlas, steps, atlas.ask(lambda opened: name_keys(opened.db, [node for step in steps for node in step.nodes]))
