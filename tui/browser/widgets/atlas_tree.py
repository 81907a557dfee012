"""The tree on the left: donor → recipient → sector → project, or another order after a pivot.

Children are asked of the database in a thread worker when a node opens, so the interface never
waits; until they arrive the node shows a "loading…" child. Large families come in pages. Each
family is listed by name (Chinese by pinyin), by money or by projects (`s` turns the order round).
"""
from __future__ import annotations

from typing import Callable, ClassVar, NamedTuple, Union

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.browser.bindings import translated_bindings
from tui.browser.messages import ChildrenLoaded, PagesRead, PathFound
from tui.data.atlas import PAGE, Node, Scope
from tui.data.fact_sheet import Filter
from tui.data.ordering import IN_NAME_ORDER, name_keys
from tui.data.shared import PathStep, SharedAtlas
from tui.text.format import visible
from tui.text.i18n import counted, language, tr
from tui.text.totals import headline, totals_line


class Pending:
    """The "loading…" child of a node whose children are asked for and not here yet, so opening a
    node twice, or pressing Enter twice on "show more", fetches one page. A node not yet opened has
    no child at all: two hundred placeholders would cost the first paint their making."""


class MorePage(NamedTuple):
    """The "show 200 more" item: the next page of its parent's children starts at `offset`."""
    offset: int


class EarlierPage(NamedTuple):
    """The "show 200 before" item, above a family shown from `offset` on (a jump to a project deep
    in a large sector opens the page that holds it): the page before ends at `offset`."""
    offset: int
    loading: bool = False   # the page before is asked for: the item reads "loading…"


# None is the root (every pairing); a Node is a donor, recipient, sector or project.
Entry = Union[Node, Pending, MorePage, EarlierPage, None]
# The rows that show a family's other pages: by name, and when each page is sorted on its own.
PAGE_ROWS = {MorePage: ("show {count} more", "show {count} more · each page sorted on its own"),
             EarlierPage: ("show {count} before", "show {count} before · each page sorted on its own")}


def _actual_then_planned(node: Node) -> tuple[float, float]:
    return (sum(total.value for total in node.money if total.basis == "actual"),
            sum(total.value for total in node.money if total.basis != "actual"))


# How a family can be sorted, in the order `s` goes round: (name, what a node sorts by, largest first).
SORTS: dict[str, tuple[Callable[[Node, dict[Scope, str]], object], bool]] = {
    "name": (lambda node, names: names.get(node.scope, node.label), False),
    "money": (lambda node, names: _actual_then_planned(node), True),
    "projects": (lambda node, names: node.projects, True),
}
READ_AHEAD = ("donor", "recipient")   # levels whose children are few and cheap to read ahead
GAP = 2         # cells between a node's name and its figure
SHORTEST_NAME = 5   # cells a name cut short keeps, its icon and ellipsis included: "▶ 电…"
SORT_NAMES = {"name": "By name (pinyin)", "money": "By money, largest first", "projects": "By projects, most first"}


class AtlasTree(Tree[Entry]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("right,l", "expand", "Expand", show=False),
        Binding("left,h", "collapse_or_parent", "Collapse or go to parent", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"atlas-tree--figure"}

    class Shown(Message):
        """The tree shows its rows: after a start, a pivot, a sort or a reload."""

    def __init__(self, atlas: SharedAtlas, order: str = "donor",
                 first: tuple[list[PathStep], dict[Scope, str]] | None = None, **kwargs) -> None:
        """`first`: the way to the root in `order`, and what its nodes sort by, if already read."""
        super().__init__(Text(tr("All pairings")), data=None, **kwargs)
        self._first = first
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
        self.order = order
        self.sort = "name"
        self._name_keys: dict[Scope, str] = {}   # what each node shown sorts by, by name
        self._read: dict[Scope, list[Node]] = {}  # first pages read ahead, before their node is opened
        self._shown_from: dict[int, int] = {}     # the place in its family of a node's first child shown, past 0
        self.basis: str | None = None   # money labels of this basis alone (None: both), as the pane's filter asks
        self.year: int | None = None    # money labels of the figures lying in this year (None: all years)
        # Each line's fit, worked out once for the tree's width, scrollbar and basis: the tree asks
        # every line's width whenever a family changes or its height does, two hundred at a time.
        self._fits: dict[int, tuple[int | None, str]] = {}
        self._rooms: dict[int, int] = {}     # the room of a line, by its depth
        self._fitted_for: tuple[int, bool, str | None] | None = None

    def on_mount(self) -> None:
        self.guide_depth = 2    # the narrowest indent: four levels must fit in 40% of 80 columns
        self.rebuild(self.order)

    # -- building --------------------------------------------------------------------------------

    def rebuild(self, order: str, reveal: Scope | None = None, sort: str | None = None) -> None:
        """Start again in `order` (and `sort`), then open the way to `reveal` (or to its nearest ancestor)."""
        self.order = order
        self.sort = sort or self.sort
        self._read.clear()
        self._fits.clear()
        self._shown_from.clear()
        self.clear()
        self.root.set_label(Text(tr("All pairings")))
        # The path finder fetches the root's children itself.
        self.root.add_leaf(Text(tr("loading…")), data=Pending())
        self.root.expand()
        if self._first is not None and reveal is None:
            steps, keys = self._first
            self._first = None      # read once, for the start; after that the tree asks
            self.post_message(PathFound(self.root, steps, keys))
            return
        self._find_path(self.root, order, reveal)

    def reveal(self, target: Scope) -> None:
        """Open the way to `target` in the tree as it stands: other open branches stay open."""
        self._find_path(self.root, self.order, target)

    # A rebuild gives the tree a new root: an answer asked for under an older one is dropped.

    @work(thread=True, group="tree")
    def _find_path(self, root: TreeNode[Entry], order: str, target: Scope | None) -> None:
        steps = self.atlas.path_to(target, order, self.year)
        keys = self.atlas.ask(lambda atlas: name_keys(atlas.db, [node for step in steps for node in step.nodes]))
        self.post_message(PathFound(root, steps, keys))

    @on(PathFound)
    def _open_path(self, message: PathFound) -> None:
        if message.root is not self.root:
            return
        self._name_keys.update(message.name_keys)
        tree_node = self.root
        for step in message.steps:
            nodes = self._sorted(step.nodes, paged=step.more or step.offset > 0 or len(step.nodes) > PAGE)
            if not _holds(tree_node, nodes):
                if any(isinstance(child.data, Node) for child in tree_node.children):
                    tree_node.remove_children()     # the way lies past the pages shown: show them anew
                self._show_children(tree_node, nodes, step.more, step.offset)
            tree_node.expand()
            if step.match is None:
                break
            way = step.nodes[step.match].scope
            tree_node = next(child for child in tree_node.children
                             if isinstance(child.data, Node) and child.data.scope == way)
        # Line numbers are worked out when the tree next draws itself; and what waits for the rows
        # to be shown starts once they are painted.
        self.call_after_refresh(self.move_cursor, tree_node)
        self.call_after_refresh(self.post_message, self.Shown())

    def _load_page(self, tree_node: TreeNode[Entry], offset: int, limit: int = PAGE + 1) -> None:
        self._fetch_page(self.root, self.order, tree_node, offset, limit)

    @work(thread=True, group="tree")
    def _fetch_page(self, root: TreeNode[Entry], order: str, tree_node: TreeNode[Entry], offset: int,
                    limit: int) -> None:
        page = self.atlas.children(tree_node.data, order, offset, limit, self.year)
        keys = self.atlas.ask(lambda atlas: name_keys(atlas.db, page))
        self.post_message(ChildrenLoaded(root, tree_node, page, keys, offset))

    @on(ChildrenLoaded)
    def _show_page(self, message: ChildrenLoaded) -> None:
        if message.root is self.root and message.offset < self._shown_from.get(message.tree_node.id, 0):
            self._name_keys.update(message.name_keys)
            self._show_earlier(message.tree_node, message.page, message.offset)
            return
        # A search's jump may have filled the node meanwhile: then nothing waits for this page.
        waiting = any(isinstance(child.data, Pending) for child in message.tree_node.children)
        if message.root is self.root and waiting:
            self._name_keys.update(message.name_keys)
            more = len(message.page) > PAGE
            paged = more or any(isinstance(child.data, Node) for child in message.tree_node.children)
            self._show_children(message.tree_node, self._sorted(message.page[:PAGE], paged=paged), more)

    def _sorted(self, nodes: list[Node], paged: bool) -> list[Node]:
        """A family in the tree's sort. By name, donors and recipients come from the database in
        this order (pinyin), and a family larger than a page (`paged`) keeps the database's order,
        so that its pages follow on: projects by their names as written. By money or projects each
        page of a paged family is sorted on its own, and its "show more" row says so: the whole of
        a 66,000-project sector sorted by money would need every project's sums."""
        if self.sort == "name" and (paged or (nodes and nodes[0].level in IN_NAME_ORDER)):
            return nodes
        key, largest_first = SORTS[self.sort]
        return sorted(nodes, key=lambda node: key(node, self._name_keys), reverse=largest_first)

    def _show_children(self, tree_node: TreeNode[Entry], nodes: list[Node], more: bool, offset: int = 0) -> None:
        """Replace the placeholder or "more" item of `tree_node` with `nodes` (and a new one); a
        family shown first from `offset` on has a "before" item above them."""
        for child in list(tree_node.children):
            if isinstance(child.data, (Pending, MorePage)):
                child.remove()
        if not any(isinstance(child.data, Node) for child in tree_node.children):
            self._shown_from[tree_node.id] = offset
            if offset:
                tree_node.add_leaf(self._page_row(EarlierPage, min(PAGE, offset)), data=EarlierPage(offset))
        for node in nodes:
            self._show_node(tree_node, node)
        if more:
            shown = sum(isinstance(child.data, Node) for child in tree_node.children)
            tree_node.add_leaf(self._page_row(MorePage, PAGE),
                               data=MorePage(self._shown_from[tree_node.id] + shown))
        ahead = [node for node in nodes if node.has_children and node.level in READ_AHEAD]
        if ahead:   # once these rows are painted: the reading would slow the paint down
            self.call_after_refresh(self._read_ahead, self.root, self.order, ahead)

    def _show_earlier(self, tree_node: TreeNode[Entry], nodes: list[Node], offset: int) -> None:
        """The page before those shown, above them; the "before" item goes on up, or goes."""
        row = next((child for child in tree_node.children if isinstance(child.data, EarlierPage)), None)
        first = next((child for child in tree_node.children if isinstance(child.data, Node)), None)
        if row is None or first is None or not row.data.loading:
            return      # the family was shown anew meanwhile
        for node in self._sorted(nodes, paged=True):
            self._show_node(tree_node, node, before=first)
        self._shown_from[tree_node.id] = offset
        if offset:
            row.set_label(self._page_row(EarlierPage, min(PAGE, offset)))
            row.data = EarlierPage(offset)
            self._fits.pop(row.id, None)
        else:
            row.remove()

    @staticmethod
    def _show_node(tree_node: TreeNode[Entry], node: Node, before: TreeNode[Entry] | None = None) -> None:
        tree_node.add(Text(visible(shown_label(node))), data=node, allow_expand=node.has_children, before=before)

    def _page_row(self, kind: type, count: int) -> Text:
        by_name, each_page = PAGE_ROWS[kind]
        return Text(tr(by_name if self.sort == "name" else each_page, count=count))

    @work(thread=True, group="read-ahead")
    def _read_ahead(self, root: TreeNode[Entry], order: str, nodes: list[Node]) -> None:
        """The first page of each node's children, read before it is opened: a donor or recipient
        then opens in one paint, without a "loading…" row and a second paint. Node by node, so what
        a person asks meanwhile need not wait for all of them."""
        pages: dict[Scope, list[Node]] = {}
        for node in nodes:
            if root is not self.root:
                return      # rebuilt meanwhile: these pages belong to no tree shown
            pages[node.scope] = self.atlas.children(node, order, 0, PAGE + 1, self.year)
        keys = self.atlas.ask(lambda atlas: name_keys(atlas.db, [child for page in pages.values() for child in page]))
        self.post_message(PagesRead(root, pages, keys))

    @on(PagesRead)
    def _keep_pages(self, message: PagesRead) -> None:
        if message.root is self.root:
            self._name_keys.update(message.name_keys)
            self._read.update(message.pages)

    # -- events ----------------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        tree_node = event.node
        if tree_node.children or not isinstance(tree_node.data, Node):
            return      # shown already, or asked for (its "loading…" row is there)
        read = self._read.pop(tree_node.data.scope, None)
        if read is not None:
            self._show_children(tree_node, self._sorted(read[:PAGE], paged=len(read) > PAGE), len(read) > PAGE)
            return
        tree_node.add_leaf(Text(tr("loading…")), data=Pending())
        self._load_page(tree_node, 0)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        item, page = event.node, event.node.data
        if item.parent is None or not isinstance(page, (MorePage, EarlierPage)):
            return
        if isinstance(page, EarlierPage) and page.loading:
            return      # its page is asked for already
        offset = page.offset
        item.set_label(Text(tr("loading…")))
        self._fits.pop(item.id, None)
        if isinstance(page, MorePage):
            item.data = Pending()
            self._load_page(item.parent, offset)
        else:
            start = max(0, offset - PAGE)
            item.data = EarlierPage(offset, loading=True)
            self._load_page(item.parent, start, limit=offset - start)

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
        name_room, figure = self._fit(node)
        if name_room is not None and label.cell_len > name_room:
            _cut(label, name_room, style)
        if figure:
            label.append(" " * GAP)
            label.append(figure, style + self.get_component_rich_style("atlas-tree--figure", partial=True))
        return label

    def get_label_width(self, node: TreeNode[Entry]) -> int:
        """The cells a label may fill: render_label fits each one to its line's room, so the tree
        is never wider than its pane. Told without fitting the label: the tree asks it of every
        line each time a family changes, and fitting the root's 309 donors to paint the first
        forty cost a start 10 ms at national scale."""
        if not self._laid_out():
            return self._name_width(node)   # the lines are measured again once it is
        return self._room(node) + GAP

    def _name_width(self, node: TreeNode[Entry]) -> int:
        return (cell_len(self.ICON_NODE) if node.allow_expand else 0) + node.label.cell_len

    def _fit(self, node: TreeNode[Entry]) -> tuple[int | None, str]:
        """The figure beside a node's name, and the cells its name is cut to (None: it is whole).
        The figure is always whole: its full line when the whole name fits beside it, else its
        first sum alone, the name cut with an ellipsis to make room (the breadcrumb shows it whole).
        A name without a figure is cut at the tree's edge, with an ellipsis too."""
        if not self._laid_out():
            return None, ""
        fit = self._fits.get(node.id)
        if fit is None:
            fit = self._fits[node.id] = self._fit_anew(node)
        return fit

    def _laid_out(self) -> bool:
        """Whether the tree has a width yet; the fits and rooms of an earlier width (or scrollbar,
        or basis) are forgotten. Asked of every line whenever a family changes: the width in its
        cheapest form, where the room beside the scrollbar is worked out from the styles."""
        width = self.size.width
        if not width:
            return False
        shape = (width, self.show_vertical_scrollbar, self.basis)
        if self._fitted_for != shape:
            self._fits.clear()
            self._rooms.clear()
            self._fitted_for = shape
        return True

    def _fit_anew(self, node: TreeNode[Entry]) -> tuple[int | None, str]:
        forms = figure_forms(node.data, self.basis)
        room = self._room(node)
        name = self._name_width(node)
        if not forms:
            return (max(room + GAP, SHORTEST_NAME) if name > room + GAP else None), ""
        for figure in forms:
            if name + cell_len(figure) <= room:
                return None, figure
        return max(room - cell_len(forms[-1]), SHORTEST_NAME), forms[-1]

    def _room(self, node: TreeNode[Entry]) -> int:
        """The cells beside a node's guides for its name and figure, less the gap between them;
        worked out once per depth for the shape `_laid_out` last saw."""
        depth = _depth(node)
        room = self._rooms.get(depth)
        if room is None:
            room = self._rooms[depth] = self.scrollable_content_region.width - depth * self.guide_depth - GAP
        return room

    def keep_to(self, chosen: Filter) -> None:
        """Money labels of the filter's basis and year. Another year's sums are other rows of the
        sums: the tree is read anew, the cursor kept where it is."""
        self.basis = chosen.basis
        if chosen.year != self.year:
            self.year = chosen.year
            self.rebuild(self.order, reveal=self.cursor_scope)
        else:
            self._invalidate()   # Textual's way to redraw every label

    @property
    def cursor_family(self) -> TreeNode[Entry] | None:
        """The cursor's node; on a "loading…", "show more" or "show before" row, the node whose
        family it belongs to, so that a sort, a pivot or a reload from there keeps to that family."""
        node = self.cursor_node
        while node is not None and node.parent is not None and not isinstance(node.data, Node):
            node = node.parent
        return node

    @property
    def cursor_scope(self) -> Scope | None:
        """The scope of the cursor's node (of its family's, on a row that shows the family's pages);
        None at the root."""
        node = self.cursor_family
        return node.data.scope if node is not None and isinstance(node.data, Node) else None

    def path_labels(self, tree_node: TreeNode[Entry] | None) -> list[str]:
        """The labels from the root down to `tree_node`, for the breadcrumb."""
        labels = []
        while tree_node is not None:
            labels.append(str(tree_node.label))
            tree_node = tree_node.parent
        return labels[::-1]


def shown_label(node: Node) -> str:
    """A node's name in the interface's language: a sector's English name in English, else the
    data's own name."""
    return node.english if node.english and language() == "en" else node.label


def figure_of(entry: Entry, basis: str | None = None) -> str:
    """The figure beside a node's name where there is room: its money (actual, then planned, with
    their years; or of one `basis`), else how many projects it holds."""
    forms = figure_forms(entry, basis)
    return forms[0] if forms else ""


def figure_forms(entry: Entry, basis: str | None = None) -> tuple[str, ...]:
    """The figure beside a node's name, longest first: its money's whole line, then its first sum
    alone; or how many projects it holds. () when it has none."""
    if not isinstance(entry, Node):
        return ()
    lang = language()
    money = [total for total in entry.money if basis in (None, total.basis)]
    if line := totals_line(money, lang, short=True):
        brief = headline(money, lang)
        return (line, brief) if brief and brief != line else (line,)
    if entry.level != "project" and entry.projects:
        return (counted(entry.projects, "{count} project", "{count} projects"),)
    return ()


def _cut(label: Text, cells: int, style: Style) -> None:
    """`label` cut to `cells` with an ellipsis right after its last whole character (Rich's own
    cut leaves a space where half of a Chinese character would not fit), padded after it."""
    end = len(label.plain)
    while end and cell_len(label.plain[:end]) > cells - 1:
        end -= 1
    label.right_crop(len(label.plain) - end)
    label.append("…", style)
    label.pad_right(cells - label.cell_len)


def _depth(node: TreeNode[Entry]) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def _holds(tree_node: TreeNode[Entry], nodes: list[Node]) -> bool:
    """Whether `tree_node` already shows `nodes`, one after another (a page of its children)."""
    shown = [child.data.scope for child in tree_node.children if isinstance(child.data, Node)]
    if not nodes or nodes[0].scope not in shown:
        return False
    start = shown.index(nodes[0].scope)
    return shown[start:start + len(nodes)] == [node.scope for node in nodes]
