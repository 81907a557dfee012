"""The open database as the browser shares it: the questions its widgets ask, each asked from a
worker thread under one lock, since a sqlite3 connection must not run two statements at once."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Callable, NamedTuple, TypeVar

from tui.data import Progress, bring_up_to_date, is_stale, open_database
from tui.data.atlas import ORDERS, PAGE, Atlas, Counts, Detail, Node, Scope

if TYPE_CHECKING:     # the search engine loads at the first search, after the first paint
    from tui.data.search import Found, Hit

Answer = TypeVar("Answer")
WHOLE = 1 << 31    # as many children as a family may have: a page that is the whole of it


class PathStep(NamedTuple):
    """One level of the way to a node: its children from `offset` on (pages up to the one that
    leads on), whether more follow, and which of them leads on (None: the way ends here)."""
    nodes: list[Node]
    more: bool
    match: int | None
    offset: int = 0     # the place of the first of `nodes` among its family: past 0, pages before it are not read


class SharedAtlas:
    """The open database and the questions asked of it. `reopen` swaps in a fresh connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = Lock()
        # Read as it stands: what other programs changed is caught up with by `catch_up`, the tree on screen.
        self._db: sqlite3.Connection = open_database(path, wait=False)
        self._atlas = Atlas(self._db)

    def ask(self, question: Callable[[Atlas], Answer]) -> Answer:
        with self._lock:
            return question(self._atlas)

    def reopen(self) -> None:
        db = open_database(self.path)
        with self._lock:
            old, self._db, self._atlas = self._db, db, Atlas(db)
        old.close()

    def catch_up(self, progress: Progress | None = None) -> bool:
        """Index and sum what other programs changed, then read the file anew; False when nothing
        waited. Questions asked meanwhile are answered from the file as it stood."""
        # Not only sums: a quote edited outside leaves search behind, a newer Duikou's index unmade.
        if not self.ask(lambda atlas: is_stale(atlas.db)):
            return False
        bring_up_to_date(self.path, progress, settle=True)    # the checkpoint's time is the app's, not a reader's
        self.reopen()
        return True

    # -- the questions the browser asks ---------------------------------------------------------

    def children(self, node: Node | None, order: str, offset: int = 0, limit: int = PAGE,
                 year: int | None = None) -> list[Node]:
        return self.ask(lambda atlas: atlas.children(node, order, offset, limit, year))

    def detail(self, node: Node | None) -> Detail:
        return self.ask(lambda atlas: atlas.detail(node))

    def counts(self) -> Counts:
        return self.ask(lambda atlas: atlas.counts())

    def search(self, query: str, limit: int) -> list[Hit]:
        return self.find(query, limit).hits

    def prepare_search(self) -> None:
        """Read what the first search would, before the first key."""
        from tui.data.search import prepare

        self.ask(lambda atlas: prepare(atlas.db))

    def find(self, query: str, limit: int) -> Found:
        """What `query` finds, with how many items match it in all."""
        from tui.data.search import find

        return self.ask(lambda atlas: find(atlas.db, query, limit if query.strip() else 0))

    def nearest_node(self, hit: Hit, order: str) -> tuple[str, Scope] | None:
        """The order and scope of the tree node nearest a search hit (None: it has no place in the tree)."""
        from tui.data.locate import nearest_node

        return self.ask(lambda atlas: nearest_node(atlas, hit.kind, hit.ref, order))

    def path_to(self, target: Scope | None, order: str, year: int | None = None) -> list[PathStep]:
        """The way from the root to `target` (or to its nearest ancestor) in the tree of `order`,
        level by level, each node's money of all years or of one `year`. The lock is taken page by page, so other questions need not wait for a
        way that leads through many pages."""
        steps: list[PathStep] = []
        parent: Node | None = None
        recipient_name = None
        if target is not None and target.project is not None and target.recipient is None:
            # Coming from the sector order, a project's scope lacks its recipient; the tree names
            # recipients as the project record does, so the name finds the way.
            project = self.ask(lambda atlas: atlas.project(target.project))
            recipient_name = project.recipient if project else None
        for depth, level in enumerate(ORDERS[order]):
            # A family is read on past its first page only while the target may lie further on,
            # and the root's whole (309 donors at national scale), so that the first family sorts
            # whole: the children of a sector revealed (a sort, a pivot, a search's jump) are its
            # first page, where reading on read every one of 100,000 projects, for 50 s.
            reads_on = depth == 0 or _wanted(level, target, recipient_name)
            # The root's whole in one page: each page names its family and sums its nodes anew.
            size = WHOLE if depth == 0 else PAGE
            start = 0
            if level == "project" and reads_on and parent is not None:
                # The page that holds the project, where reading on from the first read every
                # page before it: the 50,000th project of a sector took 15 s.
                place = self.ask(lambda atlas: atlas.project_place(parent.scope, target.project))
                start, reads_on = (place - place % PAGE if place is not None else 0), False
            nodes: list[Node] = []
            more, match = True, None
            while more and match is None and (reads_on or not nodes):
                page = self.children(parent, order, start + len(nodes), size + 1, year)
                more = len(page) > size
                nodes += page[:size]
                match = next((index for index, node in enumerate(nodes)
                              if _leads_to(node, level, target, recipient_name)), None)
            steps.append(PathStep(nodes, more, match, start))
            if match is None:
                break
            parent = nodes[match]
        return steps


def _wanted(level: str, target: Scope | None, recipient_name: str | None) -> bool:
    """Whether the way to `target` names a child at `level`."""
    if level == "recipient" and recipient_name is not None:
        return True
    return target is not None and getattr(target, level, None) is not None


def _leads_to(node: Node, level: str, target: Scope | None, recipient_name: str | None) -> bool:
    """Whether `node`, a child at `level`, lies on the way to `target` in the new order."""
    if level == "recipient" and recipient_name is not None:
        return node.label == recipient_name
    wanted = getattr(target, level, None) if target is not None else None
    return wanted is not None and getattr(node.scope, level) == wanted
