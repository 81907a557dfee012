"""The tree on the left: donor → recipient → sector → project, or another order after a pivot.

Children are asked of the database in a thread worker when a node opens, so the interface never
waits; until they arrive the node shows a "loading…" child. Large families come in pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Union

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.browser.bindings import translated_bindings
from tui.browser.messages import ChildrenLoaded, PathFound
from tui.data.atlas import PAGE, Node, Scope
from tui.data.shared import SharedAtlas
from tui.text.format import visible
from tui.text.i18n import counted, language, tr
from tui.text.totals import totals_line


@dataclass(frozen=True)
class Pending:
    """The placeholder child of a node whose children are not here yet; `started` once asked for,
    so opening a node twice, or pressing Enter twice on "show more", fetches one page."""
    started: bool = False


@dataclass(frozen=True)
class MorePage:
    """The "show 200 more" item: the next page of its parent's children starts at `offset`."""
    offset: int


# None is the root (every pairing); a Node is a donor, recipient, sector or project.
Entry = Union[Node, Pending, MorePage, None]


class AtlasTree(Tree[Entry]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("right,l", "expand", "Expand", show=False),
        Binding("left,h", "collapse_or_parent", "Collapse or go to parent", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"atlas-tree--figure"}

    def __init__(self, atlas: SharedAtlas, order: str = "donor", **kwargs) -> None:
        super().__init__(Text(tr("All pairings")), data=None, **kwargs)
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
        self.order = order
        self.basis: str | None = None   # money labels of this basis alone (None: both), as the pane's filter asks

    def on_mount(self) -> None:
        self.guide_depth = 2    # the narrowest indent: four levels must fit in 40% of 80 columns
        self.rebuild(self.order)

    # -- building --------------------------------------------------------------------------------

    def rebuild(self, order: str, reveal: Scope | None = None) -> None:
        """Start again in `order`, then open the way to `reveal` (or to its nearest ancestor)."""
        self.order = order
        self.clear()
        self.root.set_label(Text(tr("All pairings")))
        # The path finder fetches the root's children itself.
        self.root.add_leaf(Text(tr("loading…")), data=Pending(started=True))
        self.root.expand()
        self._find_path(self.root, order, reveal)

    def reveal(self, target: Scope) -> None:
        """Open the way to `target` in the tree as it stands: other open branches stay open."""
        self._find_path(self.root, self.order, target)

    # A rebuild gives the tree a new root: an answer asked for under an older one is dropped.

    @work(thread=True, group="tree")
    def _find_path(self, root: TreeNode[Entry], order: str, target: Scope | None) -> None:
        self.post_message(PathFound(root, self.atlas.path_to(target, order)))

    @on(PathFound)
    def _open_path(self, message: PathFound) -> None:
        if message.root is not self.root:
            return
        tree_node = self.root
        for step in message.steps:
            if not _holds(tree_node, step.nodes):
                if any(isinstance(child.data, Node) for child in tree_node.children):
                    tree_node.remove_children()     # the way lies past the pages shown: show them anew
                self._show_children(tree_node, step.nodes, step.more)
            tree_node.expand()
            if step.match is None:
                break
            tree_node = tree_node.children[step.match]
        # Line numbers are worked out when the tree next draws itself.
        self.call_after_refresh(self.move_cursor, tree_node)

    def _load_page(self, tree_node: TreeNode[Entry], offset: int) -> None:
        self._fetch_page(self.root, self.order, tree_node, offset)

    @work(thread=True, group="tree")
    def _fetch_page(self, root: TreeNode[Entry], order: str, tree_node: TreeNode[Entry], offset: int) -> None:
        self.post_message(ChildrenLoaded(root, tree_node, self.atlas.children(tree_node.data, order, offset, PAGE + 1)))

    @on(ChildrenLoaded)
    def _show_page(self, message: ChildrenLoaded) -> None:
        # A search's jump may have filled the node meanwhile: then nothing waits for this page.
        waiting = any(isinstance(child.data, Pending) for child in message.tree_node.children)
        if message.root is self.root and waiting:
            self._show_children(message.tree_node, message.page[:PAGE], len(message.page) > PAGE)

    def _show_children(self, tree_node: TreeNode[Entry], nodes: list[Node], more: bool) -> None:
        """Replace the placeholder or "more" item of `tree_node` with `nodes` (and a new one)."""
        for child in list(tree_node.children):
            if isinstance(child.data, (Pending, MorePage)):
                child.remove()
        for node in nodes:
            child = tree_node.add(Text(visible(node.label)), data=node, allow_expand=node.has_children)
            if node.has_children:
                self._add_placeholder(child)
        if more:
            tree_node.add_leaf(Text(tr("show {count} more", count=PAGE)),
                               data=MorePage(len(tree_node.children)))

    def _add_placeholder(self, tree_node: TreeNode[Entry]) -> None:
        tree_node.add_leaf(Text(tr("loading…")), data=Pending())

    # -- events ----------------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        children = event.node.children
        if children and children[0].data == Pending():
            children[0].data = Pending(started=True)
            self._load_page(event.node, 0)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        item = event.node
        if isinstance(item.data, MorePage) and item.parent is not None:
            offset = item.data.offset
            item.set_label(Text(tr("loading…")))
            item.data = Pending(started=True)
            self._load_page(item.parent, offset)

    # -- keys ------------------------------------------------------------------------------------

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        else:
            self.action_go_to_parent()

    def action_go_to_parent(self) -> None:
        node = self.cursor_node
        if node is not None and node.parent is not None:
            self.move_cursor(node.parent)

    # -- display ---------------------------------------------------------------------------------

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        figure = figure_of(node.data, self.basis)
        if figure:
            # Keep the figure in sight: a long name gives way to it (the breadcrumb shows it whole).
            room = (self.scrollable_content_region.width - _depth(node) * self.guide_depth
                    - cell_len(figure) - 2)
            if room > 8 and label.cell_len > room:
                label.truncate(room, overflow="ellipsis")
            label.append("  ")
            label.append(figure, style + self.get_component_rich_style("atlas-tree--figure", partial=True))
        return label

    def show_basis(self, basis: str | None) -> None:
        self.basis = basis
        self._invalidate()   # Textual's way to redraw every label

    def path_labels(self, tree_node: TreeNode[Entry] | None) -> list[str]:
        """The labels from the root down to `tree_node`, for the breadcrumb."""
        labels = []
        while tree_node is not None:
            labels.append(str(tree_node.label))
            tree_node = tree_node.parent
        return labels[::-1]


def figure_of(entry: Entry, basis: str | None = None) -> str:
    """The short figure beside a node's name: its money (actual, then planned, with their years;
    or of one `basis`), else how many projects it holds."""
    if not isinstance(entry, Node):
        return ""
    if money := totals_line([total for total in entry.money if basis in (None, total.basis)], language(), short=True):
        return money
    if entry.level != "project" and entry.projects:
        return counted(entry.projects, "{count} project", "{count} projects")
    return ""


def _depth(node: TreeNode[Entry]) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def _holds(tree_node: TreeNode[Entry], nodes: list[Node]) -> bool:
    """Whether `tree_node` already shows `nodes` as its first children."""
    shown = [child.data.scope for child in tree_node.children if isinstance(child.data, Node)]
    return bool(nodes) and shown[:len(nodes)] == [node.scope for node in nodes]
