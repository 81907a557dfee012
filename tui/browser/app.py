"""The browser: the atlas tree on the left, the detail of its cursor's node on the right."""
from __future__ import annotations

import gc
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Iterable

from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Tree
from textual.worker import WorkerFailed

from tui.browser.bindings import translated_bindings
from tui.browser.history import History, Visit
from tui.browser.messages import CatchingUp, CaughtUp, CountsLoaded, Exported, NodeFound, Reloaded
from tui.browser.palette import ActionCommands, DocumentCommands, SearchCommands
from tui.browser.widgets.atlas_tree import SORT_NAMES, SORTS, AtlasTree, Entry
from tui.browser.widgets.breadcrumb import Breadcrumb
from tui.browser.widgets.detail_pane import DetailPane
from tui.browser.widgets.pairings_table import COLUMNS, PairingsTable
from tui.browser.widgets.status_line import StatusLine
from tui.data import DuikouError
from tui.data.atlas import ORDERS, Node, Scope
from tui.data.connection import explain_failure
from tui.data.shared import PathStep, SharedAtlas
from tui.text.format import visible
from tui.text.i18n import set_language, tr

if TYPE_CHECKING:
    from tui.data.search import Hit


class DuikouApp(App[None]):
    CSS_PATH = ["duikou.tcss", "pane.tcss"]   # pane.tcss: the detail pane's fact sheet and its screens
    TITLE = "Duikou 对口"
    COMMANDS = App.COMMANDS | {ActionCommands, SearchCommands, DocumentCommands}
    # The app's own keys answer wherever the focus is (the tree, the pane, the pairings table);
    # those a focused widget would take for itself (shift+↑/↓ in the tree, PgUp/PgDn) go first.
    # The footer shows the few a newcomer needs; `?` lists every one, with its tooltip.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Every key, Duikou's first"),
        Binding("slash", "search", "Search", key_display="/",
                tooltip="Search: results follow your typing; Enter goes to the item in the tree"),
        Binding("p", "pivot", "Pivot", tooltip="Pivot: donor → recipient → sector order, and round again"),
        Binding("s", "sort_children", "Sort", tooltip="Sort every family by name (pinyin), by money or by projects"),
        Binding("c", "copy_citation", "Copy", tooltip="Copy the selected item's citation (figures, quotes, documents)"),
        Binding("e", "export", "Export", tooltip="Export the selected node to a markdown report in this folder"),
        Binding("r", "reload", "Reload", show=False, tooltip="Reload after the database changed on disk"),
        Binding("f", "filter", "Filter", show=False,
                tooltip="Filter the sums by year (all, or one) and basis (actual, planned or both)"),
        Binding("left_square_bracket,alt+left", "history_back", "Back", show=False,
                tooltip="Back to the node visited before"),
        Binding("right_square_bracket,alt+right", "history_forward", "Forward", show=False,
                tooltip="Forward again, after going back"),
        Binding("escape,backspace", "parent", "Parent", show=False, tooltip="Go to the parent node"),
        *(Binding(str(column + 1), f"sort_pairings({column})", "Sort pairings", show=False,
                  tooltip="Sort the table of pairings by that column (again: reverse)")
          for column in range(len(COLUMNS))),
        Binding("shift+up", "scroll_pane('scroll_up')", "Scroll the pane", show=False, priority=True),
        Binding("shift+down", "scroll_pane('scroll_down')", "Scroll the pane", show=False, priority=True),
        Binding("pageup", "scroll_pane('scroll_page_up')", "Page the pane", show=False, priority=True),
        Binding("pagedown", "scroll_pane('scroll_page_down')", "Page the pane", show=False, priority=True),
        Binding("tab", "focus_next", "Next part", show=False,
                tooltip="Move between the tree, the pane and the pairings table"),
        Binding("shift+tab", "focus_previous", "Previous part", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, atlas: SharedAtlas, lang: str | None = None, *, exports: bool = True,
                 first: tuple[list[PathStep], dict[Scope, str]] | None = None) -> None:
        """`first`: the tree's first rows, read before Textual loaded (else the tree asks for them)."""
        set_language(lang)
        super().__init__()
        self._bindings = translated_bindings(self._bindings)
        self.atlas = atlas
        self.exports = exports   # False: served to others with --no-export, so no key writes a file
        self.failure: str | None = None   # why the app had to stop, for `run` to say once the screen is gone
        self.history = History()
        self._first = first
        self._started = False   # until the tree's first rows are in, nothing else asks the database

    def get_default_screen(self) -> Screen:
        # Textual's own screen keys (Tab, copying selected text) described in the interface's language.
        screen = Screen(id="_default")
        screen._bindings = translated_bindings(screen._bindings)
        return screen

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="breadcrumb")
        with Horizontal(id="body"):
            yield AtlasTree(self.atlas, id="atlas-tree", first=self._first)
            yield DetailPane(self.atlas, id="detail")
        yield StatusLine(id="status")
        # The footer comes once the tree's rows are painted (see _tree_shown).

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, quit, keys, screenshot) in the interface's language."""
        for command in super().get_system_commands(screen):
            yield SystemCommand(tr(command.title), tr(command.help), command.callback, command.discover)

    def on_mount(self) -> None:
        self.tree.focus()

    @on(AtlasTree.Shown)
    def _tree_shown(self) -> None:
        """The first rows are in: now the pane (every pairing, at national scale a third of a second
        under the database's lock) and the counts, which would otherwise hold up the first paint."""
        if self._started:
            return
        self._started = True
        # A footer's keys are restyled each time the bindings change while the app starts, a
        # tenth of a second at 2 cores: the keys a newcomer needs follow the first rows instead.
        self.mount(Footer())
        self.call_after_refresh(self.screen.refresh_bindings)   # a footer shows the keys it is told of
        node = self.tree.cursor_node
        if node is not None:
            self.query_one(DetailPane).show(node.data)
        self._show_counts()
        # After the frame that shows the rows: the catch-up's Python would slow that paint.
        self.call_after_refresh(self._catch_up)
        self.call_after_refresh(_collect_from_now_on)

    @property
    def tree(self) -> AtlasTree:
        return self.query_one(AtlasTree)

    @work(thread=True, group="status")
    def _show_counts(self) -> None:
        self.post_message(CountsLoaded(self.atlas.counts()))

    @work(thread=True, group="catch-up")
    def _catch_up(self) -> None:
        """Bring search and sums up to date with other programs' changes, the tree already on screen."""
        if self.atlas.catch_up(lambda done, total: self.post_message(CatchingUp(done, total))):
            self.post_message(CaughtUp())

    @on(CatchingUp)
    def _catching_up(self, message: CatchingUp) -> None:
        self.query_one(StatusLine).progress(message.done, message.total)

    @on(CaughtUp)
    def _caught_up(self, message: CaughtUp) -> None:
        self._reloaded(Reloaded(self.tree.cursor_scope), quietly=True)

    @on(CountsLoaded)
    def _counted(self, message: CountsLoaded) -> None:
        self.query_one(StatusLine).show(message.counts, self.atlas.path, self.tree.order)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        self.query_one(Breadcrumb).show(self.tree.path_labels(event.node))
        if self._started:
            self.query_one(DetailPane).show(event.node.data)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        """A node opened (Enter or a click) is a visit; "show more" and "loading…" are not."""
        if event.node.data is None or isinstance(event.node.data, Node):
            self._visit(event.node.data.scope if event.node.data is not None else None)

    def _visit(self, scope: Scope | None) -> None:
        self.history.visit(Visit(self.tree.order, scope))

    # -- actions ---------------------------------------------------------------------------------

    def action_pivot(self) -> None:
        """Donor → recipient → sector order and round again, keeping the cursor's place."""
        orders = list(ORDERS)
        order = orders[(orders.index(self.tree.order) + 1) % len(orders)]
        self.tree.rebuild(order, reveal=self.tree.cursor_scope)
        self._show_counts()

    def action_search(self) -> None:
        from tui.browser.screens.search import SearchScreen  # the search side: loaded at the first search

        self.push_screen(SearchScreen(self.atlas), callback=self._searched)

    def _searched(self, hit: Hit | None) -> None:
        if hit is not None:
            self.jump_to(hit)

    def jump_to(self, hit: Hit) -> None:
        """Open the way to the tree node nearest `hit`, select it and show its detail."""
        self._find_hit(hit, self.tree.order)

    @work(thread=True, exclusive=True, group="jump")
    def _find_hit(self, hit: Hit, order: str) -> None:
        self.post_message(NodeFound(hit, self.atlas.nearest_node(hit, order)))

    @on(NodeFound)
    def _jump(self, message: NodeFound) -> None:
        if message.target is None:
            self.notify(tr("“{name}” has no place in the tree.", name=visible(message.hit.label)),
                        severity="warning", markup=False)
            return
        order, scope = message.target
        self.query_one(DetailPane).choose_figure(message.hit.ref if message.hit.kind == "figure" else None)
        self._visit_cursor()     # where the jump started, to come back to
        self._go(order, scope)
        self._visit(scope)

    def _visit_cursor(self) -> None:
        node = self.tree.cursor_node
        if node is not None and (node.data is None or isinstance(node.data, Node)):
            self._visit(node.data.scope if node.data is not None else None)

    def _go(self, order: str, scope: Scope | None) -> None:
        """Move the tree's cursor to `scope` in `order`, opening the way there."""
        self.tree.focus()
        if order == self.tree.order and scope is not None:
            self.tree.reveal(scope)
            return
        self.tree.rebuild(order, reveal=scope)
        self._show_counts()

    def action_history_back(self) -> None:
        self._walk_history(self.history.back())

    def action_history_forward(self) -> None:
        self._walk_history(self.history.forward())

    def _walk_history(self, visit: Visit | None) -> None:
        if visit is None:
            self.notify(tr("Nowhere further to go."), severity="warning")
            return
        self._go(visit.order, visit.scope)

    def action_parent(self) -> None:
        self.tree.focus()
        self.tree.action_go_to_parent()

    def action_sort_children(self) -> None:
        """Name → money → projects and round again, for every family; the cursor stays where it is."""
        sorts = list(SORTS)
        sort = sorts[(sorts.index(self.tree.sort) + 1) % len(sorts)]
        self.tree.rebuild(self.tree.order, reveal=self.tree.cursor_scope, sort=sort)
        self.notify(tr(SORT_NAMES[sort]), title=tr("Sort"))

    def action_sort_pairings(self, column: int) -> None:
        """Sort the table of every pairing, whatever has the focus; it is the root's detail."""
        self._on_main_screen()
        tables = self.query(PairingsTable)
        if tables:
            tables.first().action_sort_by(column)
        else:
            self.notify(tr("The table of pairings is the detail of “All pairings”, at the top of the tree."),
                        severity="warning")

    def action_scroll_pane(self, how: str) -> None:
        """Scroll the detail pane, whatever has the focus."""
        self._on_main_screen()
        getattr(self.query_one(DetailPane), how)(animate=False)

    def _on_main_screen(self) -> None:
        """Keys of the browser's screen leave a dialog (help, search) its own."""
        if self.screen is not self.screen_stack[0]:
            raise SkipAction()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.exports if action == "export" else True

    def _handle_exception(self, error: Exception) -> None:
        """A database error in a worker is one line in the app, which keeps browsing what it has;
        anywhere else the app stops with that line and exit code 1. Anything else is a bug: Textual
        shows it as such. (Textual has no public hook for a worker's error.)"""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if not isinstance(cause, (DuikouError, sqlite3.Error)):
            super()._handle_exception(error)
            return
        line = visible(cause if isinstance(cause, DuikouError) else explain_failure(self.atlas.path, cause))
        if isinstance(error, WorkerFailed) and self.is_running:
            self.notify(line, severity="error", markup=False, timeout=30)
        else:
            self.failure = line
            self.exit(return_code=1)

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's reminder of how to quit, in the interface's language."""
        self.notify(tr("Press q to quit."), title=tr("Do you want to quit?"))

    def action_copy_citation(self) -> None:
        citation = self.query_one(DetailPane).citation
        if citation:
            self.copy_to_clipboard(citation)   # made visible by the detail pane: no control reaches the clipboard
            self.notify(citation.splitlines()[0], title=tr("Copied"), markup=False)
        else:
            self.notify(tr("Nothing to copy here."), severity="warning")

    def action_export(self) -> None:
        """Write the cursor's node, and everything under it, to a markdown report in the current folder."""
        node = self.tree.cursor_family
        scope = node.data.scope if node is not None and isinstance(node.data, Node) else Scope()
        self._export(scope, self.tree.path_labels(node)[1:] if node is not None else [])

    @work(thread=True, group="export")
    def _export(self, scope: Scope, labels: list[str]) -> None:
        from tui.export.files import filler, slug, write_new_file  # the formats load at the first export

        stem = f"duikou-{slug(labels)}-{datetime.now():%Y%m%d-%H%M%S}"
        title = "/".join(labels) or "all pairings"
        try:
            path = self.atlas.ask(lambda atlas: write_new_file(Path.cwd(), stem, "markdown",
                                                               filler(atlas, scope, title, "markdown")))
        except (DuikouError, sqlite3.Error) as error:   # a full disk, a damaged page: say so, keep browsing
            self.post_message(Exported(None, str(error)))
            return
        self.post_message(Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.error is not None:
            self.notify(visible(message.error), severity="error", markup=False)
        else:
            self.notify(tr("Exported to {path}", path=visible(message.path)), title=tr("Export"), markup=False)

    def action_reload(self) -> None:
        self._reload(self.tree.cursor_scope)

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, reveal: Scope | None) -> None:
        try:
            self.atlas.reopen()
        except DuikouError as error:
            self.post_message(Reloaded(reveal, str(error)))
            return
        self.post_message(Reloaded(reveal))

    @on(Reloaded)
    def _reloaded(self, message: Reloaded, quietly: bool = False) -> None:
        if message.error is not None:
            self.notify(visible(message.error), severity="error", markup=False)   # it names a path
            return
        self.tree.rebuild(self.tree.order, reveal=message.reveal)
        self._show_counts()
        detail = self.query_one(DetailPane)
        detail.show(detail.node)    # the root's table of pairings too, which no cursor move asks for again
        if not quietly:
            self.notify(tr("Reloaded"))

    def action_filter(self) -> None:
        self.query_one(DetailPane).choose_filter(self.tree.keep_to)

    def action_help(self) -> None:
        own = [*AtlasTree.BINDINGS, *DuikouApp.BINDINGS]
        listed = {binding.key for binding in Binding.make_bindings(own)}
        generic = [active.binding for key, active in self.screen.active_bindings.items()
                   if key not in listed and active.binding.description]
        from tui.browser.screens.help import HelpScreen

        self.push_screen(HelpScreen([(tr("Duikou's keys"), self._key_rows(own, tooltips=True)),
                                     (tr("Other keys"), self._key_rows(generic))]))

    def _key_rows(self, bindings: list[BindingType], tooltips: bool = False) -> list[tuple[str, str]]:
        """(keys, what they do) for the help: keys doing the same are one row ("↓ j", "1–4")."""
        keys: dict[str, list[str]] = {}
        for binding in Binding.make_bindings(bindings):
            if binding.description:
                said = tr(binding.tooltip) if tooltips and binding.tooltip else tr(binding.description)
                keys.setdefault(said, []).append(self.get_key_display(binding))
        return [(_keys_line(displays), said) for said, displays in keys.items()]


def _keys_line(displays: list[str]) -> str:
    """Keys as the help shows them: a run of digits as "1–4", others side by side."""
    if len(displays) > 2 and all(display.isdigit() for display in displays):
        return f"{displays[0]}–{displays[-1]}"
    return " ".join(displays)


# Young objects are collected as often as Python's defaults say; a full pass comes after this many
# passes over the middle generation instead of 10. With start-up frozen, the defaults made one every
# second or two of browsing at national scale, each walking what the tree had read since (20-60 ms
# held up the key it fell on); cycles that outlive the young generations wait longer to be freed.
FULL_PASS_AFTER = 100


def _collect_from_now_on() -> None:
    """What start-up built lives as long as the app: it is set aside from the collector's full
    passes, which would otherwise walk it all and hold up a keystroke for 100 ms or more, and the
    collector, off while the app started (`duikou` turns it off), runs from now on."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)
    gc.enable()


def run(atlas: SharedAtlas, steps: list[PathStep], name_keys: dict[Scope, str], lang: str | None = None, *,
        exports: bool = True) -> int:
    """The browser on an open database whose first rows (`steps`, and what they sort by) are read."""
    app = DuikouApp(atlas, lang, exports=exports, first=(steps, name_keys))
    app.run()
    if app.failure is not None:
        print(f"duikou: {app.failure}", file=sys.stderr)
    return app.return_code or 0
