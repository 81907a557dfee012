"""What the browser's workers report. A worker posts one of these when its answer is ready; the
widget that asked decides, from what the message carries, whether the answer is still wanted."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets.tree import TreeNode

from tui.data.atlas import Counts, Detail, Node, Scope
from tui.data.shared import PathStep

if TYPE_CHECKING:   # the search side loads at the first search
    from tui.data.answer import Answer
    from tui.data.search import Found, Hit


class Report(Message):
    """A worker's answer, for the widget that asked (so it does not bubble up to others)."""

    bubble = False


class ChildrenLoaded(Report):
    """A page of a tree node's children from `offset` on, asked for while `root` was the tree's
    root, and what each sorts by when sorted by name."""

    def __init__(self, root: TreeNode, tree_node: TreeNode, page: list[Node], name_keys: dict[Scope, str],
                 offset: int) -> None:
        super().__init__()
        self.root, self.tree_node, self.page, self.name_keys, self.offset = root, tree_node, page, name_keys, offset


class PagesRead(Report):
    """The first page of children of each of these scopes, read ahead while `root` was the tree's root."""

    def __init__(self, root: TreeNode, pages: dict[Scope, list[Node]], name_keys: dict[Scope, str]) -> None:
        super().__init__()
        self.root, self.pages, self.name_keys = root, pages, name_keys


class PathFound(Report):
    """The way to a node, level by level, found while `root` was the tree's root, and what each
    node on it sorts by when sorted by name."""

    def __init__(self, root: TreeNode, steps: list[PathStep], name_keys: dict[Scope, str]) -> None:
        super().__init__()
        self.root, self.steps, self.name_keys = root, steps, name_keys


class DetailLoaded(Report):
    """What the detail pane shows for `node` (None: the root)."""

    def __init__(self, node: Node | None, detail: Detail) -> None:
        super().__init__()
        self.node, self.detail = node, detail


class HitsFound(Report):
    """What a query finds."""

    def __init__(self, query: str, found: Found) -> None:
        super().__init__()
        self.query, self.found = query, found


class AnswerFound(Report):
    """The total a query asks for (None: it asks for none), after its hits."""

    def __init__(self, query: str, answer: Answer | None) -> None:
        super().__init__()
        self.query, self.answer = query, answer


class NodeFound(Report):
    """The tree node nearest a chosen hit: its order and scope, or None when it has no place."""

    def __init__(self, hit: Hit, target: tuple[str, Scope] | None) -> None:
        super().__init__()
        self.hit, self.target = hit, target


class CountsLoaded(Report):
    """How much the open database holds."""

    def __init__(self, counts: Counts) -> None:
        super().__init__()
        self.counts = counts


class Exported(Report):
    """An export was written to `path`, or failed with `error` (a sentence)."""

    def __init__(self, path: Path | None, error: str | None = None) -> None:
        super().__init__()
        self.path, self.error = path, error


class Reloaded(Report):
    """The database was opened afresh (or could not be: `error`); `reveal` is where the cursor was."""

    def __init__(self, reveal: Scope | None, error: str | None = None) -> None:
        super().__init__()
        self.reveal, self.error = reveal, error


class SheetLoaded(Report):
    """What the detail pane shows for `node` under the filter `chosen` (a donor's, recipient's,
    pairing's or sector's fact sheet, a project, or every pairing)."""

    def __init__(self, node: Node | None, chosen: object, detail: object, labels: object, updating: bool) -> None:
        super().__init__()
        self.node, self.chosen, self.detail, self.labels = node, chosen, detail, labels   # labels: the codes' names
        self.updating = updating    # its sums are as they stood before other programs' changes


class DocumentLoaded(Report):
    """A document with everything citing it, for the screen that shows it."""

    def __init__(self, view: object) -> None:
        super().__init__()
        self.view = view


class CatchingUp(Message):
    """How far bringing search and sums up to date with other programs' changes has come."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class CaughtUp(Message):
    """Search and sums are up to date with other programs' changes: what is on screen is read anew."""
