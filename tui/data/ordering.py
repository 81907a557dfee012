"""The order a person reads a family of names in: Chinese names by their pinyin, as the search
index spells them, so the tree lists 成华区 (cheng) before 青白江区 (qing) and 衢江区 (qu), not by
code point. Read from the index, so no pinyin library loads while the app starts."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

from tui.data.atlas import ORDERS, Node
from tui.data.index import FORM_NAME, FORM_PINYIN
from tui.data.shared import PathStep, SharedAtlas
from tui.data.sums import Scope

_PINYIN_OF = """SELECT k.ref, i.names FROM search_key k JOIN search_index i ON i.rowid = k.entry
    WHERE k.kind = ? AND k.ref IN (SELECT value FROM json_each(?))"""


def _item(node: Node) -> tuple[str, object] | None:
    """The search index's (kind, ref) of the thing a tree node is named after."""
    scope = node.scope
    if node.level in ("donor", "recipient"):
        party = getattr(scope, node.level)
        return ("organisation", party.org_id) if party.org_id is not None else ("place", party.place_id)
    if node.level == "sector":
        return "sector", scope.sector
    if node.level == "project":
        return "project", scope.project
    return None


def _own_pinyin(names: str) -> str:
    """The spaced pinyin of an item's own name (its first form), "" when the name has no Han."""
    own = names.split(FORM_NAME)[1] if FORM_NAME in names else names
    return own.split(FORM_PINYIN)[1].strip() if FORM_PINYIN in own else ""


def name_keys(db: sqlite3.Connection, nodes: Iterable[Node]) -> dict[Scope, str]:
    """What each node sorts by when sorted by name: its name's pinyin, else its label folded.
    A node the index does not hold yet sorts by its label."""
    wanted: dict[str, dict[object, list[Node]]] = {}
    keys: dict[Scope, str] = {}
    for node in nodes:
        keys[node.scope] = node.label.casefold()
        item = _item(node)
        if item is not None:
            wanted.setdefault(item[0], {}).setdefault(item[1], []).append(node)
    for kind, by_ref in wanted.items():
        for ref, names in db.execute(_PINYIN_OF, (kind, json.dumps(list(by_ref)))):
            if pinyin := _own_pinyin(names):
                for node in by_ref.get(ref, ()):
                    # The label after the pinyin: names read alike keep one order, and a pairing's kind
                    # (青白江区 · 省内对口帮扶) stays beside its name.
                    keys[node.scope] = f"{pinyin} {node.label.casefold()}"
    return keys


def first_rows(database: Path) -> tuple[SharedAtlas, list[PathStep], dict[Scope, str]]:
    """The database opened, and what the tree shows first: the root's children in the first order,
    with what they sort by."""
    atlas = SharedAtlas(database)
    steps = atlas.path_to(None, next(iter(ORDERS)))
    return atlas, steps, atlas.ask(lambda opened: name_keys(opened.db, [node for step in steps for node in step.nodes]))
